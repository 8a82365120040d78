package dev.svcmgr.graph;

import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import org.jgrapht.Graph;
import org.jgrapht.graph.builder.GraphTypeBuilder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dependency graph of a {@link UnitSet}, built once and immutable.
 *
 * <p>Nodes are canonical unit names: every unit of the set, plus a {@code not-found}
 * stand-in for each name that a relation names and nothing defines. Edges are
 * {@link Edge}s: the requirement kinds as declared ({@code provides} names
 * resolved to the providing unit, aliases to their unit), the reverse edges of
 * {@code install} (dropped for disabled units), and ordering edges: {@code after}
 * as declared, {@code before} reversed, and one implied {@code after} for every
 * {@code requires}, {@code wants}, {@code requisite} and {@code binds-to} entry
 * not marked {@code ordered: false}. Every edge keeps its {@link Origin}.
 *
 * <p>Per-node, per-kind adjacency lists sorted by the other end's name serve the
 * resolver's worklists; a JGraphT multigraph of the same nodes and edges is made on
 * first use for graph views and DOT export (it is never exposed). Every list this
 * class returns is sorted by unit name.
 */
public final class DependencyGraph {
    private static final Comparator<Edge> BY_TO = Comparator.comparing(Edge::to);
    private static final Comparator<Edge> BY_FROM = Comparator.comparing(Edge::from);

    private final UnitSet units;
    private final SortedMap<String, Unit> nodes;
    private volatile Graph<String, Edge> graph;
    private final List<Edge> edges;
    private final Map<String, List<Edge>[]> out;
    private final Map<String, List<Edge>[]> in;
    // Dense ids for the resolver's hot loops: id order is name order.
    private final String[] names;
    private final Map<String, Integer> ids;
    private final Unit[] unitAt;
    private final int[][][] outIds;
    private final int[][][] inIds;
    private final Edge[][][] outEdges;
    private final Edge[][][] inEdges;
    private static final int[] NO_IDS = new int[0];
    private static final Edge[] NO_EDGES = new Edge[0];

    private DependencyGraph(UnitSet units, SortedMap<String, Unit> nodes, List<Edge> edges) {
        this.units = units;
        this.nodes = Collections.unmodifiableSortedMap(nodes);
        this.edges = List.copyOf(edges);
        this.out = new HashMap<>();
        this.in = new HashMap<>();
        int k = EdgeKind.values().length;
        for (String n : nodes.keySet()) {
            out.put(n, newLists(k));
            in.put(n, newLists(k));
        }
        for (Edge e : edges) {
            int i = e.edgeKind().ordinal();
            List<Edge>[] o = out.get(e.from()), n = in.get(e.to());
            if (o[i] == null) o[i] = new ArrayList<>(2);
            if (n[i] == null) n[i] = new ArrayList<>(2);
            o[i].add(e);
            n[i].add(e);
        }
        for (List<Edge>[] ls : out.values()) for (int i = 0; i < k; i++) ls[i] = sortedCopy(ls[i], BY_TO);
        for (List<Edge>[] ls : in.values()) for (int i = 0; i < k; i++) ls[i] = sortedCopy(ls[i], BY_FROM);
        names = nodes.keySet().toArray(new String[0]);
        ids = new HashMap<>(names.length * 2);
        unitAt = new Unit[names.length];
        for (int i = 0; i < names.length; i++) {
            ids.put(names[i], i);
            unitAt[i] = nodes.get(names[i]);
        }
        outIds = new int[k][names.length][];
        inIds = new int[k][names.length][];
        outEdges = new Edge[k][names.length][];
        inEdges = new Edge[k][names.length][];
        for (int kind = 0; kind < k; kind++) {
            for (int i = 0; i < names.length; i++) {
                List<Edge> o = out.get(names[i])[kind], n = in.get(names[i])[kind];
                outEdges[kind][i] = o.isEmpty() ? NO_EDGES : o.toArray(NO_EDGES);
                inEdges[kind][i] = n.isEmpty() ? NO_EDGES : n.toArray(NO_EDGES);
                outIds[kind][i] = toIds(o, true);
                inIds[kind][i] = toIds(n, false);
            }
        }
    }

