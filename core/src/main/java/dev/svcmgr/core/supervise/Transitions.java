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
        RESTART_DUE,
        /** A process could not be spawned, or the run could not be set up (result exec). */
        SPAWN_FAILED,
        /** A start was refused by the start limit. */
        LIMIT_HIT,
        /** sd_notify {@code READY=1}. */
        NOTIFY_READY,
        /** sd_notify {@code RELOADING=1}. */
        NOTIFY_RELOADING,
        /** sd_notify {@code STOPPING=1}. */
        NOTIFY_STOPPING,
        /** sd_notify {@code EXTEND_TIMEOUT_USEC=n} (n > 0). */
        NOTIFY_EXTEND,
        /** sd_notify {@code MAINPID=n} (n > 0). */
        NOTIFY_MAINPID,
        /** sd_notify {@code WATCHDOG=1}. */
        WATCHDOG_PING,
        /** The watchdog period passed without {@code WATCHDOG=1}, or the service sent {@code WATCHDOG=trigger}. */
        WATCHDOG_MISSED,
        /** A run taken over from a former manager goes on (posted once by the restore, when something is left to do). */
        RESUME
    }

    /** What the supervisor does; see ServiceSupervisor for each. */
    public enum Action {
        IGNORE, BEGIN_START, QUEUE_START, BEGIN_STOP, MARK_STOP, CANCEL_RESTART, BEGIN_RELOAD, RELOAD_DONE, RESET,
        CLEAR_COUNTERS, NEXT_STEP, PROBE_PASSED, PROBE_AGAIN, MAIN_DONE, STARTED, FAIL, FAIL_TIMEOUT, FAIL_EXEC, FAIL_SETUP,
        FAIL_START_LIMIT, FAIL_WATCHDOG, MAIN_EXITED, STOP_SIGNAL, STOP_KILL, CHECK_EMPTY, FINISH_STOP, GIVE_UP,
        NOTIFIED_READY, NOTIFIED_RELOAD, NOTIFIED_RELOADED, NOTIFIED_STOP, EXTEND_TIMEOUT, ADOPT_MAIN, FEED_WATCHDOG,
        RESUME_RESTART, RESUME_STOP, FAIL_LOST
    }

    private static final Action I = Action.IGNORE;
    private static final Map<State, Action[]> ACTIONS = new EnumMap<>(State.class);

    static {
        final Action bStart = Action.BEGIN_START, bStop = Action.BEGIN_STOP, clear = Action.CLEAR_COUNTERS, fail = Action.FAIL,
                failT = Action.FAIL_TIMEOUT, failX = Action.FAIL_EXEC, failS = Action.FAIL_SETUP, limit = Action.FAIL_START_LIMIT,
                next = Action.NEXT_STEP, exited = Action.MAIN_EXITED, sig = Action.STOP_SIGNAL, chk = Action.CHECK_EMPTY,
                queue = Action.QUEUE_START, mark = Action.MARK_STOP, ext = Action.EXTEND_TIMEOUT, adopt = Action.ADOPT_MAIN,
                feed = Action.FEED_WATCHDOG, rdone = Action.RELOAD_DONE, wdog = Action.FAIL_WATCHDOG, nstop = Action.NOTIFIED_STOP;
        //                       START   STOP                   RELOAD               RESET_FAILED  CONTROL_SUCCESS      CONTROL_FAILURE     MAIN_SUCCESS      MAIN_FAILURE  READY           TIMEOUT           EMPTY               RESTART_DUE  SPAWN_FAILED  LIMIT_HIT  NOTIFY_READY              NOTIFY_RELOADING        NOTIFY_STOPPING  NOTIFY_EXTEND  NOTIFY_MAINPID  WATCHDOG_PING  WATCHDOG_MISSED  RESUME
        row(State.DEAD,          bStart, I,                     I,                   clear,        I,                   I,                  I,                I,            I,              I,                I,                  I,           failS,        limit,     I,                        I,                      I,               I,             I,              I,             I,               I);
        row(State.FAILED,        bStart, I,                     I,                   Action.RESET, I,                   I,                  I,                I,            I,              I,                I,                  I,           failS,        limit,     I,                        I,                      I,               I,             I,              I,             I,               I);
        row(State.AUTO_RESTART,  bStart, Action.CANCEL_RESTART, I,                   clear,        I,                   I,                  I,                I,            I,              I,                I,                  bStart,      failS,        limit,     I,                        I,                      I,               I,             I,              I,             I,               Action.RESUME_RESTART);
        row(State.START_PRE,     I,      bStop,                 I,                   clear,        next,                fail,               I,                I,            I,              failT,            I,                  I,           failX,        I,         I,                        I,                      I,               I,             adopt,          feed,          I,               I);
        row(State.START,         I,      bStop,                 I,                   clear,        Action.PROBE_PASSED, Action.PROBE_AGAIN, Action.MAIN_DONE, fail,         Action.STARTED, failT,            I,                  I,           failX,        I,         Action.NOTIFIED_READY,    I,                      I,               ext,           adopt,          feed,          I,               I);
        row(State.START_POST,    I,      bStop,                 I,                   clear,        next,                fail,               exited,           fail,         I,              failT,            I,                  I,           failX,        I,         I,                        I,                      I,               ext,           adopt,          feed,          I,               I);
        row(State.RUNNING,       I,      bStop,                 Action.BEGIN_RELOAD, clear,        I,                   I,                  exited,           fail,         I,              I,                exited,             I,           I,            I,         I,                        Action.NOTIFIED_RELOAD, nstop,           I,             adopt,          feed,          wdog,            Action.FAIL_LOST);
        row(State.EXITED,        I,      bStop,                 Action.BEGIN_RELOAD, clear,        I,                   I,                  I,                I,            I,              I,                I,                  I,           I,            I,         I,                        I,                      I,               I,             adopt,          feed,          I,               I);
        row(State.RELOAD,        I,      bStop,                 I,                   clear,        rdone,               rdone,              exited,           fail,         I,              rdone,            I,                  I,           rdone,        I,         Action.NOTIFIED_RELOADED, I,                      nstop,           ext,           adopt,          feed,          wdog,            I);
        row(State.STOP,          queue,  mark,                  I,                   clear,        sig,                 sig,                I,                I,            I,              Action.STOP_KILL, I,                  I,           sig,          I,         I,                        I,                      I,               I,             adopt,          feed,          I,               I);
        row(State.STOP_SIGTERM,  queue,  mark,                  I,                   clear,        chk,                 chk,                chk,              chk,          I,              Action.STOP_KILL, Action.FINISH_STOP, I,           I,            I,         I,                        I,                      I,               ext,           adopt,          feed,          I,               Action.RESUME_STOP);
        row(State.STOP_SIGKILL,  queue,  mark,                  I,                   clear,        chk,                 chk,                chk,              chk,          I,              Action.GIVE_UP,   Action.FINISH_STOP, I,           I,            I,         I,                        I,                      I,               I,             adopt,          feed,          I,               I);
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
