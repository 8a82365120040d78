package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.Transitions.Event;
import dev.svcmgr.core.supervise.Transitions.State;
import dev.svcmgr.units.Durations;

import java.util.List;

/**
 * The stop sequence of a {@link ServiceSupervisor}, the actions its table runs to end a run (an
 * explicit stop, or the cleanup after a failure): each exec-stop (a running service's explicit stop
 * only), then the stop signal and SIGCONT to every process and {@code timeout-stop} to go, then
 * SIGKILL and {@code timeout-stop} again, then giving up. Emptiness is checked after 2, 4, 8 ... ms
 * (at most every 100 ms) and on each exit. It works on the supervisor's own fields (package-private
 * for it).
 */
final class Stopping {
    private final ServiceSupervisor s;
    private long pollDelayMs;

    Stopping(ServiceSupervisor s) { this.s = s; }

    /** BEGIN_STOP: exec-stop when the service was up and has some, else the signals. */
    void begin() {
        s.explicitStop = true;
        boolean wasUp = s.state == State.RUNNING || s.state == State.EXITED || s.state == State.RELOAD;
        if (wasUp && !s.cfg.execStop().isEmpty()) {
            if (s.procs.control != null) s.ctx.os().kill(s.procs.control, Signals.SIGKILL);
            s.enter(State.STOP);
            s.stepIndex = 0;
            runNextStop();
            return;
        }
        s.cleanupThenSettle();
    }

    private void runNextStop() {
        var cmd = s.cfg.execStop().get(s.stepIndex++);
        s.runControl("exec-stop", SpawnRequest.Role.STOP, cmd, ServiceEnvironment.expandMainPid(cmd.argv(), s.procs.main));
    }

    /** STOP_SIGNAL: the next exec-stop, else stop-signal (then SIGCONT) to every process; SIGKILL after timeout-stop. */
    void signalAll() {
        if (s.state == State.STOP && s.procs.control == null && s.stepIndex < s.cfg.execStop().size()) {
            runNextStop();
            return;
        }
        if (s.procs.isEmpty()) {
            s.settle();
            return;
        }
        s.enter(State.STOP_SIGTERM);
        long run = s.runId;
        s.procs.stopSignal(s.cfg.stopSignal(), () -> s.runId == run && s.state == State.STOP_SIGTERM);
        s.armTimeout(s.cfg.timeoutStop());
        pollEmpty(2);
    }

    /** NOTIFIED_STOP: the service stops by itself: no signal is sent; it has timeout-stop to go, then is killed. */
    void byItself() {
        s.notifyReload = false;
        s.enter(State.STOP_SIGTERM);
        s.armTimeout(s.cfg.timeoutStop());
        pollEmpty(2);
    }

    /** STOP_KILL: SIGKILL to every process. */
    void killAll() {
        s.enter(State.STOP_SIGKILL);
        s.killedAfterTimeout = true;
        s.procs.killAll();
        s.armTimeout(s.cfg.timeoutStop());
        pollEmpty(2);
    }

    /** GIVE_UP: processes survived SIGKILL for timeout-stop (uninterruptible sleep): failed, with their PIDs. */
    void giveUp() {
        List<Integer> left = s.procs.groupPids();
        s.explicitStop = false;
        s.pendingStart = false;
        s.fail0(Result.TIMEOUT, "processes " + left + " still there after SIGKILL and " + Durations.format(s.cfg.timeoutStop()));
        s.enter(State.FAILED);
    }

    /** Checks for an empty service after {@code ms}, then twice as long each time, at most every 100 ms. */
    private void pollEmpty(long ms) {
        pollDelayMs = ms;
        s.armPoll(pollDelayMs, () -> {
            if (s.procs.isEmpty()) s.dispatch(Event.EMPTY);
            else pollEmpty(Math.min(100, pollDelayMs * 2));
        });
    }
}
