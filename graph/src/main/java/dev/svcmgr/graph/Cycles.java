package dev.svcmgr.graph;

import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.cycle.JohnsonSimpleCycles;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ordering cycles of a whole unit set, for {@code svcmgr verify}.
 *
 * <p>The ordering graph has an edge {@code A -> B} for each {@code A after B} (declared, from
 * {@code before}, or implied by requires/wants/requisite/binds-to and install). Its strongly
 * connected components are found first (Kosaraju), then the elementary cycles inside each
 * non-trivial component (Johnson's algorithm), so a large acyclic set costs one linear pass.
 * At most {@link #LIMIT} cycles are reported; {@link #find(DependencyGraph, int)} takes
 * another bound. Each cycle starts at its smallest unit name; cycles are sorted.
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
        Graph<String, DefaultEdge> order = new DefaultDirectedGraph<>(DefaultEdge.class);
        Map<String, Edge> first = new HashMap<>();
        List<Cycle> found = new ArrayList<>();
        for (String n : g.names()) order.addVertex(n);
        for (Edge e : g.edges()) {
            if (e.edgeKind() != EdgeKind.AFTER) continue;
            if (e.from().equals(e.to())) {
                if (first.putIfAbsent(e.from() + "\n" + e.to(), e) == null)
                    found.add(new Cycle(List.of(e.from(), e.from()), List.of(e)));
                continue;
            }
            if (first.putIfAbsent(e.from() + "\n" + e.to(), e) == null) order.addEdge(e.from(), e.to());
        }
        List<Set<String>> sccs = new ArrayList<>(new KosarajuStrongConnectivityInspector<>(order).stronglyConnectedSets());
        sccs.removeIf(s -> s.size() < 2);
        sccs.sort(Comparator.comparing(s -> new TreeSet<>(s).first()));
        try {
            for (Set<String> scc : sccs) {
                Graph<String, DefaultEdge> sub = new DefaultDirectedGraph<>(DefaultEdge.class);
                for (String v : new TreeSet<>(scc)) sub.addVertex(v);
                for (String v : new TreeSet<>(scc))
                    for (DefaultEdge de : order.outgoingEdgesOf(v)) {
                        String t = order.getEdgeTarget(de);
                        if (scc.contains(t)) sub.addEdge(v, t);
                    }
                new JohnsonSimpleCycles<>(sub).findSimpleCycles(c -> {
                    if (found.size() >= limit) throw new Full();
                    found.add(cycle(c, first));
                });
            }
        } catch (Full full) {
            // bounded: the first `limit` cycles are kept
        }
        List<Cycle> out = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        out.sort(Comparator.comparing(c -> String.join("\n", c.units())));
        return List.copyOf(out);
    }

    private static Cycle cycle(List<String> c, Map<String, Edge> first) {
        int min = 0;
        for (int i = 1; i < c.size(); i++) if (c.get(i).compareTo(c.get(min)) < 0) min = i;
        List<String> units = new ArrayList<>(c.subList(min, c.size()));
        units.addAll(c.subList(0, min));
        units.add(units.get(0));
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i + 1 < units.size(); i++) edges.add(first.get(units.get(i) + "\n" + units.get(i + 1)));
        return new Cycle(units, edges);
    }

    private static final class Full extends RuntimeException {
        Full() { super(null, null, false, false); }
    }
}
