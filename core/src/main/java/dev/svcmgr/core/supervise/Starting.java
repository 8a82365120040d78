package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.Transitions.Event;
import dev.svcmgr.core.supervise.Transitions.State;
import dev.svcmgr.core.supervise.readiness.ReadinessCheck;
import dev.svcmgr.core.supervise.readiness.ReadinessChecks;
import dev.svcmgr.core.supervise.readiness.ReadinessContext;
import dev.svcmgr.core.supervise.readiness.ReadinessPort;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.ServiceType;

import java.util.List;

/**
 * The start sequence of a {@link ServiceSupervisor}, the actions its table runs while a service
 * starts: the set-up ({@link RunSetup}, refused by the start limit or a set-up problem), each
 * exec-start-pre, the main process with its {@link ReadinessCheck} (a forking service's daemon
 * search after its first process exited), each exec-start-post, then active. It works on the
 * supervisor's own fields (package-private for it) and reports through the supervisor's events.
 */
final class Starting {
    private final ServiceSupervisor s;
    /** The run's readiness check, and a forking service's daemon search (null when none). */
    private ReadinessCheck check;
    private ReadinessCheck forking;

    Starting(ServiceSupervisor s) { this.s = s; }

    /** BEGIN_START: a new run, set up; refused (SPAWN_FAILED or LIMIT_HIT) or on to the first exec-start-pre. */
    void begin() {
        s.cancelTimers();
        s.runId++;
        s.running = s.unit();
        s.cfg = s.running.service();
        s.explicitStop = false;
        s.killedAfterTimeout = false;
        s.procs.main = null;
        s.procs.lastMain = 0;
        s.procs.control = null;
        boolean keepGroup = s.setup.group() != null && s.state == State.AUTO_RESTART; // kept between automatic restarts
        s.setup.newRun(keepGroup);
        if (s.cfg == null) {
            String why = s.running.firstErrorWithoutContent();
            s.dispatch(Event.SPAWN_FAILED, 0, "Stage: loading unit / Error: " + (why != null ? why : "not a service"));
            return;
        }
        // before the start is timed: making the FIFOs is no part of the backoff gap
        String problem = s.setup.openOutput(s.running.name(), s.cfg);
        if (problem != null) {
            s.dispatch(Event.SPAWN_FAILED, 0, problem);
            return;
        }
        if (!s.budget.admit(s.cfg.startLimit(), s.autoStart, s.loop.nanos())) {
            var sl = s.cfg.startLimit();
            s.dispatch(Event.LIMIT_HIT, 0, "start-limit hit: more than " + sl.burst() + " starts within "
                    + Durations.format(sl.interval()) + "; use reset-failed to allow starts again");
            return;
        }
        problem = ReadinessChecks.problem(s.cfg.ready());
        if (problem == null) problem = s.setup.prepare(s.running.name(), s.cfg, keepGroup);
        if (problem == null) problem = s.setup.makeDirectories(s.cfg); // before the first exec-start-pre
        if (problem != null) {
            s.dispatch(Event.SPAWN_FAILED, 0, problem);
            return;
        }
        s.statusText = null;
        s.notifyReload = false;
        s.setResult(null, null);
        s.stepIndex = 0;
        s.enter(State.START_PRE);
        nextStep();
    }

    /** NEXT_STEP: the next exec-start-pre, the main process, the next exec-start-post, or active. */
    void nextStep() {
        var cfg = s.cfg;
        if (s.state == State.START_PRE) {
            if (s.stepIndex < cfg.execStartPre().size()) {
                var cmd = cfg.execStartPre().get(s.stepIndex++);
                s.runControl("exec-start-pre", SpawnRequest.Role.START_PRE, cmd, cmd.argv());
                return;
            }
            startMain();
        } else if (s.state == State.START_POST) {
            if (s.stepIndex < cfg.execStartPost().size()) {
                var cmd = cfg.execStartPost().get(s.stepIndex++);
                s.runControl("exec-start-post", SpawnRequest.Role.START_POST, cmd, cmd.argv());
                return;
            }
            becomeActive();
        }
    }

    private void startMain() {
        s.enter(State.START);
        if (check != null) check.close();
        check = newCheck(false);
        try {
            s.procs.spawnMain(check.prepare(s.setup.request(s.running.name(), s.cfg, s.cfg.exec(), null, SpawnRequest.Role.MAIN)), s.runId);
        } catch (SpawnException ex) {
            s.dispatch(Event.SPAWN_FAILED, 0, ex.detail());
            return;
        }
        s.armTimeout(s.cfg.timeoutStart());
        s.mainExeced = s.cfg.type() != ServiceType.EXEC;
        switch (s.cfg.type()) {
            case ONESHOT, FORKING -> { } // ready when the process exits (MAIN_DONE)
            case EXEC -> awaitExec();
            default -> check.begin();
        }
    }