    private int[] toIds(List<Edge> l, boolean to) {
        if (l.isEmpty()) return NO_IDS;
        int[] a = new int[l.size()];
        for (int j = 0; j < a.length; j++) a[j] = ids.get(to ? l.get(j).to() : l.get(j).from());
        return a;
    }

    // ---- dense-id view (package use: the resolver) ---------------------------------------------

    /** Number of nodes; ids run from 0 to size() - 1 in name order. */
    int size() { return names.length; }

    /** The id of a node, or -1. */
    int id(String name) {
        Integer i = ids.get(name);
        return i == null ? -1 : i;
    }

    String nameAt(int id) { return names[id]; }

    Unit unitAt(int id) { return unitAt[id]; }

    /** Ids of the other ends of a node's outgoing edges of a kind, parallel to {@link #outEdges(int, EdgeKind)}. */
    int[] outIds(int id, EdgeKind k) { return outIds[k.ordinal()][id]; }

    Edge[] outEdges(int id, EdgeKind k) { return outEdges[k.ordinal()][id]; }

    int[] inIds(int id, EdgeKind k) { return inIds[k.ordinal()][id]; }

    Edge[] inEdges(int id, EdgeKind k) { return inEdges[k.ordinal()][id]; }

    @SuppressWarnings("unchecked")
    private static List<Edge>[] newLists(int k) {
        return new List[k];
    }

    private static List<Edge> sortedCopy(List<Edge> l, Comparator<Edge> c) {
        if (l == null || l.isEmpty()) return List.of();
        List<Edge> s = new ArrayList<>(l);
        s.sort(c); // stable: declaration order kept among edges to the same unit
        return List.copyOf(s);
    }

    /**
     * Builds the graph.
     *
     * @param units    the loaded units
     * @param disabled canonical names of disabled units: their {@code install} edges are dropped
     */
    public static DependencyGraph build(UnitSet units, Set<String> disabled) {
        Map<String, Unit> nodes = new HashMap<>(units.units());
        List<Edge> g = new ArrayList<>();
        List<Edge> edges = g;
        // Iterate a snapshot: stand-ins for missing names are added to nodes as they are met.
        for (Unit u : List.copyOf(units.units().values())) {
            String a = u.name();
            for (Dependency d : u.dependencies()) {
                EdgeKind kind = EdgeKind.of(d.kind());
                Origin o = d.origin() == null ? Origin.implied(d.kind().key()) : d.origin();
                List<String> targets = resolve(units, nodes, g, d.to(), kind == EdgeKind.AFTER);
                for (String b : targets) {
                    if (d.kind() == dev.svcmgr.units.DepKind.BEFORE) {
                        add(g, edges, new Edge(b, a, EdgeKind.AFTER.word(), o));
                    } else {
                        add(g, edges, new Edge(a, b, kind.word(), o));
                        if (kind.impliesOrdering() && d.ordered()) {
                            add(g, edges, new Edge(a, b, EdgeKind.AFTER.word(), o.withNote(IMPLIED[kind.ordinal()])));
                        }
                    }
                }
            }
            if (disabled.contains(a)) continue;
            int i = 0;
            for (String t : u.wantedBy()) install(units, nodes, g, edges, u, t, EdgeKind.WANTS, "wanted-by", i++);
            for (String t : u.requiredBy()) install(units, nodes, g, edges, u, t, EdgeKind.REQUIRES, "required-by", i++);
        }
        return new DependencyGraph(units, new TreeMap<>(nodes), edges);
    }

    private static final String[] IMPLIED = new String[EdgeKind.values().length];

    static {
        for (EdgeKind k : EdgeKind.values()) IMPLIED[k.ordinal()] = "implied by " + k.word();
    }

