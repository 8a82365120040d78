package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.graph.ActiveState;

import java.util.EnumMap;
import java.util.Map;

/**
 * The supervisor's state machine as one table, s6-supervise style:
 * {@code ACTIONS[state][event]}. Every cell names an {@link Action}; a test
 * checks that every (state, event) pair is defined, and {@link #renderMarkdown()}
 * prints the table for docs/supervision.md.
 */
public final class Transitions {

    /** Where a service is; each maps to the {@code active} and {@code sub} columns. */
    public enum State {
        DEAD(ActiveState.INACTIVE, SubState.DEAD),
        FAILED(ActiveState.FAILED, SubState.FAILED),
        AUTO_RESTART(ActiveState.STARTING, SubState.AUTO_RESTART),
        START_PRE(ActiveState.STARTING, SubState.START_PRE),
        START(ActiveState.STARTING, SubState.START),
        START_POST(ActiveState.STARTING, SubState.START_POST),
        RUNNING(ActiveState.ACTIVE, SubState.RUNNING),
        EXITED(ActiveState.ACTIVE, SubState.EXITED),
        RELOAD(ActiveState.ACTIVE, SubState.RELOAD),
        STOP(ActiveState.STOPPING, SubState.STOP),
        STOP_SIGTERM(ActiveState.STOPPING, SubState.STOP_SIGTERM),
        STOP_SIGKILL(ActiveState.STOPPING, SubState.STOP_SIGKILL);

        public final ActiveState active;
        public final SubState sub;

        State(ActiveState active, SubState sub) {
            this.active = active;
            this.sub = sub;
        }
    }

    /** What can happen to a service. */
    public enum Event {
        /** start() or restart() was asked for. */
        START,
        /** stop() was asked for. */
        STOP,
        /** reload() was asked for. */
        RELOAD,
        /** resetFailed() was asked for. */
        RESET_FAILED,
        /** The control process (pre/post/stop/reload command or readiness probe) exited 0. */
        CONTROL_SUCCESS,
        /** The control process failed (exit status, signal). */
        CONTROL_FAILURE,
        /** The main process exited cleanly (success-exit-status, or SIGHUP/SIGINT/SIGTERM/SIGPIPE). */
        MAIN_SUCCESS,
        /** The main process exited otherwise. */
        MAIN_FAILURE,
        /** The readiness condition holds (started, path exists, forking main PID known). */
        READY,
        /** The phase's timeout (timeout-start, timeout-stop) expired. */
        TIMEOUT,
        /** No process of the service is left. */
        EMPTY,
        /** The auto-restart delay is over. */
        RESTART_DUE
    }

    /** What the supervisor does; see ServiceSupervisor for each. */
    public enum Action {
        IGNORE, BEGIN_START, QUEUE_START, BEGIN_STOP, MARK_STOP, CANCEL_RESTART, BEGIN_RELOAD, RELOAD_DONE, RESET,
        CLEAR_COUNTERS, NEXT_STEP, PROBE_AGAIN, MAIN_DONE, STARTED, FAIL, FAIL_TIMEOUT, MAIN_EXITED, STOP_SIGNAL,
        STOP_KILL, CHECK_EMPTY, FINISH_STOP, GIVE_UP
    }

    private static final Action I = Action.IGNORE;
    private static final Map<State, Action[]> ACTIONS = new EnumMap<>(State.class);

