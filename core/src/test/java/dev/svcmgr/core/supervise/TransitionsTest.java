package dev.svcmgr.core.supervise;

import dev.svcmgr.core.supervise.Transitions.Event;
import dev.svcmgr.core.supervise.Transitions.State;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransitionsTest {
    @Test
    void everyStateEventCellIsDefined() {
        for (State s : State.values()) {
            for (Event e : Event.values()) {
                assertNotNull(Transitions.action(s, e), s + " x " + e);
            }
        }
    }

    @Test
    void startIsAcceptedOnlyFromRestingStatesAndQueuedWhileStopping() {
        for (State s : State.values()) {
            Transitions.Action a = Transitions.action(s, Event.START);
            switch (s) {
                case DEAD, FAILED, AUTO_RESTART -> assertEquals(Transitions.Action.BEGIN_START, a, s.name());
                case STOP, STOP_SIGTERM, STOP_SIGKILL -> assertEquals(Transitions.Action.QUEUE_START, a, s.name());
                default -> assertEquals(Transitions.Action.IGNORE, a, s.name());
            }
        }
    }

    @Test
    void onlyAnEmptyServiceFinishesAStop() {
        for (State s : State.values()) {
            for (Event e : Event.values()) {
                if (Transitions.action(s, e) == Transitions.Action.FINISH_STOP) assertEquals(Event.EMPTY, e, s + " x " + e);
            }
        }
    }

    @Test
    void aServiceThatIsDownHearsOnlyRequestsAndTheOutcomeOfItsOwnStart() {
        java.util.Set<Event> heard = java.util.EnumSet.of(Event.START, Event.RESET_FAILED, Event.SPAWN_FAILED, Event.LIMIT_HIT);
        for (State s : new State[] {State.DEAD, State.FAILED}) {
            for (Event e : Event.values()) {
                assertEquals(heard.contains(e), Transitions.action(s, e) != Transitions.Action.IGNORE, s + " x " + e);
            }
        }
        java.util.Set<Event> waiting = java.util.EnumSet.copyOf(heard);
        waiting.addAll(java.util.List.of(Event.STOP, Event.RESTART_DUE, Event.RESUME));
        for (Event e : Event.values()) {
            assertEquals(waiting.contains(e), Transitions.action(State.AUTO_RESTART, e) != Transitions.Action.IGNORE, "auto-restart x " + e);
        }
    }

    @Test
    void onlyARunningOrReloadingServiceFailsByItsWatchdogAndOnlyAStartingOneIsReadyByNotify() {
        for (State s : State.values()) {
            boolean watched = s == State.RUNNING || s == State.RELOAD;
            assertEquals(watched ? Transitions.Action.FAIL_WATCHDOG : Transitions.Action.IGNORE, Transitions.action(s, Event.WATCHDOG_MISSED), s.name());
            Transitions.Action ready = Transitions.action(s, Event.NOTIFY_READY);
            switch (s) {
                case START -> assertEquals(Transitions.Action.NOTIFIED_READY, ready);
                case RELOAD -> assertEquals(Transitions.Action.NOTIFIED_RELOADED, ready);
                default -> assertEquals(Transitions.Action.IGNORE, ready, s.name());
            }
        }
    }

    @Test
    void docsSupervisionMdShowsTheCurrentTable() throws Exception {
        java.nio.file.Path doc = java.nio.file.Path.of("..", "docs", "supervision.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(doc), "run from the core module");
        String md = java.nio.file.Files.readString(doc);
        String between = md.substring(md.indexOf("<!-- state-table:begin -->\n") + 27, md.indexOf("<!-- state-table:end -->"));
        assertEquals(Transitions.renderMarkdown(), between);
    }

    @Test
    void theRenderedTableHasARowPerStateAndAColumnPerEvent() {
        String md = Transitions.renderMarkdown();
        String[] lines = md.split("\n");
        assertEquals(State.values().length + 2, lines.length);
        for (String l : lines) assertEquals(Event.values().length + 2, l.split("\\|", -1).length - 1, l);
        assertTrue(md.contains("| starting/auto-restart |"));
    }
}
