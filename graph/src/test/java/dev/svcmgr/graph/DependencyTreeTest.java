package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependencyTreeTest {

    @Test
    void onlyTargetsAreExpandedBelowTheFirstLevelUnlessAll() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.WANTS, "a.service")
                .dep("a.service", DepKind.REQUIRES, "b.service").graph();
        DependencyTree.Node n = DependencyTree.of(g, "t.target", false, false);
        assertEquals("a.service", n.children().get(0).unit());
        assertTrue(n.children().get(0).children().isEmpty());
        DependencyTree.Node all = DependencyTree.of(g, "t.target", false, true);
        assertEquals("b.service", all.children().get(0).children().get(0).unit());
    }

    @Test
    void aSubtreeIsExpandedWhereItFirstAppearsAndMarkedLater() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.WANTS, "a.service").dep("t.target", DepKind.WANTS, "c.service")
                .dep("a.service", DepKind.REQUIRES, "c.service").dep("c.service", DepKind.REQUIRES, "d.service").graph();
        DependencyTree.Node n = DependencyTree.of(g, "t.target", false, true);
        DependencyTree.Node deepC = n.children().get(0).children().get(0);
        assertEquals("c.service", deepC.unit());
        assertFalse(deepC.repeated());
        assertEquals("d.service", deepC.children().get(0).unit());
        DependencyTree.Node laterC = n.children().get(1);
        assertTrue(laterC.repeated());
        assertTrue(laterC.children().isEmpty());
    }

    @Test
    void reverseShowsDependentsAndCyclesTerminate() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.REQUIRES, "b.service")
                .dep("b.service", DepKind.WANTS, "a.service").graph();
        DependencyTree.Node n = DependencyTree.of(g, "b.service", true, true);
        assertEquals(List.of("a.service"), n.children().stream().map(DependencyTree.Node::unit).toList());
        assertTrue(n.children().get(0).children().get(0).repeated());
    }

    @Test
    void aTenThousandUnitChainMakesADeepTreeWithoutRecursion() {
        TestUnits t = new TestUnits();
        for (int i = 1; i < 10_000; i++) t.dep("u" + i + ".service", DepKind.REQUIRES, "u" + (i - 1) + ".service");
        DependencyTree.Node n = DependencyTree.of(t.graph(), "u9999.service", false, true);
        int depth = 0;
        while (!n.children().isEmpty()) {
            n = n.children().get(0);
            depth++;
        }
        assertEquals(9999, depth);
    }
}