    static {
        //                         START               STOP                   RELOAD               RESET_FAILED           CONTROL_SUCCESS     CONTROL_FAILURE     MAIN_SUCCESS        MAIN_FAILURE        READY             TIMEOUT              EMPTY               RESTART_DUE
        row(State.DEAD,            Action.BEGIN_START, I,                     I,                   Action.CLEAR_COUNTERS, I,                  I,                  I,                  I,                  I,                I,                   I,                  I);
        row(State.FAILED,          Action.BEGIN_START, I,                     I,                   Action.RESET,          I,                  I,                  I,                  I,                  I,                I,                   I,                  I);
        row(State.AUTO_RESTART,    Action.BEGIN_START, Action.CANCEL_RESTART, I,                   Action.CLEAR_COUNTERS, I,                  I,                  I,                  I,                  I,                I,                   I,                  Action.BEGIN_START);
        row(State.START_PRE,       I,                  Action.BEGIN_STOP,     I,                   Action.CLEAR_COUNTERS, Action.NEXT_STEP,   Action.FAIL,        I,                  I,                  I,                Action.FAIL_TIMEOUT, I,                  I);
        row(State.START,           I,                  Action.BEGIN_STOP,     I,                   Action.CLEAR_COUNTERS, Action.STARTED,     Action.PROBE_AGAIN, Action.MAIN_DONE,   Action.FAIL,        Action.STARTED,   Action.FAIL_TIMEOUT, I,                  I);
        row(State.START_POST,      I,                  Action.BEGIN_STOP,     I,                   Action.CLEAR_COUNTERS, Action.NEXT_STEP,   Action.FAIL,        Action.MAIN_EXITED, Action.FAIL,        I,                Action.FAIL_TIMEOUT, I,                  I);
        row(State.RUNNING,         I,                  Action.BEGIN_STOP,     Action.BEGIN_RELOAD, Action.CLEAR_COUNTERS, I,                  I,                  Action.MAIN_EXITED, Action.FAIL,        I,                I,                   Action.MAIN_EXITED, I);
        row(State.EXITED,          I,                  Action.BEGIN_STOP,     Action.BEGIN_RELOAD, Action.CLEAR_COUNTERS, I,                  I,                  I,                  I,                  I,                I,                   I,                  I);
        row(State.RELOAD,          I,                  Action.BEGIN_STOP,     I,                   Action.CLEAR_COUNTERS, Action.RELOAD_DONE, Action.RELOAD_DONE, Action.MAIN_EXITED, Action.FAIL,        I,                Action.RELOAD_DONE,  I,                  I);
        row(State.STOP,            Action.QUEUE_START, Action.MARK_STOP,      I,                   Action.CLEAR_COUNTERS, Action.STOP_SIGNAL, Action.STOP_SIGNAL, I,                  I,                  I,                Action.STOP_KILL,    I,                  I);
        row(State.STOP_SIGTERM,    Action.QUEUE_START, Action.MARK_STOP,      I,                   Action.CLEAR_COUNTERS, Action.CHECK_EMPTY, Action.CHECK_EMPTY, Action.CHECK_EMPTY, Action.CHECK_EMPTY, I,                Action.STOP_KILL,    Action.FINISH_STOP, I);
        row(State.STOP_SIGKILL,    Action.QUEUE_START, Action.MARK_STOP,      I,                   Action.CLEAR_COUNTERS, Action.CHECK_EMPTY, Action.CHECK_EMPTY, Action.CHECK_EMPTY, Action.CHECK_EMPTY, I,                Action.GIVE_UP,      Action.FINISH_STOP, I);
    }

    private Transitions() {}

    private static void row(State s, Action... actions) {
        if (actions.length != Event.values().length) {
            throw new IllegalStateException("row " + s + " has " + actions.length + " cells, expected " + Event.values().length);
        }
        ACTIONS.put(s, actions);
    }

    /** The action for an event in a state; null only if the table were incomplete (the test forbids it). */
    public static Action action(State s, Event e) {
        Action[] row = ACTIONS.get(s);
        return row == null ? null : row[e.ordinal()];
    }

    /** The table as Markdown, events as rows' columns, ignored cells as {@code -}. */
    public static String renderMarkdown() {
        StringBuilder b = new StringBuilder("| state \\ event |");
        for (Event e : Event.values()) b.append(' ').append(word(e.name())).append(" |");
        b.append("\n|---|");
        for (int i = 0; i < Event.values().length; i++) b.append("---|");
        b.append('\n');
        for (State s : State.values()) {
            b.append("| ").append(s.active.word()).append('/').append(s.sub.word()).append(" |");
            for (Event e : Event.values()) {
                Action a = action(s, e);
                b.append(' ').append(a == Action.IGNORE ? "-" : word(a.name())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String word(String n) { return n.toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}
