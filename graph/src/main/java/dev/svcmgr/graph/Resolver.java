package dev.svcmgr.graph;

import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resolver: a pure function {@code (graph, current states, masked, request) -> Plan | Rejection}
 * (cli.md "Semantics of a transaction"). No I/O, no clock, no logging; same input, same plan.
 *
 * <h2>How a request becomes jobs</h2>
 * <ul>
 * <li><b>start</b> (and the start part of restart and isolate): the start closure is every unit
 *   reachable from the requested ones over {@link Atom#PULLS_IN} edges (requires, binds-to, wants;
 *   install edges included), breadth first, so each unit's reason is a shortest chain. Units
 *   already up ({@code active} or {@code starting}) get no job (elided) but their requirements are
 *   still followed. A unit that cannot start (not found, bad settings, masked, or a
 *   {@code requisite} that is neither up nor started by this transaction) rejects the request when
 *   it is <em>anchored</em> (reachable from a requested unit over hard edges only: requires,
 *   binds-to); otherwise it is skipped, together with every unit of the closure that requires or
 *   binds to it, and each skipped unit is listed in {@link Plan#skipped()} with why.</li>
 * <li><b>conflicts</b>: for each start or restart job, every unit it conflicts with (either side
 *   declared) that has a start-like job or is needed by the closure rejects the request; an up one
 *   gets a stop job (reason {@code conflicts with X, ...}) whose stop propagates like an explicit
 *   stop.</li>
 * <li><b>stop</b>: the requested units and, transitively, every unit that requires, binds to or is
 *   part of one of them ({@link Atom#PROPAGATES_STOP}); stop jobs only for units that are up.</li>
 * <li><b>restart</b>: the start closure (so missing requirements get started); requested units that
 *   are up get restart jobs, others start jobs; then, transitively over
 *   {@link Atom#PROPAGATES_RESTART}, every up dependent without a job gets a restart job.
 *   <b>try-restart</b> is the same without the start closure and without jobs for requested units
 *   that are not up. <b>reload</b>: a reload job per requested unit; one that is not up rejects.</li>
 * <li><b>isolate T</b>: T must set {@code allow-isolate: true} (not checked when
 *   {@link Request#everything()}, i.e. for shutdown). Start closure of T as above; every other up
 *   unit gets a stop job ({@code not needed by T}) except {@code ignore-on-isolate} ones (unless
 *   {@code everything}). No stop propagation: everything not needed is already stopped.</li>
 * </ul>
 * Conditions are not evaluated here (no I/O): the executor skips a unit whose conditions fail.
 * The job mode makes no difference to the plan: it governs how the executor merges the plan
 * with jobs already queued.
 *
 * <h2>Ordering and waves</h2>
 * For an ordering edge {@code A after B} where both have jobs: two start-like jobs (start,
 * restart, reload, verify-active): A waits for B; two stop jobs: B waits for A (stop order is the
 * exact reverse of start order over the same edges); one stop and one start-like: the start-like
 * job waits for the stop job, whichever way the edge points (systemd's rule). A start-like job of a
 * unit also waits for the stop job of each unit it conflicts with. {@link Job#after()} lists what
 * a job waits for; {@code wave = 1 + max(wave of after)}, 0 when it waits for nothing. A cycle
 * among the jobs rejects the request, naming the units in order and each edge's origin.
 *
 * <p>Everything runs on worklists: a 10,000-unit chain resolves without deep recursion. Reasons
 * longer than {@value #REASON_LINKS} links are shortened to the first links, a count and the
 * link at the request.
 */
public final class Resolver {
    /** Links of a reason shown in full before the middle is elided. */
    public static final int REASON_LINKS = 6;

    private static final EdgeKind[] PULL_KINDS = {EdgeKind.REQUIRES, EdgeKind.BINDS_TO, EdgeKind.WANTS};
    private static final EdgeKind[] HARD_PULL_KINDS = {EdgeKind.REQUIRES, EdgeKind.BINDS_TO};
    private static final EdgeKind[] STOP_KINDS = kindsWith(Atom.PROPAGATES_STOP);
    private static final EdgeKind[] RESTART_KINDS = kindsWith(Atom.PROPAGATES_RESTART);

    private Resolver() {}

    /**
     * Resolves a request.
     *
     * @param g       the dependency graph
     * @param current current state per canonical unit name; absent units are inactive
     * @param masked  canonical names of masked units (refused for start)
     * @param r       the request; its unit names may be aliases or provided names
     * @return a {@link Plan}, or a {@link Rejection} saying why not
     */
    public static Resolution resolve(DependencyGraph g, Map<String, ActiveState> current, Set<String> masked, Request r) {
        try {
            return new Tx(g, current, masked, r).run();
        } catch (Refused e) {
            return e.rejection;
        }
    }

    private static EdgeKind[] kindsWith(Atom a) {
        return java.util.Arrays.stream(EdgeKind.values()).filter(k -> k.has(a)).toArray(EdgeKind[]::new);
    }

    private static boolean startLike(JobType t) { return t != null && t != JobType.STOP; }

    /** Why a unit is in the transaction: one link of the chain back to the request. */
    private record Cause(String parent, String phrase, Edge edge, int depth, String firstHop) {
        static Cause root(String phrase) { return new Cause(null, phrase, null, 0, phrase); }

        Cause child(String self, String phrase, Edge edge) {
            return new Cause(self, phrase, edge, depth + 1, depth == 0 ? phrase : firstHop);
        }
    }

    private static final class Refused extends RuntimeException {
        final Rejection rejection;

        Refused(Rejection r) {
            super(r.error(), null, false, false);
            this.rejection = r;
        }
    }

    /** One resolution; all state lives here and dies with it. */
    private static final class Tx {
        final DependencyGraph g;
        final Map<String, ActiveState> current;
        final Set<String> masked;
        final Request req;
        final Map<String, Cause> cause = new HashMap<>();
        final Map<String, JobType> jobs = new HashMap<>();
        final Set<String> needed = new HashSet<>();
        final List<String> skipped = new ArrayList<>();
        final Set<String> roots = new TreeSet<>();

        Tx(DependencyGraph g, Map<String, ActiveState> current, Set<String> masked, Request req) {
            this.g = g;
            this.current = current;
            this.masked = masked;
            this.req = req;
        }

        ActiveState state(String u) {
            ActiveState s = current.get(u);
            return s == null ? ActiveState.INACTIVE : s;
        }

        boolean up(String u) { return state(u).isUp(); }

        Refused refuse(String error) { return new Refused(new Rejection(error, null)); }

        Plan run() {
            if (req.units().isEmpty()) throw refuse(req.verb().word() + " needs at least one unit");
            for (String n : req.units()) {
                String c = g.canonical(n);
                Unit u = g.unit(c);
                if (u == null || u.load() == LoadState.NOT_FOUND) throw refuse("unit " + n + " not found");
                roots.add(c);
            }
            switch (req.verb()) {
                case START -> startClosure();
                case STOP -> stop();
                case RESTART -> {
                    startClosure();
                    for (String r : roots) if (up(r)) jobs.put(r, JobType.RESTART);
                    propagateRestart();
                }
                case TRY_RESTART -> {
                    for (String r : roots) {
                        cause.put(r, Cause.root("requested"));
                        if (up(r)) jobs.put(r, JobType.RESTART);
                    }
                    propagateRestart();
                }
                case RELOAD -> {
                    for (String r : roots) {
                        if (!up(r)) throw refuse("cannot reload " + r + ": it is " + state(r).word() + ", not active");
                        cause.put(r, Cause.root("requested"));
                        jobs.put(r, JobType.RELOAD);
                    }
                }
                case ISOLATE -> isolate();
            }
            conflicts();
            return order();
        }

        // ---- start closure ------------------------------------------------------------------

        String problem(String u) {
            Unit x = g.unit(u);
            if (x == null) return "unit " + u + " not found";
            if (masked.contains(u) || x.load() == LoadState.MASKED) return u + " is masked";
            if (x.load() == LoadState.NOT_FOUND) {
                String e = x.firstError();
                return e != null ? e : "unit " + u + " not found";
            }
            if (x.load() == LoadState.BAD_SETTING) {
                String e = x.firstError();
                return u + " has bad settings" + (e != null ? ": " + e : "");
            }
            return null;
        }

        Set<String> anchored() {
            Set<String> seen = new HashSet<>(roots);
            ArrayDeque<String> work = new ArrayDeque<>(roots);
            while (!work.isEmpty()) {
                String u = work.poll();
                if (problem(u) != null) continue;
                for (EdgeKind k : HARD_PULL_KINDS)
                    for (Edge e : g.outgoing(u, k)) if (seen.add(e.to())) work.add(e.to());
            }
            return seen;
        }

        /** Breadth-first start closure avoiding {@code excluded}; fills {@link #cause}; returns units in visit order. */
        List<String> closure(Set<String> excluded) {
            cause.clear();
            List<String> order = new ArrayList<>();
            ArrayDeque<String> work = new ArrayDeque<>();
            for (String r : roots) {
                cause.put(r, Cause.root("requested"));
                work.add(r);
            }
            while (!work.isEmpty()) {
                String u = work.poll();
                order.add(u);
                if (problem(u) != null) continue;
                Cause cu = cause.get(u);
                for (EdgeKind k : PULL_KINDS) {
                    for (Edge e : g.outgoing(u, k)) {
                        String v = e.to();
                        if (excluded.contains(v) || cause.containsKey(v)) continue;
                        cause.put(v, cu.child(u, k.byPhrase() + " " + u, e));
                        work.add(v);
                    }
                }
            }
            return order;
        }

        void startClosure() {
            Set<String> anchored = anchored();
            Set<String> excluded = new HashSet<>();
            List<String> reached;
            while (true) {
                reached = closure(excluded);
                Set<String> in = new HashSet<>(reached);
                List<String> bad = new ArrayList<>();
                for (String u : reached) {
                    String p = problem(u);
                    if (p == null) {
                        for (Edge e : g.outgoing(u, EdgeKind.REQUISITE)) {
                            String v = e.to();
                            if (up(v) || (in.contains(v) && problem(v) == null)) continue;
                            p = u + " needs " + v + " active (" + e.origin() + "), but it is " + state(v).word();
                            break;
                        }
                    }
                    if (p == null) continue;
                    if (anchored.contains(u)) throw refuse(rejectionText(u, p));
                    bad.add(u);
                    skipped.add(u + ": " + p + " (" + reason(u) + ")");
                }
                if (bad.isEmpty()) break;
                ArrayDeque<String> work = new ArrayDeque<>(bad);
                excluded.addAll(bad);
                while (!work.isEmpty()) {
                    String x = work.poll();
                    for (EdgeKind k : HARD_PULL_KINDS) {
                        for (Edge e : g.incoming(x, k)) {
                            String d = e.from();
                            if (!in.contains(d) || !excluded.add(d)) continue;
                            if (anchored.contains(d)) throw refuse(rejectionText(d, d + " " + k.ofPhrase() + " " + x + ", which cannot start"));
                            skipped.add(d + ": " + k.ofPhrase() + " " + x + ", which cannot start (" + reason(d) + ")");
                            work.add(d);
                        }
                    }
                }
            }
            for (String u : reached) {
                needed.add(u);
                if (!up(u)) jobs.put(u, JobType.START);
            }
        }

        String rejectionText(String u, String problem) {
            StringBuilder b = new StringBuilder(problem);
            Cause c = cause.get(u);
            if (c != null && c.parent() != null) {
                b.append(" (").append(reason(u));
                if (c.edge() != null) b.append("; ").append(c.edge().describe());
                b.append(')');
            }
            return b.toString();
        }

        // ---- stop, restart, isolate, conflicts ----------------------------------------------------

        void stop() {
            for (String r : roots) cause.put(r, Cause.root("requested"));
            propagateStop(new ArrayDeque<>(roots), false);
            for (String r : roots) if (up(r)) jobs.put(r, JobType.STOP);
        }

        /** Stop jobs, transitively, for up units that require, bind to or are part of a unit in {@code work}. */
        void propagateStop(ArrayDeque<String> work, boolean fromConflict) {
            Set<String> seen = new HashSet<>(work);
            while (!work.isEmpty()) {
                String u = work.poll();
                for (EdgeKind k : STOP_KINDS) {
                    for (Edge e : g.incoming(u, k)) {
                        String d = e.from();
                        if (!seen.add(d)) continue;
                        if (fromConflict && (needed.contains(d) || startLike(jobs.get(d))))
                            throw refuse("conflicting jobs: " + d + " is needed (" + reason(d) + ") but "
                                    + k.ofPhrase() + " " + u + ", which is stopped (" + reason(u) + "); " + e.describe());
                        cause.putIfAbsent(d, cause.get(u).child(u, k.ofPhrase() + " " + u, e));
                        if (up(d) && jobs.get(d) == null) jobs.put(d, JobType.STOP);
                        work.add(d);
                    }
                }
            }
        }

        void propagateRestart() {
            Set<String> seen = new HashSet<>(roots);
            ArrayDeque<String> work = new ArrayDeque<>(roots);
            while (!work.isEmpty()) {
                String u = work.poll();
                for (EdgeKind k : RESTART_KINDS) {
                    for (Edge e : g.incoming(u, k)) {
                        String d = e.from();
                        if (!seen.add(d)) continue;
                        if (jobs.get(d) == null) {
                            cause.put(d, cause.get(u).child(u, k.ofPhrase() + " " + u, e));
                            if (up(d)) jobs.put(d, JobType.RESTART);
                        }
                        work.add(d);
                    }
                }
            }
        }

        void isolate() {
            if (roots.size() != 1) throw refuse("isolate takes exactly one target, got " + roots.size());
            String t = roots.iterator().next();
            if (!req.everything() && !g.unit(t).allowIsolate())
                throw refuse("cannot isolate to " + t + ": it does not set allow-isolate: true");
            startClosure();
            Cause c = Cause.root("not needed by " + t);
            for (String v : g.names()) {
                if (!up(v) || needed.contains(v) || jobs.containsKey(v)) continue;
                Unit u = g.unit(v);
                if (!req.everything() && u.ignoreOnIsolate()) continue;
                cause.put(v, c);
                jobs.put(v, JobType.STOP);
            }
        }

        void conflicts() {
            List<String> starting = new ArrayList<>(jobs.keySet());
            starting.sort(null);
            for (String s : starting) {
                JobType ts = jobs.get(s);
                if (!startLike(ts)) continue;
                for (Edge e : g.conflictEdges(s)) {
                    String y = e.from().equals(s) ? e.to() : e.from();
                    if (y.equals(s)) continue;
                    JobType ty = jobs.get(y);
                    if (startLike(ty) || needed.contains(y))
                        throw refuse("conflicting jobs: " + s + " (" + reason(s) + ") and " + y + " ("
                                + reason(y) + "): " + e.describe());
                    if (ty == JobType.STOP || !up(y)) continue;
                    cause.put(y, cause.get(s).child(s, "conflicts with " + s, e));
                    jobs.put(y, JobType.STOP);
                    ArrayDeque<String> w = new ArrayDeque<>();
                    w.add(y);
                    propagateStop(w, true);
                }
            }
        }

        // ---- reasons -------------------------------------------------------------------------

        String reason(String u) {
            Cause c = cause.get(u);
            if (c == null) return "requested";
            if (c.parent() == null) return c.phrase();
            StringBuilder b = new StringBuilder();
            int n = 0;
            Cause x = c;
            boolean shorten = c.depth() > REASON_LINKS + 1;
            while (x.parent() != null && (!shorten || n < REASON_LINKS)) {
                if (n++ > 0) b.append(", ");
                b.append(x.phrase());
                x = cause.get(x.parent());
            }
            if (shorten) b.append(", … (").append(c.depth() - REASON_LINKS - 1).append(" more), ").append(c.firstHop());
            return b.toString();
        }

        // ---- ordering and waves ----------------------------------------------------------------

        Plan order() {
            List<String> units = new ArrayList<>(jobs.keySet());
            units.sort(null);
            int n = units.size();
            Map<String, Integer> index = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) index.put(units.get(i), i);
            List<LinkedHashMap<Integer, Edge>> waits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) waits.add(new LinkedHashMap<>(4));
            for (int a = 0; a < n; a++) {
                String ua = units.get(a);
                boolean sa = jobs.get(ua) == JobType.STOP;
                for (Edge e : g.outgoing(ua, EdgeKind.AFTER)) {
                    Integer b = index.get(e.to());
                    if (b == null) continue;
                    boolean sb = jobs.get(e.to()) == JobType.STOP;
                    if (sa == sb) {
                        if (sa) waits.get(b).putIfAbsent(a, e); else waits.get(a).putIfAbsent(b, e);
                    } else if (sa) {
                        waits.get(b).putIfAbsent(a, e);
                    } else {
                        waits.get(a).putIfAbsent(b, e);
                    }
                }
                if (!sa) {
                    for (Edge e : g.conflictEdges(ua)) {
                        String y = e.from().equals(ua) ? e.to() : e.from();
                        Integer b = index.get(y);
                        if (b != null && jobs.get(y) == JobType.STOP) waits.get(a).putIfAbsent(b, e);
                    }
                }
            }
            int[] count = new int[n];
            int[] wave = new int[n];
            List<List<Integer>> succ = new ArrayList<>(n);
            for (int i = 0; i < n; i++) succ.add(new ArrayList<>(2));
            for (int i = 0; i < n; i++) {
                count[i] = waits.get(i).size();
                for (int p : waits.get(i).keySet()) succ.get(p).add(i);
            }
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            for (int i = 0; i < n; i++) if (count[i] == 0) ready.add(i);
            boolean[] done = new boolean[n];
            int processed = 0;
            while (!ready.isEmpty()) {
                int i = ready.poll();
                done[i] = true;
                processed++;
                for (int s : succ.get(i)) {
                    wave[s] = Math.max(wave[s], wave[i] + 1);
                    if (--count[s] == 0) ready.add(s);
                }
            }
            if (processed < n) throw cycle(units, waits, done);
            List<Job> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                List<String> after = new ArrayList<>();
                for (int p : waits.get(i).keySet()) after.add(units.get(p));
                after.sort(null);
                String u = units.get(i);
                out.add(new Job(u, jobs.get(u), wave[i], reason(u), after));
            }
            out.sort(Comparator.comparingInt(Job::wave).thenComparing(Job::unit));
            List<String> sk = new ArrayList<>(new LinkedHashSet<>(skipped));
            sk.sort(null);
            return new Plan(req, out, sk);
        }

        Refused cycle(List<String> units, List<LinkedHashMap<Integer, Edge>> waits, boolean[] done) {
            int start = 0;
            while (done[start]) start++;
            List<Integer> path = new ArrayList<>();
            Map<Integer, Integer> at = new HashMap<>();
            int cur = start;
            while (!at.containsKey(cur)) {
                at.put(cur, path.size());
                path.add(cur);
                int next = -1;
                for (int p : waits.get(cur).keySet()) if (!done[p] && (next < 0 || p < next)) next = p;
                cur = next;
            }
            List<Integer> ring = new ArrayList<>(path.subList(at.get(cur), path.size()));
            int min = 0;
            for (int i = 1; i < ring.size(); i++) if (ring.get(i) < ring.get(min)) min = i;
            List<Integer> rot = new ArrayList<>(ring.subList(min, ring.size()));
            rot.addAll(ring.subList(0, min));
            List<String> names = new ArrayList<>();
            StringBuilder edges = new StringBuilder();
            for (int i = 0; i < rot.size(); i++) {
                int a = rot.get(i), b = rot.get((i + 1) % rot.size());
                names.add(units.get(a));
                if (i > 0) edges.append("; ");
                edges.append(waits.get(a).get(b).describe());
            }
            names.add(names.get(0));
            String kind = jobs.get(units.get(rot.get(0))) == JobType.STOP ? "stop" : "start";
            String msg = "ordering cycle among the " + kind + " jobs of '" + req.describe() + "': "
                    + String.join(" -> ", names) + " (" + edges + ")";
            return new Refused(new Rejection(msg, List.copyOf(names)));
        }
    }
}
