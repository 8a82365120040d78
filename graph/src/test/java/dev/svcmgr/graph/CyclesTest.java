package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CyclesTest {

    @Test
    void aCycleThroughThreeUnitsIsReportedInOrderWithEachEdgesOrigin() {
        DependencyGraph g = new TestUnits()
                .dep("b.service", DepKind.REQUIRES, "c.service")
                .dep("a.service", DepKind.AFTER, "b.service")
                .dep("c.service", DepKind.AFTER, "a.service").graph();
        List<Cycles.Cycle> cs = Cycles.find(g);
        assertEquals(1, cs.size());
        Cycles.Cycle c = cs.get(0);
        assertEquals(List.of("a.service", "b.service", "c.service", "a.service"), c.units());
        assertEquals("a.service after b.service (a.service.yaml:2:3 (after))", c.edges().get(0).describe());
        assertEquals("implied by requires", c.edges().get(1).origin().note());
        assertEquals("c.service", c.edges().get(2).from());
    }

    @Test
    void everyElementaryCycleIsFoundAndSelfLoopsCount() {
        DependencyGraph g = new TestUnits()
                .dep("a.service", DepKind.AFTER, "b.service").dep("b.service", DepKind.AFTER, "a.service")
                .dep("b.service", DepKind.AFTER, "c.service").dep("c.service", DepKind.AFTER, "b.service")
                .dep("s.service", DepKind.AFTER, "s.service").graph();
        List<String> paths = Cycles.find(g).stream().map(Cycles.Cycle::path).toList();
        assertEquals(List.of("a.service -> b.service -> a.service", "b.service -> c.service -> b.service",
                "s.service -> s.service"), paths);
    }

    @Test
    void aUnitOrderedAfterItselfIsAOneUnitCycleWithItsOrigin(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.service.yaml"), "exec: [/bin/true]\nafter: [a.service]\n");
        Files.writeString(dir.resolve("b.service.yaml"), "exec: [/bin/true]\nbefore: [b.service]\n");
        Files.writeString(dir.resolve("c.service.yaml"), "exec: [/bin/true]\nrequires: [c.service]\n");
        Files.writeString(dir.resolve("d.service.yaml"), "exec: [/bin/true]\nrequires: [{unit: d.service, ordered: false}]\n");
        List<Cycles.Cycle> cs = Cycles.find(DependencyGraph.build(UnitLoader.load(List.of(dir)), Set.of()));
        assertEquals(List.of("a.service -> a.service", "b.service -> b.service", "c.service -> c.service"),
                cs.stream().map(Cycles.Cycle::path).toList());
        assertEquals(List.of(
                        "a.service after a.service (" + dir.resolve("a.service.yaml") + ":2:9 (after))",
                        "b.service after b.service (" + dir.resolve("b.service.yaml") + ":2:10 (before))",
                        "c.service after c.service (" + dir.resolve("c.service.yaml") + ":2:12 (requires), implied by requires)"),
                cs.stream().map(c -> c.edges().get(0).describe()).toList());
    }

    @Test
    void anAcyclicSetHasNoCycles() {
        TestUnits t = new TestUnits();
        for (int i = 1; i < 2000; i++) t.dep("u" + i + ".service", DepKind.REQUIRES, "u" + (i - 1) + ".service");
        assertTrue(Cycles.find(t.graph()).isEmpty());
    }

    @Test
    void theNumberOfCyclesIsBounded() {
        TestUnits t = new TestUnits();
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) if (i != j) t.dep("n" + i + ".service", DepKind.AFTER, "n" + j + ".service");
        assertEquals(Cycles.LIMIT, Cycles.find(t.graph()).size());
        assertEquals(7, Cycles.find(t.graph(), 7).size());
    }

    @Test
    void aLongCycleIsFoundWithoutDeepRecursion() {
        TestUnits t = new TestUnits();
        int n = 10_000;
        for (int i = 1; i < n; i++) t.dep("u" + i + ".service", DepKind.AFTER, "u" + (i - 1) + ".service");
        t.dep("u0.service", DepKind.AFTER, "u" + (n - 1) + ".service");
        List<Cycles.Cycle> cs = Cycles.find(t.graph());
        assertEquals(1, cs.size());
        assertEquals(n + 1, cs.get(0).units().size());
    }
}
