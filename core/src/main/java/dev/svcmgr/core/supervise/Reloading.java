package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.Transitions.Event;
import dev.svcmgr.core.supervise.Transitions.State;


/**
 * The reloads of a {@link ServiceSupervisor}: exec-reload run as the control process while running
 * (its failure is recorded, the service keeps running), or a reload the service announces itself
 * ({@code RELOADING=1} ... {@code READY=1}, bounded by {@code timeout-start}). It works on the
 * supervisor's own fields (package-private for it).
 */
final class Reloading {
    private final ServiceSupervisor s;
    private State back = State.RUNNING;

    Reloading(ServiceSupervisor s) { this.s = s; }

    /** BEGIN_RELOAD: exec-reload with {@code $MAINPID}; nothing when the unit has none. */
    void begin() {
        var cmd = s.cfg.execReload();
        if (cmd == null) return;
        State was = s.state;
        s.enter(State.RELOAD);
        back = was;
        s.runControl("exec-reload", SpawnRequest.Role.RELOAD, cmd, ServiceEnvironment.expandMainPid(cmd.argv(), s.procs.main));
    }

    /** RELOAD_DONE: back to where it was; a failure, a timeout or a command that could not start is recorded. */
    void done(Event e, String spawnError) {
        s.procs.killControl();
        if (e == Event.SPAWN_FAILED) s.recordFailure(Result.EXEC, s.spawnWhat + ": " + spawnError);
        if (e == Event.CONTROL_FAILURE && s.lastExit != null) {
            s.recordFailure(s.exitResult(s.lastExit), "exec-reload " + s.lastExit.describe());
        }
        if (e == Event.TIMEOUT) s.recordFailure(Result.TIMEOUT, "exec-reload timed out");
        s.enter(back);
        if (back == State.RUNNING && s.procs.main == null) s.watchForEmpty(500);
    }

    /** NOTIFIED_RELOAD: {@code RELOADING=1}: sub reload until {@code READY=1}, within timeout-start. */
    void byItself() {
        back = State.RUNNING;
        s.notifyReload = true;
        s.enter(State.RELOAD);
        s.armTimeout(s.cfg.timeoutStart());
    }

    /** NOTIFIED_RELOADED: {@code READY=1} after {@code RELOADING=1}: running again, the watchdog from its last ping. */
    void readyAgain() {
        if (!s.notifyReload) return;
        s.notifyReload = false;
        s.enter(State.RUNNING);
        if (s.procs.main == null) s.watchForEmpty(500);
        s.watchdog.arm(s.cfg.watchdog());
    }
}
