package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Atom;
import dev.svcmgr.graph.EdgeKind;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.DepKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runtime propagation, one row of the behaviour table at a time: for {@code a.service --kind-->
 * b.service}, what happens to the other unit when b fails, when b exits cleanly and when a fails.
 * The expectations are written out here (systemd's semantics as docs/manager.md states them), and
 * each is also checked against the row's runtime atoms, so the engine and the table cannot drift
 * apart.
 */
class PropagationTest extends EngineHarness {
    enum Change { B_FAILS, B_EXITS_CLEANLY, A_FAILS }

    /** Per kind: which changes move the other unit (a stopped for b's changes, b started for a's failure). */
    private static final Map<EdgeKind, java.util.Set<Change>> MOVES = new EnumMap<>(EdgeKind.class);

    static {
        for (EdgeKind k : EdgeKind.values()) MOVES.put(k, java.util.EnumSet.noneOf(Change.class));
        MOVES.get(EdgeKind.REQUIRES).add(Change.B_FAILS);
        MOVES.get(EdgeKind.BINDS_TO).add(Change.B_FAILS);
        MOVES.get(EdgeKind.BINDS_TO).add(Change.B_EXITS_CLEANLY);
        MOVES.get(EdgeKind.ON_FAILURE).add(Change.A_FAILS);
    }

    private static boolean tableSays(EdgeKind k, Change c) {
        return switch (c) {
            case B_FAILS -> k.has(Atom.FOLLOWS_FAILURE);
            case B_EXITS_CLEANLY -> k.has(Atom.FOLLOWS_DEACTIVATION);
            case A_FAILS -> k.has(Atom.STARTS_ON_FAILURE);
        };
    }

    @ParameterizedTest(name = "{0}: b fails")
    @EnumSource(EdgeKind.class)
    void whenTheNamedUnitFails(EdgeKind k) throws Exception { check(k, Change.B_FAILS); }

    @ParameterizedTest(name = "{0}: b exits cleanly")
    @EnumSource(EdgeKind.class)
    void whenTheNamedUnitExitsCleanly(EdgeKind k) throws Exception { check(k, Change.B_EXITS_CLEANLY); }

    @ParameterizedTest(name = "{0}: a fails")
    @EnumSource(EdgeKind.class)
    void whenTheDeclaringUnitFails(EdgeKind k) throws Exception { check(k, Change.A_FAILS); }

    private void check(EdgeKind k, Change c) throws Exception {
        boolean moves = MOVES.get(k).contains(c);
        assertEquals(moves, tableSays(k, c), "the behaviour table's runtime columns for " + k.word() + " / " + c);
        String key = DepKind.valueOf(k.name()).key();
        unit("b.service.yaml", "exec: [/bin/true]\n");
        unit("a.service.yaml", "exec: [/bin/true]\n" + key + ": [b.service]\n");
        boot();
        // b up first (a requisite needs it; conflicts and on-failure leave it down), then a
        if (k != EdgeKind.CONFLICTS && k != EdgeKind.ON_FAILURE) assertTrue(run(Request.Verb.START, "b.service").success());
        assertTrue(run(Request.Verb.START, "a.service").success());
        ActiveState aBefore = active("a.service"), bBefore = active("b.service");
        assertEquals(ActiveState.ACTIVE, aBefore);
        world.calls.clear();
        switch (c) {
            case B_FAILS -> onLoopRun(() -> world.drivers.get("b.service").crash());
            case B_EXITS_CLEANLY -> onLoopRun(() -> world.drivers.get("b.service").exitCleanly());
            case A_FAILS -> onLoopRun(() -> world.drivers.get("a.service").crash());
        }
        await("no job left", () -> manager.jobCount() == 0);
        if (c == Change.A_FAILS) {
            assertEquals(moves ? ActiveState.ACTIVE : bBefore, active("b.service"), k.word() + ": " + world.calls);
            assertEquals(moves, world.calls.contains("start b.service"), world.calls.toString());
            if (moves) {
                String why = onLoop(() -> manager.cause("b.service"));
                assertEquals("started because on-failure of a.service, which failed: signal", why);
            }
        } else {
            assertEquals(moves ? ActiveState.INACTIVE : ActiveState.ACTIVE, active("a.service"), k.word() + ": " + world.calls);
            assertEquals(moves, world.calls.contains("stop a.service"), world.calls.toString());
            if (moves) {
                String why = onLoop(() -> manager.cause("a.service"));
                assertEquals(c == Change.B_FAILS ? "stopped because b.service failed: signal (required by it)"
                        : "stopped because b.service went inactive (bound to it)", why);
            }
        }
    }

    @Test
    @DisplayName("a service that died and waits in auto-restart propagates nothing")
    void autoRestartPropagatesNothing() throws Exception {
        unit("b.service.yaml", "exec: [/bin/true]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nbinds-to: [b.service]\nrequires: [b.service]\n");
        boot();
        assertTrue(run(Request.Verb.START, "a.service").success());
        world.calls.clear();
        onLoopRun(() -> world.drivers.get("b.service").dieAndWaitToRestart());
        assertEquals(ActiveState.STARTING, active("b.service"));
        onLoopRun(() -> world.drivers.get("b.service").becomeReady());
        await("no job left", () -> manager.jobCount() == 0);
        assertEquals(java.util.List.of(), world.calls);
        assertEquals(ActiveState.ACTIVE, active("a.service"));
    }

    @Test
    @DisplayName("during shutdown a failure starts no on-failure unit and stops nothing by itself")
    void nothingPropagatesDuringShutdown() throws Exception {
        unit("b.service.yaml", "exec: [/bin/true]\non-failure: [alert.service]\n");
        unit("alert.service.yaml", "exec: [/bin/true]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nrequires: [b.service]\n");
        boot();
        assertTrue(run(Request.Verb.START, "a.service").success());
        world.slowStop.add("a.service");
        onLoopRun(() -> manager.shutdown(null));
        await("a stopping", () -> manager.active("a.service") == ActiveState.STOPPING);
        onLoopRun(() -> world.drivers.get("b.service").crash()); // b fails while the shutdown waits for a
        onLoopRun(() -> world.drivers.get("a.service").finishStop());
        await("no job left", () -> manager.jobCount() == 0);
        assertEquals(ActiveState.INACTIVE, active("a.service"));
        assertEquals(ActiveState.FAILED, active("b.service"));
        assertTrue(!world.calls.contains("start alert.service"), world.calls.toString());
        assertEquals(ActiveState.INACTIVE, active("alert.service"));
    }
}
