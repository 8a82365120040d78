package dev.svcmgr.graph;

import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What differs between two unit sets ({@code svcmgr graph --diff}): units added,
 * removed and changed (naming the settings that changed), and edges added and
 * removed. Where a unit came from (file, line) is not a difference; what it says is.
 *
 * @param addedUnits   in the other set only
 * @param removedUnits in this set only
 * @param changedUnits unit -> the settings that differ
 * @param addedEdges   edges ({@code from -kind-> to}) in the other set only
 * @param removedEdges edges in this set only
 */
public record GraphDiff(List<String> addedUnits, List<String> removedUnits, Map<String, List<String>> changedUnits,
                        List<Edge> addedEdges, List<Edge> removedEdges) {

    /** An edge without its origin. */
    public record Edge(String from, String kind, String to) implements Comparable<Edge> {
        @Override
        public int compareTo(Edge o) {
            int c = from.compareTo(o.from);
            if (c == 0) c = kind.compareTo(o.kind);
            return c != 0 ? c : to.compareTo(o.to);
        }

        @Override
        public String toString() { return from + " -" + kind + "-> " + to; }
    }

    /** True when the two sets say the same thing. */
    public boolean isEmpty() {
        return addedUnits.isEmpty() && removedUnits.isEmpty() && changedUnits.isEmpty() && addedEdges.isEmpty()
                && removedEdges.isEmpty();
    }

    private static final Map<String, Function<Unit, Object>> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("type", Unit::type);
        SETTINGS.put("load", Unit::load);
        SETTINGS.put("description", Unit::description);
        SETTINGS.put("documentation", Unit::documentation);
        SETTINGS.put("dependencies", u -> u.dependencies().stream().map(GraphDiff::describe).toList());
        SETTINGS.put("provides", Unit::provides);
        SETTINGS.put("aliases", Unit::aliases);
        SETTINGS.put("conditions", Unit::conditions);
        SETTINGS.put("ignore-on-isolate", Unit::ignoreOnIsolate);
        SETTINGS.put("allow-isolate", Unit::allowIsolate);
        SETTINGS.put("install", u -> List.of(u.wantedBy(), u.requiredBy()));
        SETTINGS.put("service", Unit::service);
    }

    private static String describe(Dependency d) {
        return d.kind().key() + " " + d.to() + (d.ordered() ? "" : " (unordered)");
    }

    /** The differences from {@code before} to {@code after}, sorted by name. */
    public static GraphDiff of(UnitSet before, UnitSet after) {
        Set<String> a = before.units().keySet();
        Set<String> b = after.units().keySet();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, List<String>> changed = new TreeMap<>();
        for (String n : b) if (!a.contains(n)) added.add(n);
        for (String n : a) {
            if (!b.contains(n)) {
                removed.add(n);
                continue;
            }
            Unit x = before.units().get(n);
            Unit y = after.units().get(n);
            List<String> what = new ArrayList<>();
            for (Map.Entry<String, Function<Unit, Object>> s : SETTINGS.entrySet()) {
                if (!Objects.equals(s.getValue().apply(x), s.getValue().apply(y))) what.add(s.getKey());
            }
            if (!what.isEmpty()) changed.put(n, what);
        }
        TreeSet<Edge> ea = edges(before);
        TreeSet<Edge> eb = edges(after);
        List<Edge> addedEdges = new ArrayList<>();
        List<Edge> removedEdges = new ArrayList<>();
        for (Edge e : eb) if (!ea.contains(e)) addedEdges.add(e);
        for (Edge e : ea) if (!eb.contains(e)) removedEdges.add(e);
        return new GraphDiff(added, removed, changed, addedEdges, removedEdges);
    }

    private static TreeSet<Edge> edges(UnitSet s) {
        TreeSet<Edge> out = new TreeSet<>();
        for (dev.svcmgr.graph.Edge e : DependencyGraph.build(s, Set.of()).edges()) out.add(new Edge(e.from(), e.kind(), e.to()));
        return out;
    }

    /** {@code {"units":{"added","removed","changed":{unit:[settings]}},"edges":{"added","removed"}}}, edges as {from,to,kind}. */
    public Map<String, Object> toJsonShape() {
        Map<String, Object> units = new LinkedHashMap<>();
        units.put("added", addedUnits);
        units.put("removed", removedUnits);
        units.put("changed", changedUnits);
        Map<String, Object> edges = new LinkedHashMap<>();
        edges.put("added", edgeMaps(addedEdges));
        edges.put("removed", edgeMaps(removedEdges));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", units);
        m.put("edges", edges);
        return m;
    }

    private static List<Object> edgeMaps(List<Edge> es) {
        List<Object> out = new ArrayList<>();
        for (Edge e : es) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", e.from());
            m.put("to", e.to());
            m.put("kind", e.kind());
            out.add(m);
        }
        return out;
    }

    /** One line per difference: {@code + unit x}, {@code - unit y}, {@code ~ unit z: exec}, {@code + edge a -requires-> b}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (String u : addedUnits) b.append("+ unit ").append(u).append('\n');
        for (String u : removedUnits) b.append("- unit ").append(u).append('\n');
        changedUnits.forEach((u, what) -> b.append("~ unit ").append(u).append(": ").append(String.join(", ", what)).append('\n'));
        for (Edge e : addedEdges) b.append("+ edge ").append(e).append('\n');
        for (Edge e : removedEdges) b.append("- edge ").append(e).append('\n');
        if (b.length() == 0) b.append("no differences\n");
        return b.toString();
    }
}
