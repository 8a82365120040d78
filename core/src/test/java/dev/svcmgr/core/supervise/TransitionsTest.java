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
