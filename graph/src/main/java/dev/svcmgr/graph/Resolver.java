package dev.svcmgr.graph;

import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;

import java.util.ArrayList;
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
 *   are up are restarted, others get start jobs; then, transitively over
 *   {@link Atom#PROPAGATES_RESTART}, every up dependent without a job is restarted. A restarted unit
 *   gets two jobs, a stop and a start that waits for it (the halves the executor runs).
 *   <b>try-restart</b> is the same without the start closure and without jobs for requested units
 *   that are not up. <b>reload</b>: a reload job per requested unit; one that is not up rejects.</li>
 * <li><b>isolate T</b>: T must set {@code allow-isolate: true} (not checked when
 *   {@link Request#everything()}, i.e. for shutdown). Start closure of T as above; every other up
 *   unit gets a stop job ({@code not needed by T}) except {@code ignore-on-isolate} ones (unless
 *   {@code everything}). No stop propagation: everything not needed is already stopped.</li>
 * </ul>
 * Conditions are not evaluated here (no I/O): the executor skips a unit whose conditions fail.
 * Job mode {@link JobMode#ISOLATE} makes a start request an isolate; {@code replace} and
 * {@code fail} make no difference to the plan: they govern how the executor merges it with jobs
 * already queued.
 *
 * <h2>Ordering and waves</h2>
 * For an ordering edge {@code A after B} and each job of A and of B: two start-like jobs (start,
 * reload, verify-active): A waits for B; two stop jobs: B waits for A (stop order is the exact
 * reverse of start order over the same edges); one stop and one start-like: the start-like job waits
 * for the stop job, whichever way the edge points (systemd's rule). A restart's start half waits for
 * its stop half, and the halves follow the same table: dependents stop first, then everything starts
 * in order. A start-like job of a unit also waits for the stop job of each unit it conflicts with.
 * {@link Job#waitsFor()} lists what a job waits for; {@code wave = 1 + max(wave of those)}, 0 when it
 * waits for nothing. A cycle among the jobs rejects the request, naming the units in order and each
 * edge's origin ({@link Ordering}).
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

    /** Why a unit is in the transaction: one link of the chain back to the request (parent -1 at the request). */
    private record Cause(int parent, String phrase, Edge edge, int depth, String firstHop) {
        static Cause root(String phrase) { return new Cause(-1, phrase, null, 0, phrase); }

        Cause child(int self, String phrase, Edge edge) {
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

    /** One resolution; all state lives here and dies with it. Nodes are the graph's dense ids (id order = name order). */
    private static final class Tx {
        final DependencyGraph g;
        final Request req;
        final int n;
        final ActiveState[] state;
        final boolean[] maskedId;
        final Cause[] cause;
        final JobType[] job;
        final boolean[] needed;
        final List<String> skipped = new ArrayList<>();
        final TreeSet<Integer> roots = new TreeSet<>();

        Tx(DependencyGraph g, Map<String, ActiveState> current, Set<String> masked, Request req) {
            this.g = g;
            this.req = req;
            this.n = g.size();
            this.state = new ActiveState[n];
            java.util.Arrays.fill(state, ActiveState.INACTIVE);
            for (Map.Entry<String, ActiveState> e : current.entrySet()) {
                int i = g.id(e.getKey());
                if (i >= 0 && e.getValue() != null) state[i] = e.getValue();
            }
            this.maskedId = new boolean[n];
            for (String m : masked) {
                int i = g.id(m);
                if (i >= 0) maskedId[i] = true;
            }
            this.cause = new Cause[n];
            this.job = new JobType[n];
            this.needed = new boolean[n];
        }

        String name(int u) { return g.nameAt(u); }

        boolean up(int u) { return state[u].isUp(); }

        Refused refuse(String error) { return new Refused(new Rejection(error, null)); }

        Resolution run() {
            if (req.units().isEmpty()) throw refuse(req.verb().word() + " needs at least one unit");
            for (String nm : req.units()) {
                int c = g.id(g.canonical(nm));
                Unit u = c < 0 ? null : g.unitAt(c);
                if (u == null || u.load() == LoadState.NOT_FOUND) throw refuse("unit " + nm + " not found");
                roots.add(c);
            }
            switch (req.verb()) {
                case START -> {
                    if (req.mode() == JobMode.ISOLATE) isolate();
                    else startClosure();
                }
                case STOP -> stop();
                case RESTART -> {
                    startClosure();
                    for (int r : roots) if (up(r)) job[r] = JobType.RESTART;
                    propagateRestart();
                }
                case TRY_RESTART -> {
                    for (int r : roots) {
                        cause[r] = Cause.root("requested");
                        if (up(r)) job[r] = JobType.RESTART;
                    }
                    propagateRestart();
                }
                case RELOAD -> {
                    for (int r : roots) {
                        if (!up(r)) throw refuse("cannot reload " + name(r) + ": it is " + state[r].word() + ", not active");
                        cause[r] = Cause.root("requested");
                        job[r] = JobType.RELOAD;
                    }
                }
                case ISOLATE -> isolate();
                case RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART -> reloadOrRestart();
            }
            conflicts();
            return Ordering.order(g, req, job, this::reason, skipped);
        }

        /**
         * As systemctl: an active unit that can reload (a service with {@code exec-reload}) is
         * reloaded; the others are restarted, or, for {@code try-reload-or-restart}, restarted
         * only when active (an inactive one is left alone).
         */
        void reloadOrRestart() {
            List<Integer> reloaded = new ArrayList<>();
            for (int r : roots) {
                Unit u = g.unitAt(r);
                if (up(r) && u != null && u.service() != null && u.service().execReload() != null) reloaded.add(r);
            }
            roots.removeAll(reloaded);
            if (!roots.isEmpty()) {
                if (req.verb() == Request.Verb.RELOAD_OR_RESTART) {
                    startClosure();
                    for (int r : roots) if (up(r)) job[r] = JobType.RESTART;
                } else {
                    for (int r : roots) {
                        cause[r] = Cause.root("requested");
                        if (up(r)) job[r] = JobType.RESTART;
                    }
                }
                propagateRestart();
            }
            for (int r : reloaded) {
                cause[r] = Cause.root("requested");
                job[r] = JobType.RELOAD;
            }
            roots.addAll(reloaded);
        }

        // ---- start closure ------------------------------------------------------------------

        String problem(int u) {
            Unit x = g.unitAt(u);
            String nm = name(u);
            if (x == null) return "unit " + nm + " not found";
            if (maskedId[u] || x.load() == LoadState.MASKED) return nm + " is masked";
            if (x.load() == LoadState.NOT_FOUND) {
                String e = x.firstErrorWithoutContent();
                return e != null ? e : "unit " + nm + " not found";
            }
            if (x.load() == LoadState.BAD_SETTING) {
                String e = x.firstErrorWithoutContent();
                return nm + " has bad settings" + (e != null ? ": " + e : "");
            }
            return null;
        }

        boolean loaded(int u) {
            Unit x = g.unitAt(u);
            return x != null && !maskedId[u] && x.load() == LoadState.LOADED;
        }

        boolean[] anchored() {
            boolean[] seen = new boolean[n];
            Ints work = new Ints();
            for (int r : roots) {
                seen[r] = true;
                work.add(r);
            }
            while (!work.isEmpty()) {
                int u = work.poll();
                if (!loaded(u)) continue;
                for (EdgeKind k : HARD_PULL_KINDS)
                    for (int v : g.outIds(u, k)) if (!seen[v]) {
                        seen[v] = true;
                        work.add(v);
                    }
            }
            return seen;
        }

        /** Breadth-first start closure avoiding {@code excluded}; fills {@link #cause}; returns units in visit order. */
        Ints closure(boolean[] excluded) {
            java.util.Arrays.fill(cause, null);
            Ints work = new Ints();
            for (int r : roots) {
                cause[r] = Cause.root("requested");
                work.add(r);
            }
            while (!work.isEmpty()) {
                int u = work.poll();
                if (!loaded(u)) continue;
                Cause cu = cause[u];
                for (EdgeKind k : PULL_KINDS) {
                    int[] vs = g.outIds(u, k);
                    Edge[] es = g.outEdges(u, k);
                    for (int j = 0; j < vs.length; j++) {
                        int v = vs[j];
                        if (excluded[v] || cause[v] != null) continue;
                        cause[v] = cu.child(u, k.byPhrase() + " " + name(u), es[j]);
                        work.add(v);
                    }
                }
            }
            work.head = 0;
            return work;
        }

        void startClosure() {
            boolean[] anchored = anchored();
            boolean[] excluded = new boolean[n];
            Ints reached;
            while (true) {
                reached = closure(excluded);
                Ints bad = new Ints();
                for (int i = 0; i < reached.size; i++) {
                    int u = reached.a[i];
                    String p = loaded(u) ? null : problem(u);
                    if (p == null) {
                        int[] vs = g.outIds(u, EdgeKind.REQUISITE);
                        Edge[] es = g.outEdges(u, EdgeKind.REQUISITE);
                        for (int j = 0; j < vs.length; j++) {
                            int v = vs[j];
                            if (up(v) || (cause[v] != null && loaded(v))) continue;
                            p = name(u) + " needs " + name(v) + " active (" + es[j].origin() + "), but it is " + state[v].word();
                            break;
                        }
                    }
                    if (p == null) continue;
                    if (anchored[u]) throw refuse(rejectionText(u, p));
                    bad.add(u);
                    skipped.add(name(u) + ": " + p + " (" + reason(u) + ")");
                }
                if (bad.isEmpty()) break;
                for (int i = 0; i < bad.size; i++) excluded[bad.a[i]] = true;
                while (!bad.isEmpty()) {
                    int x = bad.poll();
                    for (EdgeKind k : HARD_PULL_KINDS) {
                        for (int d : g.inIds(x, k)) {
                            if (cause[d] == null || excluded[d]) continue;
                            excluded[d] = true;
                            String p = name(d) + " " + k.ofPhrase() + " " + name(x) + ", which cannot start";
                            if (anchored[d]) throw refuse(rejectionText(d, p));
                            skipped.add(name(d) + ": " + k.ofPhrase() + " " + name(x) + ", which cannot start (" + reason(d) + ")");
                            bad.add(d);
                        }
                    }
                }
            }
            for (int i = 0; i < reached.size; i++) {
                int u = reached.a[i];
                needed[u] = true;
                if (!up(u)) job[u] = JobType.START;
            }
        }

        String rejectionText(int u, String problem) {
            StringBuilder b = new StringBuilder(problem);
            Cause c = cause[u];
            if (c != null && c.parent() >= 0) {
                b.append(" (").append(reason(u));
                if (c.edge() != null) b.append("; ").append(c.edge().describe());
                b.append(')');
            }
            return b.toString();
        }

        // ---- stop, restart, isolate, conflicts ----------------------------------------------------

        void stop() {
            Ints work = new Ints();
            for (int r : roots) {
                cause[r] = Cause.root("requested");
                work.add(r);
            }
            propagateStop(work, false);
            for (int r : roots) if (up(r)) job[r] = JobType.STOP;
        }

        /** Stop jobs, transitively, for up units that require, bind to or are part of a unit in {@code work}. */
        void propagateStop(Ints work, boolean fromConflict) {
            boolean[] seen = new boolean[n];
            for (int i = 0; i < work.size; i++) seen[work.a[i]] = true;
            while (!work.isEmpty()) {
                int u = work.poll();
                for (EdgeKind k : STOP_KINDS) {
                    int[] ds = g.inIds(u, k);
                    Edge[] es = g.inEdges(u, k);
                    for (int j = 0; j < ds.length; j++) {
                        int d = ds[j];
                        if (seen[d]) continue;
                        seen[d] = true;
                        if (fromConflict && (needed[d] || startLike(job[d])))
                            throw refuse("conflicting jobs: " + name(d) + " is needed (" + reason(d) + ") but "
                                    + k.ofPhrase() + " " + name(u) + ", which is stopped (" + reason(u) + "); " + es[j].describe());
                        if (cause[d] == null) cause[d] = cause[u].child(u, k.ofPhrase() + " " + name(u), es[j]);
                        if (up(d) && job[d] == null) job[d] = JobType.STOP;
                        work.add(d);
                    }
                }
            }
        }

        void propagateRestart() {
            boolean[] seen = new boolean[n];
            Ints work = new Ints();
            for (int r : roots) {
                seen[r] = true;
                work.add(r);
            }
            while (!work.isEmpty()) {
                int u = work.poll();
                for (EdgeKind k : RESTART_KINDS) {
                    int[] ds = g.inIds(u, k);
                    Edge[] es = g.inEdges(u, k);
                    for (int j = 0; j < ds.length; j++) {
                        int d = ds[j];
                        if (seen[d]) continue;
                        seen[d] = true;
                        if (job[d] == null) {
                            cause[d] = cause[u].child(u, k.ofPhrase() + " " + name(u), es[j]);
                            if (up(d)) job[d] = JobType.RESTART;
                        }
                        work.add(d);
                    }
                }
            }
        }

        void isolate() {
            if (roots.size() != 1) throw refuse("isolate takes exactly one target, got " + roots.size());
            int t = roots.first();
            if (!req.everything() && !g.unitAt(t).allowIsolate())
                throw refuse("cannot isolate to " + name(t) + ": it does not set allow-isolate: true");
            startClosure();
            Cause c = Cause.root("not needed by " + name(t));
            for (int v = 0; v < n; v++) {
                if (!up(v) || needed[v] || job[v] != null) continue;
                Unit u = g.unitAt(v);
                if (!req.everything() && u != null && u.ignoreOnIsolate()) continue;
                cause[v] = c;
                job[v] = JobType.STOP;
            }
        }

        void conflicts() {
            for (int s = 0; s < n; s++) {
                if (!startLike(job[s])) continue;
                int[][] pairs = g.conflictPairs(s);
                if (pairs == null) continue;
                for (int[] pr : pairs) {
                    int y = pr[0];
                    if (y == s) continue;
                    Edge e = g.conflictEdge(s, pr);
                    if (startLike(job[y]) || needed[y])
                        throw refuse("conflicting jobs: " + name(s) + " (" + reason(s) + ") and " + name(y) + " ("
                                + reason(y) + "): " + e.describe());
                    if (job[y] == JobType.STOP || !up(y)) continue;
                    cause[y] = cause[s].child(s, "conflicts with " + name(s), e);
                    job[y] = JobType.STOP;
                    Ints w = new Ints();
                    w.add(y);
                    propagateStop(w, true);
                }
            }
        }

        // ---- reasons -------------------------------------------------------------------------

        String reason(int u) {
            Cause c = cause[u];
            if (c == null) return "requested";
            if (c.parent() < 0) return c.phrase();
            StringBuilder b = new StringBuilder();
            int k = 0;
            Cause x = c;
            boolean shorten = c.depth() > REASON_LINKS + 1;
            while (x.parent() >= 0 && (!shorten || k < REASON_LINKS)) {
                if (k++ > 0) b.append(", ");
                b.append(x.phrase());
                x = cause[x.parent()];
            }
            if (shorten) b.append(", … (").append(c.depth() - REASON_LINKS - 1).append(" more), ").append(c.firstHop());
            return b.toString();
        }
    }
}
