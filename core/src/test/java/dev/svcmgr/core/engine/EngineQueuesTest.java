package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Driver reports are queued and drained, never handled re-entrantly (dinit's process_queues), and
 * the executor runs on a worklist. The harness checks after every test that no driver was called
 * from inside another driver's call.
 */
class EngineQueuesTest extends EngineHarness {
    private void chain() throws IOException {
        unit("c.service.yaml", "exec: [/bin/true]\n");
        unit("b.service.yaml", "exec: [/bin/true]\nrequires: [c.service]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nrequires: [b.service]\n");
    }

    @Test
    @DisplayName("a driver that reports active inside start() is not re-entered: the report is handled after start() returns")
    void aDriverReportingInsideStartIsNotReEntered() throws Exception {
        chain();
        world.synchronous.addAll(List.of("a.service", "b.service", "c.service"));
        List<String> seenInside = new ArrayList<>();
        world.beforeReturn = what -> seenInside.add(what + ": " + manager.jobCount() + " jobs, "
                + what.substring(what.indexOf(' ') + 1) + " " + manager.snapshot(what.substring(what.indexOf(' ') + 1)).active().word());
        boot();
        Outcome o = run(Request.Verb.START, "a.service");
        assertTrue(o.success(), o.toString());
        assertEquals(List.of("start c.service", "start b.service", "start a.service"), world.calls);
        // inside each start() the driver has already reported active, but the engine has not acted on it yet:
        // the unit's own job is still counted, and no other driver was called (the harness checks that too)
        assertEquals(List.of("start c.service: 3 jobs, c.service active", "start b.service: 2 jobs, b.service active",
                "start a.service: 1 jobs, a.service active"), seenInside);
        assertEquals(List.of(), world.nested);
        assertEquals(ActiveState.ACTIVE, active("a.service"));
        assertEquals(0, (int) onLoop(() -> manager.jobCount()));
    }

    @Test
    @DisplayName("a start that fails inside the driver's call fails its dependents with dependency, each tried once")
    void aSynchronousFailureIsHandledFromTheQueue() throws Exception {
        chain();
        world.synchronous.addAll(List.of("a.service", "b.service", "c.service"));
        world.failing.add("c.service");
        boot();
        Outcome o = run(Request.Verb.START, "a.service");
        assertFalse(o.success());
        assertEquals(List.of("start c.service"), world.calls);
        assertEquals(Result.EXIT_CODE, result(o, "c.service"));
        assertEquals(Result.DEPENDENCY, result(o, "b.service"));
        assertEquals(Result.DEPENDENCY, result(o, "a.service"));
        assertEquals(ActiveState.FAILED, active("a.service"));
    }

    @Test
    @DisplayName("clearing an old failure inside the start is queued too, and is not taken for the start's outcome")
    void clearingAnOldFailureIsNotTheOutcome() throws Exception {
        unit("s.service.yaml", "exec: [/bin/true]\n");
        world.synchronous.add("s.service");
        world.failing.add("s.service");
        boot();
        assertFalse(run(Request.Verb.START, "s.service").success());
        assertEquals(ActiveState.FAILED, active("s.service"));
        world.failing.clear();
        Outcome second = run(Request.Verb.START, "s.service");
        assertTrue(second.success(), second.toString());
        List<String> seen = new ArrayList<>();
        for (Event e : onLoop(() -> manager.events().after(0))) seen.add(e.active() + "/" + e.sub());
        assertEquals(List.of("starting/start", "failed/failed", "inactive/dead", "starting/start", "active/running"), seen);
    }

    @Test
    @DisplayName("a 10,000-unit chain of targets (which finish inside their own run) starts and stops without deep stacks")
    void aLongChainRunsOnTheWorklist() throws Exception {
        // made in memory: 10,000 files would take the loader longer than the engine (the recursive executor overflowed here)
        int n = 10_000;
        Map<String, Unit> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = target(i);
            List<Dependency> deps = i == 0 ? List.of()
                    : List.of(new Dependency(DepKind.REQUIRES, target(i - 1), true, Origin.at(name + ".yaml", 1, 1, "requires")));
            m.put(name, new Unit(name, UnitType.TARGET, LoadState.LOADED, "", List.of(), deps, List.of(), List.of(),
                    Conditions.NONE, false, true, List.of(), List.of(), List.of(), null, null, null, null, name + ".yaml", List.of(), List.of()));
        }
        UnitSet units = new UnitSet(m, Map.of(), Map.of(), List.of(), List.of(), null);
        onLoopRun(() -> manager = new Manager(loop, units, Set.of(), Set.of(), FakeDriver.factory(loop, world), Map.of()));
        Outcome o = run(Request.Verb.START, target(n - 1));
        assertTrue(o.success());
        assertEquals(n, o.jobs().size());
        assertEquals(target(0), o.jobs().get(0).unit());
        assertEquals(ActiveState.ACTIVE, active(target(n - 1)));
        Outcome stop = run(Request.Verb.STOP, target(0));
        assertTrue(stop.success());
        assertEquals(target(n - 1), stop.jobs().get(0).unit(), "dependents stop first");
        assertEquals(ActiveState.INACTIVE, active(target(0)));
        assertEquals(ActiveState.INACTIVE, active(target(n - 1)));
    }

    private static String target(int i) { return String.format("t%05d.target", i); }

    private static Result result(Outcome o, String unit) {
        return o.jobs().stream().filter(j -> j.unit().equals(unit)).findFirst().orElseThrow().result();
    }
}
