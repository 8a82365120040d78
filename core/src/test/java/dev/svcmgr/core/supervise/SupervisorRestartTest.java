package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.Behaviour;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.StartLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.svcmgr.core.supervise.Sim.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restart policy, backoff and the start limit, on the fakes: exact times on the manual clock. */
class SupervisorRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartDelaysDoubleThenStartOverAfterHealthyUptime() {
        Sim sim = new Sim(dir);
        // starts 1-4 fail at once; start 5 stays up 400 ms (> restart-reset-after) then fails; 6-7 fail at once; then it runs
        sim.scenario.main("backoff.service", n -> n == 5 ? Behaviour.exits(1).after(ms(400)) : n >= 8 ? Behaviour.runs() : Behaviour.exits(1));
        Svc svc = new Svc();
        svc.restartDelay = ms(50);
        svc.restartMaxDelay = ms(1000);
        svc.restartResetAfter = ms(300);
        svc.startLimit = new StartLimit(100, Duration.ofSeconds(10));
        ServiceSupervisor s = sim.add("backoff.service", svc);
        sim.run(s::start);
        sim.advance(Duration.ofSeconds(10));
        // gaps 50, 100, 200, 400; run 5 was ready for 400 ms (>= 300) when it failed: the count starts over at 1,
        // whose 50 ms gap it had outlived: restarted at once; runs 6 and 7 are the 2nd and 3rd failures: 100, 200
        assertEquals(List.of(0L, 50L, 150L, 350L, 750L, 1150L, 1250L, 1450L), sim.entered("backoff.service", SubState.START_PRE));
        assertEquals(List.of(0L, 50L, 150L, 350L, 750L, 1150L, 1250L, 1450L), sim.spawnedAt("backoff.service", SpawnRequest.Role.MAIN));
        assertEquals("running", s.snapshot().sub().word());
        assertEquals(7, s.restarts());
    }

    @Test
    void theDelayIsCountedFromTheLastStartAndCappedAtTheMaximum() {
        Sim sim = new Sim(dir);
        sim.scenario.main("cap.service", Behaviour.exits(1).after(ms(30)));
        Svc svc = new Svc();
        svc.restartDelay = ms(100);
        svc.restartMaxDelay = ms(250);
        svc.startLimit = new StartLimit(0, Duration.ZERO);
        ServiceSupervisor s = sim.add("cap.service", svc);
        sim.run(s::start);
        sim.advanceMs(1500);
        // each run lasts 30 ms; the gap from start to start is 100, 200, then 250 (capped)
        assertEquals(List.of(0L, 100L, 300L, 550L, 800L, 1050L, 1300L), sim.spawnedAt("cap.service", SpawnRequest.Role.MAIN));
        // the failure is shown while it waits
        assertEquals(List.of(30L, 130L, 330L, 580L, 830L, 1080L, 1330L), sim.entered("cap.service", SubState.AUTO_RESTART));
        UnitSnapshot w = s.snapshot();
        assertEquals("starting/auto-restart", w.active().word() + "/" + w.sub().word());
        assertEquals(Result.EXIT_CODE, w.result());
        assertEquals("exited with status 1", w.resultDetail());
    }

    @Test
    void aCrashLoopEndsInFailedWithStartLimitUntilResetFailed() {
        Sim sim = new Sim(dir);
        sim.scenario.main("crash.service", Behaviour.exits(1));
        Svc svc = new Svc();
        svc.restartDelay = ms(5);
        svc.startLimit = new StartLimit(3, Duration.ofSeconds(30));
        ServiceSupervisor s = sim.add("crash.service", svc);
        sim.run(s::start);
        sim.advanceMs(1000);
        assertEquals(List.of(0L, 5L, 15L), sim.spawnedAt("crash.service", SpawnRequest.Role.MAIN));
        assertEquals(List.of(35L), sim.entered("crash.service", SubState.FAILED), "the fourth start, due at 35 ms, is refused");
        UnitSnapshot f = s.snapshot();
        assertEquals(Result.START_LIMIT, f.result());
        assertEquals("start-limit hit: more than 3 starts within 30s; use reset-failed to allow starts again", f.resultDetail());
        List<Failure> fs = s.failures();
        assertEquals(4, fs.size());
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(List.of(new Failure(t0, Result.EXIT_CODE, "exited with status 1"),
                new Failure(t0.plusMillis(5), Result.EXIT_CODE, "exited with status 1"),
                new Failure(t0.plusMillis(15), Result.EXIT_CODE, "exited with status 1"),
                new Failure(t0.plusMillis(35), Result.START_LIMIT, f.resultDetail())), fs);
        // refused until reset-failed, and the refusal is reported (unchanged) to the listener
        int before = sim.seen.size();
        sim.run(s::start);
        assertEquals(before + 1, sim.seen.size());
        assertEquals("failed", s.snapshot().active().word());
        sim.run(s::resetFailed);
        assertEquals("inactive/dead", s.snapshot().active().word() + "/" + s.snapshot().sub().word());
        sim.run(s::start);
        assertEquals(4, sim.spawnedAt("crash.service", SpawnRequest.Role.MAIN).size(), "a new run after reset-failed");
    }

    @Test
    void aManualStartClearsTheBackoffButTheStartLimitCountsEveryStart() {
        Sim sim = new Sim(dir);
        sim.scenario.main("m.service", n -> n <= 2 ? Behaviour.exits(1) : Behaviour.runs());
        Svc svc = new Svc();
        svc.restartDelay = ms(100);
        svc.restart = RestartPolicy.NO;
        svc.startLimit = new StartLimit(3, Duration.ofSeconds(10));
        ServiceSupervisor s = sim.add("m.service", svc);
        sim.run(s::start);
        assertEquals("failed", s.snapshot().active().word(), "restart: no");
        sim.run(s::start);
        sim.run(s::start);
        assertEquals("running", s.snapshot().sub().word());
        sim.run(s::stop);
        sim.run(s::start);
        assertEquals(Result.START_LIMIT, s.snapshot().result(), "a fourth start within 10 s");
    }

    @Test
    void eachPolicyRestartsWhatItShould() {
        record Case(RestartPolicy policy, Behaviour main, boolean restarts) {}
        List<Case> cases = List.of(
                new Case(RestartPolicy.NO, Behaviour.exits(1), false),
                new Case(RestartPolicy.ON_FAILURE, Behaviour.exits(0), false),
                new Case(RestartPolicy.ON_FAILURE, Behaviour.exits(1), true),
                new Case(RestartPolicy.ON_FAILURE, Behaviour.killedBy(Signals.SIGTERM), false), // a clean signal
                new Case(RestartPolicy.ON_ABNORMAL, Behaviour.exits(1), false),
                new Case(RestartPolicy.ON_ABNORMAL, Behaviour.killedBy(11), true),
                new Case(RestartPolicy.ON_ABNORMAL, Behaviour.oomKilled(), true),
                new Case(RestartPolicy.ALWAYS, Behaviour.exits(0), true),
                new Case(RestartPolicy.ALWAYS, Behaviour.missingProgram("/x"), false));
        int i = 0;
        for (Case c : cases) {
            String unit = "p" + i++ + ".service";
            Sim sim = new Sim(dir);
            sim.scenario.main(unit, c.main());
            Svc svc = new Svc();
            svc.restart = c.policy();
            ServiceSupervisor s = sim.add(unit, svc);
            sim.run(s::start);
            sim.advanceMs(150); // restart-delay 100 ms
            assertEquals(c.restarts() ? List.of(0L, 100L) : List.of(0L), sim.entered(unit, SubState.START_PRE), c.toString());
        }
    }

    @Test
    void aKilledServiceIsRestartedAndAStopWhileItWaitsCancelsTheRestart() {
        Sim sim = new Sim(dir);
        Svc svc = new Svc();
        svc.restartDelay = ms(300);
        ServiceSupervisor s = sim.add("kill.service", svc);
        sim.run(s::start);
        int first = s.snapshot().mainPid();
        sim.run(() -> s.kill(Signals.SIGKILL));
        UnitSnapshot ar = s.snapshot();
        assertEquals("auto-restart", ar.sub().word());
        assertEquals(Result.SIGNAL, ar.result());
        assertEquals("killed by signal SIGKILL", ar.resultDetail());
        sim.advanceMs(299);
        sim.run(s::stop);
        assertEquals("inactive/dead", s.snapshot().active().word() + "/" + s.snapshot().sub().word());
        sim.advanceMs(1000);
        assertEquals(1, sim.os.spawned("kill.service", SpawnRequest.Role.MAIN).size(), "the restart was canceled");
        sim.run(s::start);
        int second = s.snapshot().mainPid();
        assertNotEquals(first, second);
        sim.run(s::restart);
        assertEquals("running", s.snapshot().sub().word());
        assertTrue(s.snapshot().mainPid() > second, "restarted: a new main process");
        // stop-signal and SIGCONT to the group, then stop-signal to the main process itself (it may not have joined its cgroup yet)
        assertEquals(List.of(Signals.SIGTERM, Signals.SIGCONT, Signals.SIGTERM), sim.os.signalled().stream()
                .filter(x -> x.pid() == second).map(x -> x.signal()).toList());
    }

    @Test
    void anExecFailureIsNeverRetriedWhateverThePolicy() {
        Sim sim = new Sim(dir);
        sim.scenario.main("x.service", Behaviour.missingProgram("/usr/bin/x"));
        Svc svc = Svc.of("/usr/bin/x");
        svc.restart = RestartPolicy.ALWAYS;
        ServiceSupervisor s = sim.add("x.service", svc);
        sim.run(s::start);
        sim.advance(Duration.ofMinutes(1));
        UnitSnapshot f = s.snapshot();
        assertEquals("failed", f.active().word());
        assertEquals(Result.EXEC, f.result());
        assertEquals("Stage: executing command / Error: No such file or directory (/usr/bin/x)", f.resultDetail());
        assertEquals(List.of("starting/start-pre", "starting/start", "failed/failed"), sim.path("x.service"));
    }

    @Test
    void anOomKillIsItsOwnResultAndNamesTheLimit() {
        Sim sim = new Sim(dir);
        sim.scenario.main("oom.service", Behaviour.oomKilled().after(ms(20)));
        Svc svc = new Svc();
        svc.restart = RestartPolicy.NO;
        svc.limits = new dev.svcmgr.units.Limits(32L << 20, null, null, null, null);
        ServiceSupervisor s = sim.add("oom.service", svc);
        sim.run(s::start);
        sim.advanceMs(20);
        assertEquals(Result.OOM_KILL, s.snapshot().result());
        assertEquals("killed by signal SIGKILL by the OOM killer (limits.memory 33554432 bytes)", s.snapshot().resultDetail());
    }
}