    private static void install(UnitSet units, Map<String, Unit> nodes, List<Edge> g, List<Edge> edges,
                                Unit u, String target, EdgeKind kind, String key, int index) {
        Origin o = index < u.installOrigins().size() ? u.installOrigins().get(index)
                : new Origin(u.fragmentPath(), 0, 0, "install." + key, null);
        o = o.withNote("install." + key + " of " + u.name());
        for (String t : resolve(units, nodes, g, target, false)) {
            add(g, edges, new Edge(t, u.name(), kind.word(), o));
            add(g, edges, new Edge(t, u.name(), EdgeKind.AFTER.word(), o.withNote("implied by install." + key + " of " + u.name())));
        }
    }

    /** Adds an edge (each declaration makes distinct edges: their origins differ). */
    private static void add(List<Edge> seen, List<Edge> edges, Edge e) {
        edges.add(e);
    }

    /** The node names a written name stands for: its unit, all providers (ordering), or a stand-in. */
    private static List<String> resolve(UnitSet units, Map<String, Unit> nodes, List<Edge> g, String name,
                                        boolean allProviders) {
        if (nodes.containsKey(name)) return List.of(name);
        if (allProviders && !units.units().containsKey(name) && !units.aliases().containsKey(name)) {
            List<String> p = units.providers().get(name);
            if (p != null && !p.isEmpty()) return p;
        }
        Unit u = units.lookup(name);
        if (u == null) {
            String c = units.canonical(name);
            u = nodes.get(c);
            if (u == null) u = units.require(c);
        }
        nodes.putIfAbsent(u.name(), u);
        return List.of(u.name());
    }

    /** The unit set this graph was built from. */
    public UnitSet units() { return units; }

    /** Every node name (canonical), sorted. */
    public Set<String> names() { return nodes.keySet(); }

    /** The unit of a node (a {@code not-found} stand-in for names nothing defines), or null when not a node. */
    public Unit unit(String name) { return nodes.get(name); }

    /** True when the name is a node. */
    public boolean contains(String name) { return nodes.containsKey(name); }

    /** The canonical node name for a name, alias or provided name; the name itself when unknown. */
    public String canonical(String name) {
        if (nodes.containsKey(name)) return name;
        return units.canonical(name);
    }

    /** Every edge, in build order (units by name, then declaration order). */
    public List<Edge> edges() { return edges; }

    /** Edges of a kind leaving a node ({@code unit --kind--> x}), sorted by {@code to}. */
    public List<Edge> outgoing(String unit, EdgeKind kind) {
        List<Edge>[] ls = out.get(unit);
        return ls == null ? List.of() : ls[kind.ordinal()];
    }

    /** Edges of a kind arriving at a node ({@code x --kind--> unit}), sorted by {@code from}. */
    public List<Edge> incoming(String unit, EdgeKind kind) {
        List<Edge>[] ls = in.get(unit);
        return ls == null ? List.of() : ls[kind.ordinal()];
    }

    /** Units that bind to this one: they stop whenever it goes inactive for any reason. */
    public List<String> bindsToDependents(String unit) { return froms(unit, EdgeKind.BINDS_TO); }

    /** Units that require this one: they stop when it is explicitly stopped or enters {@code failed}. */
    public List<String> requiresDependents(String unit) { return froms(unit, EdgeKind.REQUIRES); }

    /** Units that are part of this one: its stop and restart propagate to them. */
    public List<String> partOfDependents(String unit) { return froms(unit, EdgeKind.PART_OF); }

    /**
     * Units whose relation to this one has {@link Atom#PROPAGATES_STOP} (requires, binds-to,
     * part-of; direct only): stopped when this one is explicitly stopped or fails.
     */
    public List<String> stopPropagatesTo(String unit) {
        TreeSet<String> s = new TreeSet<>();
        for (EdgeKind k : EdgeKind.values()) if (k.has(Atom.PROPAGATES_STOP)) for (Edge e : incoming(unit, k)) s.add(e.from());
        s.remove(unit);
        return List.copyOf(s);
    }

