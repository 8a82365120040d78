package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.Behaviour;
import dev.svcmgr.core.sim.FakeProcessRuntime;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.ServiceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.svcmgr.core.supervise.Sim.ms;
import static dev.svcmgr.core.supervise.Sim.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start and stop sequences on the fakes: order, failure stages, timeouts and their escalation, exact times. */
class SupervisorStartStopTest {
    @TempDir
    Path dir;

    static String at(UnitSnapshot s) { return s.active().word() + "/" + s.sub().word(); }

    @Test
    void preCommandsRunOneAfterTheOtherThenMainThenPostThenActive() {
        Sim sim = new Sim(dir);
        sim.scenario.command("steps.service", SpawnRequest.Role.START_PRE, Behaviour.exits(0).after(ms(10)));
        sim.scenario.command("steps.service", SpawnRequest.Role.START_POST, Behaviour.exits(0).after(ms(30)));
        Svc svc = Svc.of("/srv/main");
        svc.pre.add(List.of("/srv/pre1"));
        svc.pre.add(List.of("/srv/pre2"));
        svc.post.add(List.of("/srv/post"));
        ServiceSupervisor s = sim.add("steps.service", svc);
        sim.run(s::start);
        sim.advanceMs(100);
        assertEquals(List.of("/srv/pre1", "/srv/pre2", "/srv/main", "/srv/post"),
                sim.os.spawned().stream().map(x -> x.argv().get(0)).toList());
        assertEquals(List.of(0L, 10L), sim.spawnedAt("steps.service", SpawnRequest.Role.START_PRE));
        assertEquals(List.of(20L), sim.spawnedAt("steps.service", SpawnRequest.Role.MAIN));
        assertEquals(List.of(20L), sim.spawnedAt("steps.service", SpawnRequest.Role.START_POST));
        assertEquals(List.of("starting/start-pre", "starting/start", "starting/start-post", "active/running"), sim.path("steps.service"));
        assertEquals(List.of(50L), sim.entered("steps.service", SubState.RUNNING));
    }

    @Test
    void aFailingPreCommandFailsTheStartWithItsCommandAndStatus() {
        Sim sim = new Sim(dir);
        sim.scenario.command("badpre.service", SpawnRequest.Role.START_PRE, Behaviour.exits(1));
        Svc svc = Svc.of("sleep", "1000").restart(RestartPolicy.NO);
        svc.pre.add(List.of("/bin/false"));
        ServiceSupervisor s = sim.add("badpre.service", svc);
        sim.run(s::start);
        UnitSnapshot r = s.snapshot();
        assertEquals("failed/failed", at(r));
        assertEquals(Result.EXIT_CODE, r.result());
        assertEquals("exec-start-pre /bin/false exited with status 1", r.resultDetail());
        assertEquals(1, r.exitCode(), "the pre command's status decided the result");
        assertEquals(0, sim.os.spawned("badpre.service", SpawnRequest.Role.MAIN).size(), "the main process never ran");
    }

    @Test
    void aCommandThatCannotBeSpawnedFailsWithItsStageInStartAndIsRecordedInStop() {
        Sim sim = new Sim(dir);
        sim.scenario.command("stages.service", SpawnRequest.Role.START_POST,
                Behaviour.spawnFails("changing to the working directory", "No such file or directory", "/nonexistent-dir"));
        Svc svc = Svc.of("/srv/main").restart(RestartPolicy.NO);
        svc.post.add(List.of("/srv/post"));
        ServiceSupervisor s = sim.add("stages.service", svc);
        sim.run(s::start);
        assertEquals("Stage: changing to the working directory / Error: No such file or directory (/nonexistent-dir)",
                s.snapshot().resultDetail());
        assertEquals(Result.EXEC, s.snapshot().result());

        sim.scenario.command("stop.service", SpawnRequest.Role.STOP, Behaviour.missingProgram("/srv/stop"));
        Svc st = Svc.of("/srv/main");
        st.stopCmds.add(List.of("/srv/stop"));
        ServiceSupervisor t = sim.add("stop.service", st);
        sim.run(t::start);
        sim.run(t::stop);
        assertEquals("inactive/dead", at(t.snapshot()), "the stop goes on with the stop signal");
        assertEquals(Result.SUCCESS, t.snapshot().result());
        assertEquals("exec-stop: Stage: executing command / Error: No such file or directory (/srv/stop)", t.failures().get(0).detail());
    }

    @Test
    void aOneshotIsStartedWhenItsProcessExitsWellAndRemainsOrEnds() {
        Sim sim = new Sim(dir);
        sim.scenario.main("remain.service", Behaviour.exits(3).after(ms(100)));
        Svc remain = Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO);
        remain.remainAfterExit = true;
        remain.successExitStatus = Set.of(0, 3);
        ServiceSupervisor a = sim.add("remain.service", remain);
        sim.run(a::start);
        assertEquals("starting/start", at(a.snapshot()));
        sim.advanceMs(100);
        assertEquals("active/exited", at(a.snapshot()));
        assertEquals(Result.SUCCESS, a.snapshot().result());
        assertNull(a.snapshot().mainPid());

