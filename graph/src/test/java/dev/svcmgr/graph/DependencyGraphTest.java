package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependencyGraphTest {

    @Test
    void requirementKindsImplyAnAfterEdgeThatRemembersWhereItCameFrom() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.REQUIRES, "b.service").unit("b.service").graph();
        Edge after = g.outgoing("a.service", EdgeKind.AFTER).get(0);
        assertEquals("b.service", after.to());
        assertEquals("a.service.yaml:2:3 (requires), implied by requires", after.origin().toString());
    }

    @Test
    void aServiceNamedByASocketRequiresItAndIsOrderedAfterIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("app.socket.yaml"), "listen: [{tcp: \"127.0.0.1:0\"}]\n");
        java.nio.file.Files.writeString(dir.resolve("app.service.yaml"), "exec: /bin/true\n");
        java.nio.file.Files.writeString(dir.resolve("lone.socket.yaml"), "listen: [{unix: /run/lone.sock}]\n");
        DependencyGraph g = DependencyGraph.build(dev.svcmgr.units.load.UnitLoader.load(List.of(dir)), Set.of());
        Edge req = g.outgoing("app.service", EdgeKind.REQUIRES).get(0);
        assertEquals("app.socket", req.to());
        assertEquals("implied by service of app.socket", req.origin().note());
        assertEquals(List.of("app.socket"), g.orderedAfter("app.service"));
        assertFalse(g.contains("lone.service"), "a socket whose service does not exist adds no stand-in");
    }

    @Test
    void unorderedRequirementHasNoAfterEdge() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.REQUIRES, "b.service", false).unit("b.service").graph();
        assertTrue(g.outgoing("a.service", EdgeKind.AFTER).isEmpty());
        assertEquals(1, g.outgoing("a.service", EdgeKind.REQUIRES).size());
    }

    @Test
    void beforeIsStoredAsReversedAfter() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.BEFORE, "b.service").unit("b.service").graph();
        assertEquals(List.of("a.service"), g.orderedAfter("b.service"));
        assertEquals(List.of("b.service"), g.orderedBefore("a.service"));
        assertEquals("before", g.outgoing("b.service", EdgeKind.AFTER).get(0).origin().key());
    }

    @Test
    void installWantedByIsAReverseWantsEdgeDroppedWhenDisabled() {
        TestUnits t = new TestUnits().unit("multi-user.target").wantedBy("a.service", "multi-user.target");
        DependencyGraph on = DependencyGraph.build(t.build(), Set.of());
        assertEquals("a.service", on.outgoing("multi-user.target", EdgeKind.WANTS).get(0).to());
        assertEquals(List.of("a.service"), on.orderedAfter("multi-user.target"));
        DependencyGraph off = DependencyGraph.build(t.build(), Set.of("a.service"));
        assertTrue(off.outgoing("multi-user.target", EdgeKind.WANTS).isEmpty());
    }

    @Test
    void providedNamesResolveToTheProvidingUnit() {
        DependencyGraph g = new TestUnits().provides("pg.service", "database").dep("api.service", DepKind.REQUIRES, "database").graph();
        assertEquals("pg.service", g.outgoing("api.service", EdgeKind.REQUIRES).get(0).to());
        assertFalse(g.contains("database"));
    }

    @Test
    void propagationQueriesFollowTheBehaviourTable() {
        DependencyGraph g = new TestUnits()
                .dep("r.service", DepKind.REQUIRES, "db.service")
                .dep("b.service", DepKind.BINDS_TO, "db.service")
                .dep("p.service", DepKind.PART_OF, "db.service")
                .dep("w.service", DepKind.WANTS, "db.service")
                .dep("q.service", DepKind.REQUISITE, "db.service")
                .dep("rr.service", DepKind.REQUIRES, "r.service")
                .dep("db.service", DepKind.ON_FAILURE, "alert.service")
                .dep("x.service", DepKind.CONFLICTS, "db.service")
                .dep("db.service", DepKind.CONFLICTS, "y.service")
                .unit("alert.service").unit("y.service").graph();
        assertEquals(List.of("b.service", "p.service", "r.service"), g.stopPropagatesTo("db.service"));
        assertEquals(List.of("b.service"), g.bindsToDependents("db.service"));
        assertEquals(List.of("r.service"), g.requiresDependents("db.service"));
        assertEquals(List.of("p.service"), g.partOfDependents("db.service"));
        assertEquals(List.of("b.service", "p.service", "r.service", "rr.service"), g.restartPropagatesTo("db.service"));
        assertEquals(List.of("alert.service"), g.onFailure("db.service"));
        assertEquals(List.of("x.service", "y.service"), g.conflicts("db.service"));
        assertEquals(List.of("db.service"), g.conflicts("y.service"));
    }

    @Test
    void runtimeReactionsAreReadFromTheBehaviourTableRowByRow() {
        // for A --kind--> B: what B failing, B going inactive and A failing do, per kind (systemd's semantics, kept)
        Map<EdgeKind, String> expected = new java.util.EnumMap<>(EdgeKind.class);
        expected.put(EdgeKind.REQUIRES, "B failed: stop A");
        expected.put(EdgeKind.BINDS_TO, "B failed: stop A; B went inactive: stop A");
        expected.put(EdgeKind.ON_FAILURE, "A failed: start B");
        for (EdgeKind k : EdgeKind.values()) {
            DependencyGraph g = new TestUnits().dep("a.service", DepKind.valueOf(k.name()), "b.service").unit("b.service").graph();
            List<String> seen = new ArrayList<>();
            for (RuntimeEvent e : RuntimeEvent.values()) {
                for (String who : List.of("b.service", "a.service")) {
                    for (Reaction r : g.reactions(who, e)) {
                        if (r.atom() == Atom.FOLLOWS_DEACTIVATION || r.atom() == Atom.FOLLOWS_FAILURE
                                || r.atom() == Atom.STARTS_ON_FAILURE) {
                            seen.add((who.equals("a.service") ? "A " : "B ") + e.words() + ": " + r.job().word() + " "
                                    + (r.unit().equals("a.service") ? "A" : "B"));
                            assertEquals(k, r.edge().edgeKind(), k.word());
                        }
                    }
                }
            }
            assertEquals(expected.getOrDefault(k, ""), String.join("; ", seen), k.word());
        }
    }

    @Test
    void reactionsAreOnePerUnitAndJobSortedByJobThenUnit() {
        DependencyGraph g = new TestUnits()
                .dep("z.service", DepKind.REQUIRES, "db.service").dep("z.service", DepKind.BINDS_TO, "db.service")
                .dep("a.service", DepKind.REQUIRES, "db.service").dep("p.service", DepKind.PART_OF, "db.service")
                .dep("db.service", DepKind.ON_FAILURE, "alert.service").unit("alert.service").graph();
        assertEquals(List.of("start alert.service", "stop a.service", "stop z.service"),
                g.reactions("db.service", RuntimeEvent.FAILED).stream().map(r -> r.job().word() + " " + r.unit()).toList());
        assertEquals(List.of("stop z.service"),
                g.reactions("db.service", RuntimeEvent.DEACTIVATED).stream().map(r -> r.job().word() + " " + r.unit()).toList());
    }

    @Test
    void missingNamesBecomeNotFoundNodesListedAsUnresolved() {
        DependencyGraph g = new TestUnits().missing("ghost.service").dep("a.service", DepKind.REQUIRES, "ghost.service").graph();
        assertTrue(g.contains("ghost.service"));
        assertEquals(List.of("requires", "after"), g.unresolved().stream().map(Edge::kind).toList());
    }

    @Test
    void behaviourTableHasOneRowPerKindAndTheDocumentedAtoms() {
        String table = EdgeKind.table();
        for (EdgeKind k : EdgeKind.values()) assertTrue(table.contains("| `" + k.word() + "` |"), k.word());
        assertTrue(EdgeKind.REQUIRES.has(Atom.PULLS_IN) && EdgeKind.REQUIRES.has(Atom.PROPAGATES_STOP));
        assertFalse(EdgeKind.WANTS.has(Atom.FAILS_WITH));
        assertFalse(EdgeKind.PART_OF.has(Atom.PULLS_IN));
        assertTrue(EdgeKind.BINDS_TO.has(Atom.FOLLOWS_DEACTIVATION));
        for (EdgeKind k : EdgeKind.values()) assertEquals(k, EdgeKind.ofWord(k.word()));
        for (DepKind d : DepKind.values()) assertTrue(EdgeKind.of(d) != null);
    }

    @Test
    void theDocsQuoteTheBehaviourTableExactly() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/graph.md"));
        assertTrue(doc.contains(EdgeKind.table()), "docs/graph.md must quote EdgeKind.table():\n" + EdgeKind.table());
    }

    @Test
    void graphViewJsonShapeAndDotUseStylesByKind() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.REQUIRES, "b.service")
                .dep("a.service", DepKind.CONFLICTS, "c.service").unit("b.service").unit("c.service")
                .dep("z.service", DepKind.WANTS, "a.service").graph();
        GraphView v = GraphView.of(g, "a.service", java.util.Map.of("b.service", ActiveState.ACTIVE));
        assertEquals(Set.of("a.service", "b.service", "c.service"), v.units());
        assertEquals(List.of(new GraphView.Link("a.service", "b.service", "after"),
                new GraphView.Link("a.service", "b.service", "requires"),
                new GraphView.Link("a.service", "c.service", "conflicts")), v.edges());
        String dot = v.toDot();
        assertTrue(dot.startsWith("strict digraph svcmgr {") || dot.startsWith("digraph svcmgr {"), dot);
        assertTrue(dot.contains("\"a.service\" -> \"b.service\" [ label=\"requires\" style=\"solid\" ]"), dot);
        assertTrue(dot.contains("style=\"dashed\""), dot);
        assertTrue(dot.contains("fillcolor=\"palegreen\""), dot);
        GraphView all = GraphView.of(g, null, java.util.Map.of());
        assertEquals(4, all.nodes().size());
        assertTrue(all.edges().contains(new GraphView.Link("a.service", "c.service", "conflicts")));
        assertEquals(List.of("nodes", "edges"), List.copyOf(all.toJsonShape().keySet()));
    }
}
