package dev.svcmgr.graph;

import dev.svcmgr.units.Unit;
import org.jgrapht.Graph;
import org.jgrapht.graph.MaskSubgraph;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.traverse.BreadthFirstIterator;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data of {@code svcmgr graph}: a set of units with their state and the edges among
 * them, as JSON-ready shapes or as DOT (rendered by JGraphT's {@link DOTExporter}):
 * requirement edges solid, ordering ({@code after}) dashed, conflicts dotted red; nodes
 * coloured by state. Edges are deduplicated by (from, to, kind); on-failure edges are left
 * out (cli.md's kind list does not have them). Every other kind of cli.md's list, conflicts
 * included, is in both the JSON shape and the DOT document.
 *
 * @param nodes units, sorted by name
 * @param edges edges among them, sorted by (from, to, kind)
 */
public record GraphView(List<Node> nodes, List<Link> edges) {

    /** A unit: {@code {"unit","type","active"}}. */
    public record Node(String unit, String type, String active) {}

    /** An edge: {@code {"from","to","kind"}}. */
    public record Link(String from, String to, String kind) {}

    public GraphView {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * The view of the whole graph (root null) or of one unit and everything it reaches over
     * requires, wants, requisite, binds-to, part-of and after edges, plus the conflicts edges of
     * those units (declared on either side) with the units at their other end (shown, not
     * followed further: a conflict is not a dependency).
     *
     * @param g      the graph
     * @param root   canonical unit name, or null for all units
     * @param states current states; absent units are inactive
     */
    public static GraphView of(DependencyGraph g, String root, Map<String, ActiveState> states) {
        Set<String> keep = new TreeSet<>();
        if (root == null) {
            keep.addAll(g.names());
        } else {
            // Breadth first over every edge but conflicts and on-failure (JGraphT's iterator is a worklist).
            Graph<String, Edge> reach = new MaskSubgraph<>(g.jgrapht(), v -> false,
                    e -> e.edgeKind() == EdgeKind.CONFLICTS || e.edgeKind() == EdgeKind.ON_FAILURE);
            new BreadthFirstIterator<>(reach, root).forEachRemaining(keep::add);
            Set<String> reached = Set.copyOf(keep);
            for (Edge e : g.edges()) {
                if (e.edgeKind() != EdgeKind.CONFLICTS) continue;
                if (reached.contains(e.from()) || reached.contains(e.to())) {
                    keep.add(e.from());
                    keep.add(e.to());
                }
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (String n : keep) {
            Unit u = g.unit(n);
            ActiveState s = states.getOrDefault(n, ActiveState.INACTIVE);
            nodes.add(new Node(n, u == null ? "service" : u.type().suffix(), s.word()));
        }
        Set<Link> links = new LinkedHashSet<>();
        for (Edge e : g.edges()) {
            if (e.edgeKind() == EdgeKind.ON_FAILURE) continue;
            if (keep.contains(e.from()) && keep.contains(e.to())) links.add(new Link(e.from(), e.to(), e.kind()));
        }
        List<Link> sorted = new ArrayList<>(links);
        sorted.sort(java.util.Comparator.comparing(Link::from).thenComparing(Link::to).thenComparing(Link::kind));
        return new GraphView(nodes, sorted);
    }

    /** {@code {"nodes":[{"unit","type","active"}],"edges":[{"from","to","kind"}]}} as maps and lists. */
    public Map<String, Object> toJsonShape() {
        List<Object> ns = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", n.unit());
            m.put("type", n.type());
            m.put("active", n.active());
            ns.add(m);
        }
        List<Object> es = new ArrayList<>();
        for (Link l : edges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", l.from());
            m.put("to", l.to());
            m.put("kind", l.kind());
            es.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", ns);
        out.put("edges", es);
        return out;
    }

    /** The view as a Graphviz DOT document. */
    public String toDot() {
        Graph<String, Link> dg = GraphTypeBuilder.<String, Link>directed().allowingMultipleEdges(true)
                .allowingSelfLoops(true).weighted(false).buildGraph();
        Map<String, Node> byName = new LinkedHashMap<>();
        for (Node n : nodes) {
            dg.addVertex(n.unit());
            byName.put(n.unit(), n);
        }
        for (Link l : edges) dg.addEdge(l.from(), l.to(), l);
        DOTExporter<String, Link> ex = new DOTExporter<>(v -> "\"" + v + "\"");
        ex.setGraphIdProvider(() -> "svcmgr");
        ex.setGraphAttributeProvider(() -> {
            Map<String, Attribute> m = new LinkedHashMap<>();
            m.put("rankdir", DefaultAttribute.createAttribute("LR"));
            m.put("fontname", DefaultAttribute.createAttribute("Helvetica"));
            return m;
        });
        ex.setVertexAttributeProvider(v -> {
            Node n = byName.get(v);
            Map<String, Attribute> m = new LinkedHashMap<>();
            m.put("label", DefaultAttribute.createAttribute(v));
            m.put("shape", DefaultAttribute.createAttribute("target".equals(n.type()) ? "box" : "ellipse"));
            m.put("style", DefaultAttribute.createAttribute("filled"));
            m.put("fillcolor", DefaultAttribute.createAttribute(fill(n.active())));
            return m;
        });
        ex.setEdgeAttributeProvider(l -> {
            Map<String, Attribute> m = new LinkedHashMap<>();
            m.put("label", DefaultAttribute.createAttribute(l.kind()));
            String style = switch (l.kind()) {
                case "after" -> "dashed";
                case "conflicts" -> "dotted";
                default -> "solid";
            };
            m.put("style", DefaultAttribute.createAttribute(style));
            if (l.kind().equals("conflicts")) m.put("color", DefaultAttribute.createAttribute("red"));
            else if (l.kind().equals("after")) m.put("color", DefaultAttribute.createAttribute("gray40"));
            return m;
        });
        StringWriter w = new StringWriter();
        ex.exportGraph(dg, w);
        return w.toString();
    }

    private static String fill(String active) {
        return switch (active) {
            case "active" -> "palegreen";
            case "failed" -> "salmon";
            case "starting", "stopping" -> "khaki";
            default -> "lightgray";
        };
    }

    /** Units of the view (for callers checking membership). */
    public Set<String> units() {
        Set<String> s = new HashSet<>();
        for (Node n : nodes) s.add(n.unit());
        return s;
    }
}
