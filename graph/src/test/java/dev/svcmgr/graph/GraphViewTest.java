package dev.svcmgr.graph;

import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code svcmgr graph}'s data over unit files read by the real loader. */
class GraphViewTest {
    @TempDir Path dir;

    private DependencyGraph load(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) Files.writeString(dir.resolve(f.getKey() + ".yaml"), f.getValue());
        UnitSet set = UnitLoader.load(List.of(dir));
        return DependencyGraph.build(set, Set.of());
    }

    private DependencyGraph webWithConflicts() throws IOException {
        return load(Map.of(
                "web.target", "wants: [api.service]\n",
                "api.service", "exec: [/bin/true]\nrequires: [db.service]\nconflicts: [old.service]\n",
                "db.service", "exec: [/bin/true]\n",
                "old.service", "exec: [/bin/true]\n",
                "rival.service", "exec: [/bin/true]\nconflicts: [db.service]\nrequires: [lib.service]\n",
                "lib.service", "exec: [/bin/true]\n"));
    }

    @Test
    void theWholeGraphHasConflictsEdgesInJsonAndDot() throws IOException {
        GraphView v = GraphView.of(webWithConflicts(), null, Map.of());
        assertTrue(v.edges().contains(new GraphView.Link("api.service", "old.service", "conflicts")), v.edges().toString());
        assertTrue(v.edges().contains(new GraphView.Link("rival.service", "db.service", "conflicts")), v.edges().toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>) v.toJsonShape().get("edges");
        assertTrue(edges.contains(Map.of("from", "api.service", "to", "old.service", "kind", "conflicts")), edges.toString());
        String dot = v.toDot();
        assertTrue(dot.contains("\"api.service\" -> \"old.service\" [ label=\"conflicts\" style=\"dotted\" color=\"red\" ]"), dot);
    }

    @Test
    void aUnitsViewHasTheConflictsEdgesOfWhatItReachesEitherSideDeclared() throws IOException {
        GraphView v = GraphView.of(webWithConflicts(), "web.target", Map.of("old.service", ActiveState.ACTIVE));
        // api's own conflict and rival's conflict with db (declared on rival's side) are shown ...
        assertEquals(Set.of("web.target", "api.service", "db.service", "old.service", "rival.service"), v.units());
        assertTrue(v.edges().contains(new GraphView.Link("api.service", "old.service", "conflicts")), v.edges().toString());
        assertTrue(v.edges().contains(new GraphView.Link("rival.service", "db.service", "conflicts")), v.edges().toString());
        // ... but a conflicting unit is not followed further: rival's requirements stay out
        assertFalse(v.units().contains("lib.service"), v.units().toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) v.toJsonShape().get("nodes");
        assertTrue(nodes.contains(Map.of("unit", "old.service", "type", "service", "active", "active")), nodes.toString());
        String dot = v.toDot();
        assertTrue(dot.contains("\"api.service\" -> \"old.service\" [ label=\"conflicts\" style=\"dotted\" color=\"red\" ]"), dot);
        assertTrue(dot.contains("\"rival.service\" -> \"db.service\" [ label=\"conflicts\" style=\"dotted\" color=\"red\" ]"), dot);
    }
}
