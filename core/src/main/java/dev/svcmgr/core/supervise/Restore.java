package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.supervise.Transitions.State;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceType;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-adoption ({@link ServiceSupervisor#restore}): a service as a former manager left it (after
 * {@code daemon-reexec}, or a manager that was killed) is resumed from its record; its processes
 * keep running, untouched; its state, result, restart count and failures come back. Nothing is
 * published synchronously: a follow-up is posted to the loop as the event {@code RESUME}, whose
 * action the table gives by state. The rules, by the recorded state:
 * <ul>
 * <li>up or starting, main process alive (same PID and start time): running, watched again;</li>
 * <li>up or starting, main process gone: it exited while no manager ran: a failure with result
 *     {@code exit-code}, handled by the restart policy (what is left of it is stopped first);</li>
 * <li>up without a main PID (forking without one, remain-after-exit): running while its group is not empty;</li>
 * <li>running exec-start-pre: what is left is stopped and the start begins again;</li>
 * <li>stopping: the stop goes on; waiting to restart: the restart is scheduled again;</li>
 * <li>inactive or failed: kept, and anything left in its group is killed; but a record of a service
 *     down whose group is not empty is older than the truth (the manager died right after a start it
 *     had not written yet): running, with the group's first process as main.</li>
 * </ul>
 * It works on the supervisor's own fields (package-private for it): it is the supervisor's
 * constructor for a recorded state, kept apart for length.
 */
final class Restore {
    private final ServiceSupervisor s;
    private final ProcessRuntime os;

    Restore(ServiceSupervisor s) {
        this.s = s;
        this.os = s.ctx.os();
    }

    void apply(ServiceRecords.Rec rec) {
        State was;
        try {
            was = State.valueOf(rec.state());
        } catch (IllegalArgumentException e) {
            return;
        }
        s.running = s.unit();
        ServiceConfig cfg = s.cfg = s.running.service();
        if (cfg == null) return;
        String name = s.running.name();
        s.resumeRecord(Result.of(rec.result()), rec.detail(), rec.statusText(), rec.since(), rec.failureLog());
        Integer main = rec.mainPid();
        // alive and the same process (start time), or a child of this process (after a re-execution) that
        // ended meanwhile: its exact status waits in the reaper and reaches us through adopt()
        boolean mainAlive = main != null && (os.endedUnclaimed(main) || os.alive(main)
                && (rec.mainStart() < 0 || os.startTime(main) == rec.mainStart()));
        List<Integer> known = new ArrayList<>();
        if (mainAlive) known.add(main);
        if (rec.controlPid() != null && os.alive(rec.controlPid())) known.add(rec.controlPid());
        ServiceGroup group = s.setup.adoptGroup(name, cfg, known);
        if (mainAlive && rec.mainStart() < 0 && !os.endedUnclaimed(main) && !group.pids().contains(main)) {
            mainAlive = false; // start time unknown and not in the service's group: maybe another process with that PID
        }
        if ((was == State.DEAD || was == State.FAILED || was == State.AUTO_RESTART) && !group.isEmpty()) {
            Integer root = os.leftoverRoot(name);
            was = State.RUNNING;
            main = root;
            mainAlive = root != null;
        }
        String noOutput = s.setup.openOutput(name, cfg);
        if (noOutput != null) s.setup.warn(noOutput.replace("Stage: opening its output / Error: ", "output not read: "));
        long now = s.loop.nanos();
        s.budget.restore(rec.restarts(), rec.failures(), rec.startLimitHit(), now);
        long id = ++s.runId;
        s.state = was;
        switch (was) {
            case DEAD, FAILED -> {
                if (!group.isEmpty()) group.killAll();
                s.setup.releaseGroup();
                s.setup.releaseOutput(); // what it wrote before it ended still reaches the log
            }
            case EXITED -> { }
            case AUTO_RESTART -> {
                s.budget.uncountLastFailure(); // the restart counts this failure again
                s.loop.execute(() -> {
                    if (s.runId == id) s.resume();
                });
            }
            case STOP, STOP_SIGTERM, STOP_SIGKILL -> {
                s.state = State.STOP_SIGTERM;
                s.explicitStop = true;
                s.loop.execute(() -> {
                    if (s.runId == id) s.resume();
                });
            }
            case START_PRE -> {
                s.state = State.DEAD;
                s.loop.execute(() -> {
                    if (s.runId != id) return;
                    if (!group.isEmpty()) group.killAll();
                    s.start();
                });
            }
            case START_POST -> {
                if (cfg.type() == ServiceType.ONESHOT) {
                    // its main process had ended well; only the post commands were left: done
                    s.state = cfg.remainAfterExit() ? State.EXITED : State.DEAD;
                    s.resumeRecord(Result.SUCCESS, rec.detail(), rec.statusText(), rec.since(), rec.failureLog());
                    if (s.state == State.DEAD) s.setup.releaseOutput();
                } else {
                    running(was, main, mainAlive, now, id);
                }
            }
            default -> running(was, main, mainAlive, now, id); // START, RUNNING, RELOAD
        }
        s.restored();
    }

    /** A service that was up or starting. */
    private void running(State was, Integer main, boolean mainAlive, long now, long id) {
        ServiceConfig cfg = s.cfg;
        boolean oneshot = cfg.type() == ServiceType.ONESHOT;
        s.state = oneshot && was == State.START && mainAlive ? State.START : State.RUNNING;
        s.mainExeced = true;
        s.budget.ready(now);
        if (mainAlive && !s.procs.readoptMain(main, id)) mainAlive = false;
        if (RunSetup.wantsNotify(cfg)) {
            String problem = s.setup.registerNotify();
            if (problem != null) s.setup.warn("notify socket not reopened: " + problem);
        }
        if (mainAlive) {
            s.watchdog.start(cfg.watchdog());
        } else if (main != null || !oneshot && s.setup.group().isEmpty()) {
            s.procs.main = null;
            s.loop.execute(() -> {
                if (s.runId == id) s.resume(); // it ended while no manager ran
            });
        } else if (!oneshot) {
            s.resumeWatchingGroup(); // up without a main PID (forking without one): running while its group is not empty
        } else {
            s.state = cfg.remainAfterExit() ? State.EXITED : State.DEAD;
            if (s.state == State.DEAD) s.setup.releaseOutput();
        }
    }
}
