package dev.svcmgr.graph;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ordering cycles of a whole unit set, for {@code svcmgr verify}.
 *
 * <p>The ordering graph has an edge {@code A -> B} for each {@code A after B} (declared, from
 * {@code before}, or implied by requires/wants/requisite/binds-to and install). Its strongly
 * connected components are found first, then the elementary cycles inside each non-trivial
 * component (Johnson's algorithm, written with worklists: JGraphT's recursive version overflows
 * the stack on a 10,000-unit cycle), so a large acyclic set costs one linear pass.
 * A unit ordered after itself (a self-loop: {@code after}/{@code before} naming it, or an ordered
 * requirement on itself, which the loader keeps for this reason) is a cycle of one unit,
 * {@code [a.service, a.service]}. At most {@link #LIMIT} cycles are reported;
 * {@link #find(DependencyGraph, int)} takes another bound. Each cycle starts at its smallest unit
 * name; cycles are sorted.
 */
public final class Cycles {
    /** The most cycles {@link #find(DependencyGraph)} returns. */
    public static final int LIMIT = 100;

    private Cycles() {}

    /**
     * One elementary ordering cycle.
     *
     * @param units the units in order, each ordered after the next; the first repeated last
     * @param edges the {@code after} edge for each step, {@code edges.get(i)} from
     *              {@code units.get(i)} to {@code units.get(i + 1)}
     */
    public record Cycle(List<String> units, List<Edge> edges) {
        public Cycle {
            units = List.copyOf(units);
            edges = List.copyOf(edges);
        }

        /** {@code a.service -> b.service -> a.service}. */
        public String path() { return String.join(" -> ", units); }
    }

    /** Every elementary ordering cycle, at most {@link #LIMIT}. */
    public static List<Cycle> find(DependencyGraph g) { return find(g, LIMIT); }

    /** Every elementary ordering cycle, at most {@code limit}. */
    public static List<Cycle> find(DependencyGraph g, int limit) {
        int n = g.size();
        List<Cycle> found = new ArrayList<>();
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            // adjacency sorted by target name (= id), parallel edges adjacent: keep one per target
            int[] ts = g.outIds(i, EdgeKind.AFTER);
            int[] keep = new int[ts.length];
            int k = 0;
            for (int j = 0; j < ts.length; j++) {
                if (j > 0 && ts[j] == ts[j - 1]) continue;
                if (ts[j] == i) {
                    if (found.size() < limit) found.add(new Cycle(List.of(g.nameAt(i), g.nameAt(i)), List.of(g.outEdges(i, EdgeKind.AFTER)[j])));
                    continue;
                }
                keep[k++] = ts[j];
            }
            out[i] = java.util.Arrays.copyOf(keep, k);
        }
        new Johnson(out, limit - found.size(), c -> {
            List<String> units = new ArrayList<>(c.size());
            for (int v : c) units.add(g.nameAt(v));
            found.add(cycle(g, units));
        }).run();
        List<Cycle> res = new ArrayList<>(found);
        res.sort(Comparator.comparing(c -> String.join("\n", c.units())));
        return List.copyOf(res);
    }

    /** The first {@code after} edge from one unit to another (declaration order). */
    private static Edge firstEdge(DependencyGraph g, String from, String to) {
        for (Edge e : g.outgoing(from, EdgeKind.AFTER)) if (e.to().equals(to)) return e;
        throw new IllegalStateException("no edge " + from + " after " + to);
    }

    /**
     * Johnson's elementary-cycle algorithm over int vertices, with worklists instead of
     * recursion (a 10,000-unit cycle must not overflow the stack): take the strongly connected
     * components (Tarjan, iterative); in each non-trivial one, list the cycles through its
     * smallest vertex s, remove s, and split the rest into components again.
     */
    private static final class Johnson {
        private final int[][] out;
        private final java.util.function.Consumer<List<Integer>> sink;
        private int left;
        private final boolean[] alive;
        private final boolean[] blocked;
        private final List<java.util.Set<Integer>> b;
        private final int[] idx;
        private final int[] low;
        private final boolean[] onStack;

        Johnson(int[][] out, int limit, java.util.function.Consumer<List<Integer>> sink) {
            int n = out.length;
            this.out = out;
            this.sink = sink;
            this.left = limit;
            this.alive = new boolean[n];
            this.blocked = new boolean[n];
            this.b = new ArrayList<>(n);
            for (int i = 0; i < n; i++) b.add(new java.util.HashSet<>());
            this.idx = new int[n];
            this.low = new int[n];
            this.onStack = new boolean[n];
        }

        void run() {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < out.length; i++) all.add(i);
            java.util.ArrayDeque<List<Integer>> work = new java.util.ArrayDeque<>(components(all));
            while (!work.isEmpty() && left > 0) {
                List<Integer> comp = work.poll();
                int s = comp.get(0);
                for (int v : comp) {
                    alive[v] = true;
                    blocked[v] = false;
                    b.get(v).clear();
                }
                circuits(s);
                for (int v : comp) alive[v] = false;
                List<Integer> rest = new ArrayList<>(comp.subList(1, comp.size()));
                List<List<Integer>> sub = components(rest);
                for (int i = sub.size() - 1; i >= 0; i--) work.addFirst(sub.get(i));
            }
        }

        /** Non-trivial strongly connected components of the subgraph on {@code vs} (sorted lists, by first vertex). */
        List<List<Integer>> components(List<Integer> vs) {
            for (int v : vs) {
                alive[v] = true;
                idx[v] = -1;
                onStack[v] = false;
            }
            List<List<Integer>> res = new ArrayList<>();
            int counter = 0;
            int[] stack = new int[vs.size()];
            int sp = 0;
            int[] callV = new int[vs.size()];
            int[] callPos = new int[vs.size()];
            for (int root : vs) {
                if (idx[root] != -1) continue;
                int cp = 0;
                callV[cp] = root;
                callPos[cp++] = 0;
                idx[root] = low[root] = counter++;
                stack[sp++] = root;
                onStack[root] = true;
                while (cp > 0) {
                    int u = callV[cp - 1];
                    if (callPos[cp - 1] < out[u].length) {
                        int w = out[u][callPos[cp - 1]++];
                        if (!alive[w]) continue;
                        if (idx[w] == -1) {
                            idx[w] = low[w] = counter++;
                            stack[sp++] = w;
                            onStack[w] = true;
                            callV[cp] = w;
                            callPos[cp++] = 0;
                        } else if (onStack[w]) {
                            low[u] = Math.min(low[u], idx[w]);
                        }
                    } else {
                        cp--;
                        if (cp > 0) low[callV[cp - 1]] = Math.min(low[callV[cp - 1]], low[u]);
                        if (low[u] == idx[u]) {
                            List<Integer> comp = new ArrayList<>();
                            int w;
                            do {
                                w = stack[--sp];
                                onStack[w] = false;
                                comp.add(w);
                            } while (w != u);
                            if (comp.size() > 1) {
                                comp.sort(null);
                                res.add(comp);
                            }
                        }
                    }
                }
            }
            for (int v : vs) alive[v] = false;
            res.sort(Comparator.comparing(c -> c.get(0)));
            return res;
        }

        /** Johnson's CIRCUIT from s over alive vertices, as a loop with explicit frames. */
        void circuits(int s) {
            List<Integer> path = new ArrayList<>();
            List<Integer> pos = new ArrayList<>();
            List<Boolean> found = new ArrayList<>();
            path.add(s);
            pos.add(0);
            found.add(false);
            blocked[s] = true;
            while (!path.isEmpty()) {
                int top = path.size() - 1;
                int v = path.get(top);
                int p = pos.get(top);
                if (p < out[v].length && left > 0) {
                    pos.set(top, p + 1);
                    int w = out[v][p];
                    if (!alive[w]) continue;
                    if (w == s) {
                        sink.accept(List.copyOf(path));
                        left--;
                        found.set(top, true);
                    } else if (!blocked[w]) {
                        blocked[w] = true;
                        path.add(w);
                        pos.add(0);
                        found.add(false);
                    }
                } else {
                    boolean f = found.get(top);
                    if (f) {
                        unblock(v);
                    } else {
                        for (int w : out[v]) if (alive[w]) b.get(w).add(v);
                    }
                    path.remove(top);
                    pos.remove(top);
                    found.remove(top);
                    if (top > 0 && f) found.set(top - 1, true);
                }
            }
        }

        private void unblock(int u) {
            java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
            work.add(u);
            while (!work.isEmpty()) {
                int x = work.poll();
                if (!blocked[x]) continue;
                blocked[x] = false;
                for (int w : b.get(x)) work.add(w);
                b.get(x).clear();
            }
        }
    }

    private static Cycle cycle(DependencyGraph g, List<String> c) {
        int min = 0;
        for (int i = 1; i < c.size(); i++) if (c.get(i).compareTo(c.get(min)) < 0) min = i;
        List<String> units = new ArrayList<>(c.subList(min, c.size()));
        units.addAll(c.subList(0, min));
        units.add(units.get(0));
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i + 1 < units.size(); i++) edges.add(firstEdge(g, units.get(i), units.get(i + 1)));
        return new Cycle(units, edges);
    }

}