        sim.scenario.main("plain.service", Behaviour.exits(0).after(ms(100)));
        ServiceSupervisor b = sim.add("plain.service", Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
        sim.run(b::start);
        sim.advanceMs(100);
        assertEquals(List.of("starting/start-pre", "starting/start", "inactive/dead"), sim.path("plain.service"));
        assertEquals(Result.SUCCESS, b.snapshot().result());

        sim.scenario.main("bad.service", Behaviour.exits(2));
        ServiceSupervisor c = sim.add("bad.service", Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
        sim.run(c::start);
        assertEquals("failed/failed", at(c.snapshot()));
        assertEquals("exited with status 2", c.snapshot().resultDetail());
    }

    @Test
    void theExitCodeThatDecidedTheResultIsCarriedAsANumberAndOnlyThen() {
        Sim sim = new Sim(dir);
        sim.scenario.main("seven.service", Behaviour.exits(7));
        ServiceSupervisor a = sim.add("seven.service", Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
        sim.run(a::start);
        assertEquals(Result.EXIT_CODE, a.snapshot().result());
        assertEquals(7, a.snapshot().exitCode());

        sim.scenario.main("sig.service", Behaviour.killedBy(Signals.SIGKILL));
        ServiceSupervisor b = sim.add("sig.service", Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
        sim.run(b::start);
        assertEquals(Result.SIGNAL, b.snapshot().result());
        assertNull(b.snapshot().exitCode(), "killed by a signal: no exit code");

        sim.scenario.main("hang.service", Behaviour.runs());
        Svc hang = Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO);
        hang.timeoutStart = s(5);
        ServiceSupervisor c = sim.add("hang.service", hang);
        sim.run(c::start);
        sim.advance(s(5));
        assertEquals(Result.TIMEOUT, c.snapshot().result());
        assertNull(c.snapshot().exitCode(), "a timeout is decided by the clock, not by an exit");

        sim.scenario.main("ok.service", Behaviour.exits(0));
        ServiceSupervisor d = sim.add("ok.service", Svc.of("/srv/job").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
        sim.run(d::start);
        assertEquals(Result.SUCCESS, d.snapshot().result());
        assertNull(d.snapshot().exitCode(), "a start that succeeded was decided by readiness");
    }

    @Test
    void aSimpleServiceThatExitsBeforeItIsReadyFails() {
        Sim sim = new Sim(dir);
        sim.scenario.main("early.service", Behaviour.exits(0).after(ms(10)));
        Svc svc = Svc.of("/srv/d").restart(RestartPolicy.NO);
        svc.ready = Readiness.path("/run/d.ready");
        ServiceSupervisor s = sim.add("early.service", svc);
        sim.run(s::start);
        sim.advanceMs(10);
        assertEquals(Result.EXIT_CODE, s.snapshot().result());
        assertEquals("exited with status 0 before it was ready", s.snapshot().resultDetail());
        assertEquals(0, s.snapshot().exitCode());
    }

    @Test
    void anExecServiceWaitsForItsProgramAndAnExitBeforeItIsAnExecFailure() {
        Sim sim = new Sim(dir);
        sim.scenario.main("exec.service", Behaviour.runs().execAfter(ms(50)));
        ServiceSupervisor s = sim.add("exec.service", Svc.of("/srv/app").type(ServiceType.EXEC));
        sim.run(s::start);
        sim.advanceMs(49);
        assertEquals("starting/start", at(s.snapshot()));
        sim.advanceMs(1);
        assertEquals(List.of(50L), sim.entered("exec.service", SubState.RUNNING), "checked every ms");

        sim.scenario.main("badexec.service", Behaviour.exits(126).after(ms(10)).execAfter(Duration.ofHours(1)));
        ServiceSupervisor b = sim.add("badexec.service", Svc.of("/srv/app").type(ServiceType.EXEC).restart(RestartPolicy.NO));
        sim.run(b::start);
        sim.advanceMs(10);
        assertEquals(Result.EXEC, b.snapshot().result());
        assertEquals("Stage: executing command / Error: exited with status 126 before the program was executed (/srv/app;"
                + " the reason is in the unit's log)", b.snapshot().resultDetail());
    }

    @Test
    void aForkingServicesDaemonBecomesTheMainProcessFromItsPidFileOrAsTheOneLeft() {
        for (String pidFile : new String[] {"/run/d.pid", null}) {
            Sim sim = new Sim(dir);
            sim.scenario.main("d.service", Behaviour.forks(Behaviour.runs()).after(ms(100)));
            Svc svc = Svc.of("/srv/d").type(ServiceType.FORKING);
            svc.pidFile = pidFile;
            ServiceSupervisor s = sim.add("d.service", svc);
            sim.run(s::start);
            int parent = sim.os.spawned("d.service", SpawnRequest.Role.MAIN).get(0).pid();
            assertEquals(parent, s.snapshot().mainPid());
            sim.advanceMs(100);
            UnitSnapshot up = s.snapshot();
            assertEquals("active/running", at(up), "pid-file " + pidFile);
            assertEquals(List.of(100L), sim.entered("d.service", SubState.RUNNING));
            assertEquals(parent + 1, up.mainPid(), "the daemon");
            sim.run(s::stop);
            assertEquals("inactive/dead", at(s.snapshot()));
        }
    }

    @Test
    void aStartThatIsNeverReadyTimesOutAtTimeoutStartAndIsStopped() {
        Sim sim = new Sim(dir);
        Svc svc = Svc.of("/srv/d").restart(RestartPolicy.NO);
        svc.ready = Readiness.path("/run/never");
        svc.timeoutStart = s(90);
        ServiceSupervisor sup = sim.add("never.service", svc);
        sim.run(sup::start);
        sim.advance(s(89));
        assertEquals("starting/start", at(sup.snapshot()));
        sim.advance(s(1));
        UnitSnapshot f = sup.snapshot();
        assertEquals("failed/failed", at(f), "stopped at once: SIGTERM ends it");
        assertEquals(Result.TIMEOUT, f.result());
        assertEquals("timed out after 1min 30s in start", f.resultDetail());
        assertEquals(List.of(90_000L), sim.entered("never.service", SubState.FAILED));
        assertTrue(sup.pids().isEmpty());
    }

    @Test
    void aStopEscalatesFromTheStopSignalToSigkillAfterTimeoutStop() {
        Sim sim = new Sim(dir);
        Behaviour stubborn = Behaviour.runs().ignoring(Signals.SIGTERM);
        sim.scenario.main("stubborn.service", stubborn.withChild(stubborn).withChild(Behaviour.runs()));
        Svc svc = Svc.of("/srv/d");
        svc.timeoutStop = ms(300);
        ServiceSupervisor s = sim.add("stubborn.service", svc);
        sim.run(s::start);
        List<Integer> all = s.pids();
        assertEquals(3, all.size());
        sim.advanceMs(1000);
        sim.run(s::stop);
        assertEquals("stopping/stop-sigterm", at(s.snapshot()));
        assertEquals(2, s.pids().size(), "the child that does not ignore SIGTERM is gone");
        sim.advanceMs(299);
        assertEquals("stopping/stop-sigterm", at(s.snapshot()));
        sim.advanceMs(1);
        assertEquals(List.of(1000L), sim.entered("stubborn.service", SubState.STOP_SIGTERM));
        assertEquals(List.of(1300L), sim.entered("stubborn.service", SubState.STOP_SIGKILL));
        assertEquals(List.of(1300L), sim.entered("stubborn.service", SubState.DEAD));
        UnitSnapshot d = s.snapshot();
        assertEquals(Result.SUCCESS, d.result());
        assertEquals("killed with SIGKILL after timeout-stop", d.resultDetail());
        for (int p : all) assertTrue(!sim.os.alive(p), "process " + p + " gone");
        assertEquals(List.of(1300L), sim.os.signalled().stream().filter(x -> x.signal() == Signals.SIGKILL)
                .map(x -> x.nanos() / 1_000_000).distinct().toList());
    }

    @Test
    void processesThatSurviveSigkillForAnotherTimeoutStopFailTheServiceWithTheirPids() {
        Sim sim = new Sim(dir);
        sim.scenario.main("d.service", Behaviour.runs().ignoring(Signals.SIGTERM, Signals.SIGKILL));
        Svc svc = Svc.of("/srv/d");
        svc.timeoutStop = ms(300);
        ServiceSupervisor s = sim.add("d.service", svc);
        sim.run(s::start);
        int pid = s.snapshot().mainPid();
        sim.run(s::stop);
        sim.advanceMs(600);
        UnitSnapshot f = s.snapshot();
        assertEquals("failed/failed", at(f));
        assertEquals(Result.TIMEOUT, f.result());
        assertEquals("processes [" + pid + "] still there after SIGKILL and 300ms", f.resultDetail());
        assertEquals(List.of(600L), sim.entered("d.service", SubState.FAILED));
    }

    @Test
    void aGracefulStopEndsWhenTheLastProcessIsGone() {
        Sim sim = new Sim(dir);
        sim.scenario.main("g.service", Behaviour.runs().onSignal(Signals.SIGTERM, ms(250), 0));
        ServiceSupervisor s = sim.add("g.service", Svc.of("/srv/g"));
        sim.run(s::start);
        sim.run(s::stop);
        sim.advanceMs(1000);
        assertEquals(List.of(250L), sim.entered("g.service", SubState.DEAD));
        assertNull(s.snapshot().resultDetail(), "not killed");
    }

    @Test
    void execStopAndExecReloadGetMainPidAndAFailedReloadIsRecordedWhileTheServiceRuns() {
        Sim sim = new Sim(dir);
        sim.scenario.command("r.service", SpawnRequest.Role.RELOAD, Behaviour.exits(1).after(ms(5)));
        java.util.Map<SpawnRequest.Role, String> mainPidEnv = new java.util.HashMap<>();
        FakeProcessRuntime.Script scripted = sim.scenario;
        sim.os.setScript(sp -> {
            mainPidEnv.put(sp.role(), sp.env().get("MAINPID"));
            return scripted.behaviour(sp);
        });
        Svc svc = Svc.of("/srv/r");
        svc.reload = List.of("/bin/kill", "-HUP", "$MAINPID");
        svc.stopCmds.add(List.of("/bin/sh", "-c", "kill ${MAINPID}"));
        ServiceSupervisor s = sim.add("r.service", svc);
        sim.run(s::start);
        int main = s.snapshot().mainPid();
        sim.run(s::reload);
        assertEquals("active/reload", at(s.snapshot()));
        sim.advanceMs(5);
        assertEquals("active/running", at(s.snapshot()));
        assertEquals(Result.EXIT_CODE, s.failures().get(0).result());
        assertEquals("exec-reload exited with status 1", s.failures().get(0).detail());
        sim.run(s::stop);
        assertEquals(List.of("/bin/kill", "-HUP", Integer.toString(main)),
                sim.os.spawned("r.service", SpawnRequest.Role.RELOAD).get(0).argv());
        FakeProcessRuntime.Spawned stop = sim.os.spawned("r.service", SpawnRequest.Role.STOP).get(0);
        assertEquals(List.of("/bin/sh", "-c", "kill " + main), stop.argv());
        assertEquals(Integer.toString(main), mainPidEnv.get(SpawnRequest.Role.RELOAD), "$MAINPID in the environment too");
        assertEquals(Integer.toString(main), mainPidEnv.get(SpawnRequest.Role.STOP));
        assertNull(mainPidEnv.get(SpawnRequest.Role.MAIN));
        assertEquals(List.of("active/running", "active/reload", "active/running", "stopping/stop", "stopping/stop-sigterm",
                "inactive/dead"), sim.path("r.service").subList(2, 8));
    }

    @Test
    void aReadinessUrlThatIsNotHttpFailsTheStartBeforeAnythingRuns() {
        Sim sim = new Sim(dir);
        Svc svc = Svc.of("/srv/web");
        svc.ready = Readiness.http("ftp://127.0.0.1/");
        ServiceSupervisor s = sim.add("web.service", svc);
        sim.run(s::start);
        UnitSnapshot f = s.snapshot();
        assertEquals("failed/failed", at(f));
        assertEquals(Result.EXEC, f.result());
        assertEquals("Stage: waiting for readiness / Error: ready: http: ftp://127.0.0.1/ is not an absolute http:// or https:// URL",
                f.resultDetail());
        assertTrue(sim.os.spawned().isEmpty());
    }

    @Test
    void aStopDuringAStartInterruptsItAndAStartDuringAStopRunsAfterIt() {
        Sim sim = new Sim(dir);
        sim.scenario.command("q.service", SpawnRequest.Role.START_PRE, Behaviour.runs());
        sim.scenario.main("q.service", Behaviour.runs().onSignal(Signals.SIGTERM, ms(100), 0));
        Svc svc = Svc.of("/srv/q");
        svc.pre.add(List.of("/srv/slow-pre"));
        ServiceSupervisor s = sim.add("q.service", svc);
        sim.run(s::start);
        assertEquals("starting/start-pre", at(s.snapshot()));
        sim.run(s::stop);
        assertEquals("inactive/dead", at(s.snapshot()), "the pre command was stopped with the rest");
        sim.scenario.command("q.service", SpawnRequest.Role.START_PRE, Behaviour.exits(0));
        sim.run(s::start);
        assertEquals("active/running", at(s.snapshot()));
        sim.advanceMs(1000);
        sim.run(s::stop);
        sim.run(s::start); // queued: runs once the stop is over
        assertEquals("stopping/stop-sigterm", at(s.snapshot()));
        sim.advanceMs(100);
        assertEquals("active/running", at(s.snapshot()));
        assertEquals(List.of(1100L), sim.entered("q.service", SubState.DEAD).subList(1, 2));
    }
}
