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

    private final UnitSet units;
    private final SortedMap<String, Unit> nodes;
    private volatile Graph<String, Edge> graph;
    private final List<Edge> edges;
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
        int k = EdgeKind.values().length;
        names = nodes.keySet().toArray(new String[0]);
        int n = names.length;
        ids = new HashMap<>(n * 2);
        unitAt = new Unit[n];
        for (int i = 0; i < n; i++) {
            ids.put(names[i], i);
            unitAt[i] = nodes.get(names[i]);
        }
        int m = this.edges.size();
        int[] from = new int[m], to = new int[m], kind = new int[m];
        int[][] outCount = new int[k][n], inCount = new int[k][n];
        for (int e = 0; e < m; e++) {
            Edge x = this.edges.get(e);
            from[e] = ids.get(x.from());
            to[e] = ids.get(x.to());
            kind[e] = x.edgeKind().ordinal();
            outCount[kind[e]][from[e]]++;
            inCount[kind[e]][to[e]]++;
        }
        outIds = new int[k][n][];
        inIds = new int[k][n][];
        outEdges = new Edge[k][n][];
        inEdges = new Edge[k][n][];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                int o = outCount[c][i], p = inCount[c][i];
                outIds[c][i] = o == 0 ? NO_IDS : new int[o];
                outEdges[c][i] = o == 0 ? NO_EDGES : new Edge[o];
                inIds[c][i] = p == 0 ? NO_IDS : new int[p];
                inEdges[c][i] = p == 0 ? NO_EDGES : new Edge[p];
                outCount[c][i] = 0;
                inCount[c][i] = 0;
            }
        }
        for (int e = 0; e < m; e++) {
            int c = kind[e], f = from[e], t = to[e];
            int j = outCount[c][f]++;
            outIds[c][f][j] = t;
            outEdges[c][f][j] = this.edges.get(e);
            j = inCount[c][t]++;
            inIds[c][t][j] = f;
            inEdges[c][t][j] = this.edges.get(e);
        }
        // Sort each list by the other end (id order is name order), stably: declaration order among equals.
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                sortByIds(outIds[c][i], outEdges[c][i]);
                sortByIds(inIds[c][i], inEdges[c][i]);
            }
        }
    }

    /** Stable sort of {@code ids} ascending, moving {@code es} along. */
    private static void sortByIds(int[] ids, Edge[] es) {
        int len = ids.length;
        if (len < 2) return;
        boolean sorted = true;
        for (int i = 1; i < len && sorted; i++) sorted = ids[i - 1] <= ids[i];
        if (sorted) return;
        if (len <= 32) {
            for (int i = 1; i < len; i++) {
                int id = ids[i];
                Edge e = es[i];
                int j = i - 1;
                while (j >= 0 && ids[j] > id) {
                    ids[j + 1] = ids[j];
                    es[j + 1] = es[j];
                    j--;
                }
                ids[j + 1] = id;
                es[j + 1] = e;
            }
            return;
        }
        Integer[] order = new Integer[len];
        for (int i = 0; i < len; i++) order[i] = i;
        int[] idCopy = ids.clone();
        Edge[] esCopy = es.clone();
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> idCopy[i])); // stable (merge sort)
        for (int i = 0; i < len; i++) {
            ids[i] = idCopy[order[i]];
            es[i] = esCopy[order[i]];
        }
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

    /** The conflicts edges touching {@code u}, either side declared, as {other end's id, 0 out / 1 in, index}; sorted; null when none. */
    int[][] conflictPairs(int u) {
        int[] o = outIds(u, EdgeKind.CONFLICTS), i = inIds(u, EdgeKind.CONFLICTS);
        if (o.length + i.length == 0) return null;
        int[][] pairs = new int[o.length + i.length][];
        for (int j = 0; j < o.length; j++) pairs[j] = new int[] {o[j], 0, j};
        for (int j = 0; j < i.length; j++) pairs[o.length + j] = new int[] {i[j], 1, j};
        java.util.Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
                : a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[2], b[2]));
        return pairs;
    }

    /** The edge a {@link #conflictPairs} entry stands for. */
    Edge conflictEdge(int u, int[] pair) {
        return pair[1] == 0 ? outEdges(u, EdgeKind.CONFLICTS)[pair[2]] : inEdges(u, EdgeKind.CONFLICTS)[pair[2]];
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
            if (u.socket() != null && units.lookup(u.socket().service()) != null) {
                // a service named by a socket has implied requires and after on it (units.md "Sockets")
                Origin o = new Origin(u.fragmentPath(), 0, 0, "service", null).withNote("implied by service of " + a);
                for (String s : resolve(units, nodes, g, u.socket().service(), false)) {
                    add(g, edges, new Edge(s, a, EdgeKind.REQUIRES.word(), o));
                    add(g, edges, new Edge(s, a, EdgeKind.AFTER.word(), o));
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
        int i = id(unit);
        return i < 0 ? List.of() : Collections.unmodifiableList(java.util.Arrays.asList(outEdges[kind.ordinal()][i]));
    }

    /** Edges of a kind arriving at a node ({@code x --kind--> unit}), sorted by {@code from}. */
    public List<Edge> incoming(String unit, EdgeKind kind) {
        int i = id(unit);
        return i < 0 ? List.of() : Collections.unmodifiableList(java.util.Arrays.asList(inEdges[kind.ordinal()][i]));
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

    /**
     * What {@code event} of {@code unit} at run time does to other units, read from the runtime
     * columns of the behaviour table: for every atom reacting to {@code event} and every kind that
     * has it, the unit at the other end of each edge on the watched side ({@link Atom#watchesTarget()})
     * gets the atom's job. One reaction per (job, unit), the first edge kept; sorted by job, then unit.
     */
    public List<Reaction> reactions(String unit, RuntimeEvent event) {
        TreeMap<String, Reaction> byKey = new TreeMap<>();
        for (Atom a : Atom.values()) {
            if (a.runtimeEvent() != event) continue;
            for (EdgeKind k : EdgeKind.values()) {
                if (!k.has(a)) continue;
                for (Edge e : a.watchesTarget() ? incoming(unit, k) : outgoing(unit, k)) {
                    String other = a.watchesTarget() ? e.from() : e.to();
                    byKey.putIfAbsent(a.runtimeJob().ordinal() + " " + other, new Reaction(other, a.runtimeJob(), a, e));
                }
            }
        }
        return List.copyOf(byKey.values());
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