    /**
     * Units a restart of this one propagates to, transitively, over
     * {@link Atom#PROPAGATES_RESTART} relations (requires, binds-to, part-of dependents).
     * The caller restarts those that are active.
     */
    public List<String> restartPropagatesTo(String unit) {
        TreeSet<String> seen = new TreeSet<>();
        ArrayDeque<String> work = new ArrayDeque<>();
        work.add(unit);
        while (!work.isEmpty()) {
            String u = work.poll();
            for (EdgeKind k : EdgeKind.values()) {
                if (!k.has(Atom.PROPAGATES_RESTART)) continue;
                for (Edge e : incoming(u, k)) if (!e.from().equals(unit) && seen.add(e.from())) work.add(e.from());
            }
        }
        return List.copyOf(seen);
    }

    /** The units this one's {@code on-failure} starts. */
    public List<String> onFailure(String unit) { return tos(unit, EdgeKind.ON_FAILURE); }

    /** Units this one conflicts with, declared on either side. */
    public List<String> conflicts(String unit) {
        TreeSet<String> s = new TreeSet<>();
        for (Edge e : outgoing(unit, EdgeKind.CONFLICTS)) s.add(e.to());
        for (Edge e : incoming(unit, EdgeKind.CONFLICTS)) s.add(e.from());
        s.remove(unit);
        return List.copyOf(s);
    }

    /** The conflicts edges touching a unit, either direction, sorted by the other unit. */
    List<Edge> conflictEdges(String unit) {
        List<Edge> l = new ArrayList<>(outgoing(unit, EdgeKind.CONFLICTS));
        l.addAll(incoming(unit, EdgeKind.CONFLICTS));
        l.sort(Comparator.comparing(e -> e.from().equals(unit) ? e.to() : e.from()));
        return l;
    }

    /** Units this one is ordered after (its start waits for theirs), sorted. */
    public List<String> orderedAfter(String unit) { return tos(unit, EdgeKind.AFTER); }

    /** Units ordered after this one, sorted. */
    public List<String> orderedBefore(String unit) { return froms(unit, EdgeKind.AFTER); }

    /**
     * Edges whose target is a unit that is not loaded ({@code not-found} or
     * {@code bad-setting}), in build order. For {@code requires}, {@code requisite} and
     * {@code binds-to} these are errors, for the other kinds warnings (units.md).
     */
    public List<Edge> unresolved() {
        List<Edge> l = new ArrayList<>();
        for (Edge e : edges) {
            Unit t = nodes.get(e.to());
            if (t != null && t.load() == LoadState.NOT_FOUND) l.add(e);
        }
        return l;
    }

    /** The JGraphT multigraph of every node and edge, made on first use (package use only: graph views, DOT). */
    Graph<String, Edge> jgrapht() {
        Graph<String, Edge> g = graph;
        if (g == null) {
            synchronized (this) {
                g = graph;
                if (g == null) {
                    g = GraphTypeBuilder.<String, Edge>directed().allowingMultipleEdges(true)
                            .allowingSelfLoops(true).weighted(false).buildGraph();
                    for (String n : nodes.keySet()) g.addVertex(n);
                    for (Edge e : edges) g.addEdge(e.from(), e.to(), e);
                    graph = g;
                }
            }
        }
        return g;
    }

    private List<String> froms(String unit, EdgeKind k) {
        TreeSet<String> s = new TreeSet<>();
        for (Edge e : incoming(unit, k)) s.add(e.from());
        return List.copyOf(s);
    }

    private List<String> tos(String unit, EdgeKind k) {
        TreeSet<String> s = new TreeSet<>();
        for (Edge e : outgoing(unit, k)) s.add(e.to());
        return List.copyOf(s);
    }
}
