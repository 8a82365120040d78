package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.sim.Simulation;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.DependencyTree;
import dev.svcmgr.graph.GraphView;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The verbs that read the dependency graph of the loaded units: {@code plan}, {@code graph},
 * {@code dependencies}, {@code simulate}. The loop copies what they read ({@link Manager#planInput}: the units as
 * loaded, the graph, every unit's state, the masked and disabled units); the plan, the view or
 * the tree is then worked out off the loop, from the daemon's definitions, never from the files
 * on disk (which may have changed since the last {@code daemon-reload}).
 */
final class Plans {
    private final Context cx;

    Plans(Context cx) { this.cx = cx; }

    /** What a request reads, copied on the loop: the names made canonical, and the manager's state. */
    private record Input(List<String> names, List<String> others, Manager.PlanInput plan, Map<String, Unit> made) {}

    /**
     * On the loop: {@code names} and {@code others} canonical, or the not-found reply of the
     * first that names no unit; with the definitions of instances the graph does not have yet.
     */
    private Object input(List<String> names, List<String> others) throws InterruptedException {
        List<String> all = new ArrayList<>(names);
        all.addAll(others);
        Context.Looked l = cx.lookUp(all);
        return cx.onLoop(() -> {
            List<List<String>> canon = List.of(new ArrayList<>(), new ArrayList<>());
            Map<String, Unit> made = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                String n = all.get(i);
                String k = cx.known(n, l);
                if (k == null) return Context.noSuchUnit(n);
                canon.get(i < names.size() ? 0 : 1).add(k);
                Unit u = l.get(cx.m(), n);
                if (u != null && !cx.m().graph().contains(k)) made.put(k, u);
            }
            return new Input(canon.get(0), canon.get(1), cx.m().planInput(), made);
        });
    }

    /** The graph of the copied units with the instances a request named added (for this answer only). */
    private static DependencyGraph graphOf(Input in) {
        if (in.made().isEmpty()) return in.plan().graph();
        UnitSet next = in.plan().units();
        for (Unit u : in.made().values()) next = next.with(u);
        return DependencyGraph.build(next, in.plan().disabled());
    }

    Reply plan(Request.Plan req) throws InterruptedException {
        dev.svcmgr.graph.Request.Verb v = Transactions.verbOf(req.planVerb());
        Object got = input(Context.canonical(req.units()), Context.canonical(req.assumeActive()));
        if (got instanceof Reply r) return r;
        Input in = (Input) got;
        Manager.PlanInput p = in.plan();
        if (!in.others().isEmpty()) {
            Map<String, ActiveState> states = new HashMap<>(p.states());
            for (String a : in.others()) states.put(a, ActiveState.ACTIVE);
            p = new Manager.PlanInput(p.units(), p.graph(), p.disabled(), states, p.masked());
        }
        // resolved here, off the loop, against the copy: the manager's unit set is not changed
        Resolution r = p.plan(new dev.svcmgr.graph.Request(v, in.names(), Transactions.modeOf(req.mode()), false));
        if (r instanceof Rejection rej) return Transactions.rejection(rej);
        Plan plan = (Plan) r;
        List<Reply.Planned.Job> jobs = new ArrayList<>();
        for (Job j : plan.jobs()) jobs.add(new Reply.Planned.Job(j.unit(), j.type().word(), j.wave(), j.reason(), j.after(),
                j.waitsFor().stream().map(Job.Ref::toString).toList()));
        return new Reply.Planned(in.names(), jobs, plan.skipped());
    }

    Reply graph(Request.Graph req) throws InterruptedException {
        List<String> root = req.unit() == null ? List.of() : List.of(Context.canonical(req.unit()));
        Object got = input(root, List.of());
        if (got instanceof Reply r) return r;
        Input in = (Input) got;
        DependencyGraph g = graphOf(in);
        String k = in.names().isEmpty() ? null : in.names().get(0);
        if (k != null && !g.contains(k)) return Context.noSuchUnit(root.get(0));
        GraphView view = GraphView.of(g, k, in.plan().states());
        List<Reply.Graph.Node> nodes = new ArrayList<>();
        for (GraphView.Node n : view.nodes()) nodes.add(new Reply.Graph.Node(n.unit(), n.type(), n.active()));
        List<Reply.Graph.Edge> edges = new ArrayList<>();
        for (GraphView.Link e : view.edges()) edges.add(new Reply.Graph.Edge(e.from(), e.to(), e.kind()));
        return new Reply.Graph(nodes, edges);
    }

    Reply dependencies(Request.Dependencies req) throws InterruptedException {
        String name = Context.canonical(req.unit());
        Object got = input(List.of(name), List.of());
        if (got instanceof Reply r) return r;
        Input in = (Input) got;
        DependencyGraph g = graphOf(in);
        String k = in.names().get(0);
        if (!g.contains(k)) return Context.noSuchUnit(name);
        DependencyTree.Node tree = DependencyTree.of(g, k, req.reverse(), req.all());
        Map<String, ActiveState> states = in.plan().states();
        // depth first, in output order, with a worklist: a 10,000-unit chain is a list, not a deep nesting
        List<Reply.Dependencies.Line> lines = new ArrayList<>();
        ArrayDeque<DependencyTree.Node> work = new ArrayDeque<>();
        work.push(tree);
        while (!work.isEmpty()) {
            DependencyTree.Node n = work.pop();
            lines.add(new Reply.Dependencies.Line(n.unit(), states.getOrDefault(n.unit(), ActiveState.INACTIVE).word(), n.repeated(),
                    n.children().size()));
            for (int i = n.children().size() - 1; i >= 0; i--) work.push(n.children().get(i));
        }
        return new Reply.Dependencies(lines);
    }

    /**
     * {@code simulate}: the transaction run by the real engine and supervisors on a fake OS and a manual
     * clock, from a copy of the loaded units and current states (units active here are up at the
     * outset). Runs on this connection's worker thread; nothing of the daemon's own state is touched.
     */
    /** One simulation at a time: each may take a worker for up to a minute of CPU. */
    private final java.util.concurrent.Semaphore simulating = new java.util.concurrent.Semaphore(1);

    Reply simulate(Request.Simulate req) throws InterruptedException {
        if (!simulating.tryAcquire()) {
            return new Reply.Error(ErrorKind.LIMIT, "another simulation is running in the daemon; try again when it is done");
        }
        try {
            return simulateNow(req);
        } finally {
            simulating.release();
        }
    }

    private Reply simulateNow(Request.Simulate req) throws InterruptedException {
        List<String> scripted = new ArrayList<>(req.fail().keySet());
        scripted.addAll(req.slowMs().keySet());
        scripted.addAll(req.hang());
        scripted.addAll(req.assumeActive());
        Object got = input(Context.canonical(req.units()), Context.canonical(scripted));
        if (got instanceof Reply r) return r;
        Input in = (Input) got;
        Map<String, String> canon = new HashMap<>();
        for (int i = 0; i < scripted.size(); i++) canon.put(scripted.get(i), in.others().get(i));
        Map<String, Result> fail = new HashMap<>();
        for (Map.Entry<String, String> e : req.fail().entrySet()) {
            Result r = Result.of(e.getValue());
            if (r == null || !Simulation.Script.FAILURES.contains(r)) {
                return new Reply.Error(ErrorKind.BAD_REQUEST, "\"fail\": unknown result " + e.getValue() + " for " + e.getKey());
            }
            fail.put(canon.get(e.getKey()), r);
        }
        Map<String, Duration> slow = new HashMap<>();
        req.slowMs().forEach((u, ms) -> slow.put(canon.get(u), Duration.ofMillis(ms)));
        Set<String> hang = new HashSet<>();
        for (String h : req.hang()) hang.add(canon.get(h));
        Manager.PlanInput p = in.plan();
        UnitSet units = p.units();
        for (Unit u : in.made().values()) units = units.with(u);
        Set<String> active = new TreeSet<>();
        for (String a : req.assumeActive()) active.add(canon.get(a));
        p.states().forEach((u, a) -> {
            if (a == ActiveState.ACTIVE) active.add(u);
        });
        Simulation.Input sim = new Simulation.Input(units, p.disabled(), p.masked(), active, Daemon.serviceEnvironment(System.getenv()));
        try {
            return new Reply.Simulated(Simulation.run(sim, new dev.svcmgr.graph.Request(Transactions.verbOf(req.simVerb()), in.names(),
                    dev.svcmgr.graph.JobMode.REPLACE, false), new Simulation.Script(fail, slow, hang)));
        } catch (Simulation.Refused e) {
            return new Reply.Error(ErrorKind.REFUSED, e.getMessage());
        }
    }
}
