package dev.svcmgr.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The resolver's last step: the jobs chosen per unit become the nodes of the plan, the ordering
 * table gives the edges between them, and waves come out of Kahn's algorithm; a cycle rejects.
 *
 * <p>A unit with a {@code restart} job becomes two nodes, a stop and a start (the start waits for
 * the stop), and these halves are ordered by the same table as any stop and start: so the stops of a
 * restart run dependents first and the starts in dependency order, exactly as the executor runs them.
 * Other units have one node. For an ordering edge {@code A after B} and each node a of A, b of B:
 * a stop waits for nothing but stops (two stops: b waits for a); a start-like node waits for b when
 * both are start-like, and for whichever is the stop otherwise. A start-like node also waits for the
 * stop of each unit it conflicts with. As a stop never waits for a start, a cycle is all stops or
 * all starts.
 */
final class Ordering {
    private Ordering() {}

    /** The jobs one node waits for: ids of waited-for nodes and the edge that made each wait (null: its own stop half). */
    private static final class Waits {
        int[] ids = new int[4];
        Edge[] edges = new Edge[4];
        int size;
        java.util.HashSet<Integer> big;

        void add(int id, Edge e) {
            // first edge kept for each waited-for node
            if (big != null) {
                if (!big.add(id)) return;
            } else {
                for (int i = 0; i < size; i++) if (ids[i] == id) return;
                if (size == 16) {
                    big = new java.util.HashSet<>();
                    for (int i = 0; i < size; i++) big.add(ids[i]);
                    big.add(id);
                }
            }
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
                edges = java.util.Arrays.copyOf(edges, size * 2);
            }
            ids[size] = id;
            edges[size++] = e;
        }

        Edge edge(int id) {
            for (int i = 0; i < size; i++) if (ids[i] == id) return edges[i];
            return null;
        }
    }

    /**
     * The plan for the jobs chosen per unit ({@code job[u]}, null for none), or the rejection of an
     * ordering cycle among them.
     */
    static Resolution order(DependencyGraph g, Request req, JobType[] job, IntFunction<String> reason, List<String> skipped) {
        int n = job.length;
        // nodes in unit order; a restarted unit's start half before its stop half
        int[] startNode = new int[n], stopNode = new int[n];
        java.util.Arrays.fill(startNode, -1);
        java.util.Arrays.fill(stopNode, -1);
        Ints unitOf = new Ints();
        List<JobType> typeOf = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            if (job[u] == null) continue;
            if (job[u] != JobType.STOP) {
                startNode[u] = unitOf.size;
                unitOf.add(u);
                typeOf.add(job[u] == JobType.RESTART ? JobType.START : job[u]);
            }
            if (job[u] == JobType.STOP || job[u] == JobType.RESTART) {
                stopNode[u] = unitOf.size;
                unitOf.add(u);
                typeOf.add(JobType.STOP);
            }
        }
        int m = unitOf.size;
        Waits[] waits = new Waits[m];
        for (int i = 0; i < m; i++) waits[i] = new Waits();
        for (int a = 0; a < m; a++) {
            int ua = unitOf.a[a];
            boolean sa = typeOf.get(a) == JobType.STOP;
            if (!sa && stopNode[ua] >= 0) waits[a].add(stopNode[ua], null); // a restart's start half
            int[] bs = g.outIds(ua, EdgeKind.AFTER);
            Edge[] es = g.outEdges(ua, EdgeKind.AFTER);
            for (int j = 0; j < bs.length; j++) {
                for (int b : new int[] {startNode[bs[j]], stopNode[bs[j]]}) {
                    if (b < 0) continue;
                    // two starts: a waits for b; two stops: b waits for a; mixed: the start-like one waits for the stop
                    if (sa) waits[b].add(a, es[j]);
                    else waits[a].add(b, es[j]);
                }
            }
            if (!sa) {
                int[][] pairs = g.conflictPairs(ua);
                if (pairs != null) for (int[] pr : pairs) {
                    int b = stopNode[pr[0]];
                    if (b >= 0) waits[a].add(b, g.conflictEdge(ua, pr));
                }
            }
        }
        int[] count = new int[m];
        int[] wave = new int[m];
        Ints[] succ = new Ints[m];
        for (int i = 0; i < m; i++) {
            count[i] = waits[i].size;
            for (int j = 0; j < waits[i].size; j++) {
                int p = waits[i].ids[j];
                if (succ[p] == null) succ[p] = new Ints();
                succ[p].add(i);
            }
        }
        Ints ready = new Ints();
        for (int i = 0; i < m; i++) if (count[i] == 0) ready.add(i);
        boolean[] done = new boolean[m];
        int processed = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done[i] = true;
            processed++;
            if (succ[i] == null) continue;
            for (int j = 0; j < succ[i].size; j++) {
                int s = succ[i].a[j];
                wave[s] = Math.max(wave[s], wave[i] + 1);
                if (--count[s] == 0) ready.add(s);
            }
        }
        if (processed < m) return cycle(g, req, unitOf, typeOf, waits, done);
        List<Job> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int[] w = java.util.Arrays.copyOf(waits[i].ids, waits[i].size);
            java.util.Arrays.sort(w); // node order is unit order
            List<Job.Ref> after = new ArrayList<>(w.length);
            for (int p : w) after.add(new Job.Ref(g.nameAt(unitOf.a[p]), typeOf.get(p)));
            int u = unitOf.a[i];
            out.add(new Job(g.nameAt(u), typeOf.get(i), wave[i], reason.apply(u), after));
        }
        out.sort(Comparator.comparingInt(Job::wave).thenComparing(Job::unit));
        List<String> sk = new ArrayList<>(new LinkedHashSet<>(skipped));
        sk.sort(null);
        return new Plan(req, out, sk);
    }

    private static Rejection cycle(DependencyGraph g, Request req, Ints unitOf, List<JobType> typeOf, Waits[] waits,
                                   boolean[] done) {
        int start = 0;
        while (done[start]) start++;
        List<Integer> path = new ArrayList<>();
        Map<Integer, Integer> at = new HashMap<>();
        int cur = start;
        while (!at.containsKey(cur)) {
            at.put(cur, path.size());
            path.add(cur);
            int next = -1;
            for (int j = 0; j < waits[cur].size; j++) {
                int p = waits[cur].ids[j];
                if (!done[p] && (next < 0 || p < next)) next = p;
            }
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
            names.add(g.nameAt(unitOf.a[a]));
            if (i > 0) edges.append("; ");
            edges.append(waits[a].edge(b).describe());
        }
        names.add(names.get(0));
        String kind = typeOf.get(rot.get(0)) == JobType.STOP ? "stop" : "start";
        String msg = "ordering cycle among the " + kind + " jobs of '" + req.describe() + "': "
                + String.join(" -> ", names) + " (" + edges + ")";
        return new Rejection(msg, List.copyOf(names));
    }
}