    /** type exec: the start goes on once the main process runs the program itself (not the prologue). */
    private void awaitExec() {
        if (s.procs.main != null && s.ctx.os().execed(s.procs.main)) {
            s.mainExeced = true;
            check.begin();
        } else {
            s.armPoll(1, this::awaitExec);
        }
    }

    /** For type exec: the main process ended before it ran the program: the exec failed (true when so). */
    boolean failedBeforeExec() {
        if (s.mainExeced || s.state != State.START) return false;
        s.fail(Result.EXEC, "Stage: executing command / Error: " + s.lastExit.describe()
                + " before the program was executed (" + s.cfg.exec().get(0) + "; the reason is in the unit's log)", s.lastExit);
        return true;
    }

    /** MAIN_DONE: the main process exited cleanly while starting: oneshot done, forking parent done, else an early exit. */
    void mainDone() {
        ServiceType t = s.cfg.type();
        if (t == ServiceType.ONESHOT) {
            started();
        } else if (t == ServiceType.FORKING) {
            forking = newCheck(true); // its daemon: from the pid-file, or the one process left
            forking.begin();
        } else if (!failedBeforeExec()) {
            s.fail(Result.EXIT_CODE, s.lastExit.describe() + " before it was ready", s.lastExit);
        }
    }

    /** STARTED: ready; exec-start-post, if any, else active. */
    void started() {
        s.budget.ready(s.loop.nanos());
        if (s.state == State.START && !s.cfg.execStartPost().isEmpty()) {
            s.stepIndex = 0;
            s.enter(State.START_POST);
            nextStep();
            return;
        }
        becomeActive();
    }

    private void becomeActive() {
        s.setResult(Result.SUCCESS, null);
        if (s.cfg.type() == ServiceType.ONESHOT) {
            if (s.cfg.remainAfterExit()) s.enter(State.EXITED);
            else s.cleanupThenSettle();
            return;
        }
        s.enter(State.RUNNING);
        if (s.procs.main == null) s.watchForEmpty(500);
        s.watchdog.start(s.cfg.watchdog());
    }

    /** {@code READY=1} while starting: the check decides (only a notify check takes it). */
    void notified() {
        if (check != null) check.notified();
    }

    /** The readiness probe exited. */
    void probeExited(boolean ok) {
        if (check != null) check.probeExited(ok);
    }

    /** The state changed: the checks stop. */
    void cancel() {
        if (check != null) check.cancel();
        if (forking != null) forking.cancel();
    }

    /** The run is over: the checks release what they hold. */
    void close() {
        if (check != null) check.close();
        if (forking != null) forking.close();
        check = null;
        forking = null;
    }

    /** The run's readiness check (or, {@code forkingDaemon}, its daemon search), reporting to the table while it is the run's. */
    private ReadinessCheck newCheck(boolean forkingDaemon) {
        ReadinessCheck[] self = new ReadinessCheck[1];
        ReadinessCheck.Listener l = new ReadinessCheck.Listener() {
            private boolean current() { return self[0] == check || self[0] == forking; }

            @Override
            public void ready() {
                if (current()) s.dispatch(Event.READY);
            }

            @Override
            public void foundMain(int pid) {
                if (current()) s.procs.adoptMain(pid, s.runId);
            }

            @Override
            public void failed(String why) {
                if (current()) s.dispatch(Event.SPAWN_FAILED, 0, why);
            }
        };
        ReadinessContext rc = new ReadinessContext() {
            @Override
            public Loop loop() { return s.loop; }

            @Override
            public String unit() { return s.running.name(); }

            @Override
            public ReadinessPort port() { return s.ctx.readiness(); }

            @Override
            public void runProbe(List<String> argv) throws SpawnException {
                s.runControlKeepTimer("readiness probe", SpawnRequest.Role.PROBE, argv);
            }

            @Override
            public List<Integer> groupPids() { return s.procs.groupPids(); }

            @Override
            public boolean alive(int pid) { return s.ctx.os().alive(pid); }
        };
        self[0] = forkingDaemon ? ReadinessChecks.forking(s.cfg.pidFile(), rc, l) : ReadinessChecks.of(s.cfg.ready(), rc, l);
        return self[0];
    }
}
