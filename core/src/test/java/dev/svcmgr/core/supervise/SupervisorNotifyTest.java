package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.Behaviour;
import dev.svcmgr.core.sim.FakeNotify;
import dev.svcmgr.core.sim.Scenario;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.ServiceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.svcmgr.core.supervise.Sim.ms;
import static dev.svcmgr.core.supervise.Sim.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sd_notify, the watchdog and every readiness kind, on the fakes: exact times on the manual clock. */
class SupervisorNotifyTest {
    @TempDir
    Path dir;

    static String at(UnitSnapshot s) { return s.active().word() + "/" + s.sub().word(); }

    static Svc notifySvc() {
        Svc s = Svc.of("/srv/d").type(ServiceType.NOTIFY);
        s.ready = Readiness.notifyReady();
        return s;
    }

    @Test
    void aNotifyServiceIsStartingUntilReadyAndShowsItsStatusText() {
        Sim sim = new Sim(dir);
        sim.scenario.main("n.service", Behaviour.runs().notifies(ms(100), "STATUS=loading")
                .notifies(s(40), "READY=1\nSTATUS=serving 2 clients"));
        ServiceSupervisor sup = sim.add("n.service", notifySvc());
        sim.run(sup::start);
        sim.advanceMs(100);
        assertEquals("loading", sup.snapshot().statusText());
        assertEquals("starting/start", at(sup.snapshot()));
        sim.advance(s(40));
        UnitSnapshot up = sup.snapshot();
        assertEquals("active/running", at(up));
        assertEquals("serving 2 clients", up.statusText());
        assertEquals(List.of(40_000L), sim.entered("n.service", SubState.RUNNING));
        assertTrue(sim.seen.stream().filter(x -> x.snapshot().active().word().equals("active"))
                .noneMatch(x -> "loading".equals(x.snapshot().statusText())));
    }

    @Test
    void everyProcessGetsTheNotifySocketAndTheWatchdogPeriod() {
        Sim sim = new Sim(dir);
        Map<String, String>[] env = new Map[1];
        sim.os.setScript(sp -> {
            if (sp.role() == SpawnRequest.Role.MAIN) env[0] = sp.env();
            return Behaviour.runs().ready();
        });
        Svc svc = notifySvc();
        svc.watchdog = s(10);
        ServiceSupervisor sup = sim.add("w.service", svc);
        sim.run(sup::start);
        assertEquals(FakeNotify.PATH, env[0].get("NOTIFY_SOCKET"));
        assertEquals("10000000", env[0].get("WATCHDOG_USEC"));
    }

    @Test
    void aMessageFromAProcessOutsideTheServiceIsDropped() {
        Sim sim = new Sim(dir);
        sim.scenario.main("other.service", Behaviour.runs().ready().notifies(ms(10), "STATUS=forged"));
        ServiceSupervisor n = sim.add("n.service", notifySvc());
        ServiceSupervisor other = sim.add("other.service", new Svc());
        sim.run(n::start);
        sim.run(other::start);
        assertEquals(1, sim.os.notifyPort().dropped(), "other.service's READY=1: n.service does not own its sender");
        sim.advanceMs(10);
        assertEquals(2, sim.os.notifyPort().dropped());
        assertNull(n.snapshot().statusText());
        assertEquals("starting/start", at(n.snapshot()));
    }

    @Test
    void extendTimeoutUsecPushesTheStartTimeoutBack() {
        Sim sim = new Sim(dir);
        sim.scenario.main("slow.service", n -> n == 1
                ? Behaviour.runs().notifies(s(1), "EXTEND_TIMEOUT_USEC=5000000").readyAfter(ms(5900))
                : Behaviour.runs().notifies(s(1), "EXTEND_TIMEOUT_USEC=5000000"));
        Svc svc = notifySvc();
        svc.timeoutStart = s(2);
        svc.restart = RestartPolicy.NO;
        ServiceSupervisor sup = sim.add("slow.service", svc);
        sim.run(sup::start);
        sim.advance(s(10));
        assertEquals(List.of(5900L), sim.entered("slow.service", SubState.RUNNING), "not timed out at 2 s");
        sim.run(sup::stop);
        long t0 = sim.ms();
        sim.run(sup::start); // this time it is never ready: timed out 5 s after the extension, at 1 + 5 s
        sim.advance(s(10));
        assertEquals(List.of(t0 + 6000), sim.entered("slow.service", SubState.FAILED));
        assertEquals(Result.TIMEOUT, sup.snapshot().result());
        assertEquals("timed out after 2s in start", sup.snapshot().resultDetail());
    }

    @Test
    void mainPidMovesTheMainProcessToOneOfTheServicesProcesses() {
        Sim sim = new Sim(dir);
        // the main process is PID 1000, its child 1001; a PID that is not the service's is ignored
        sim.scenario.main("fork.service", Behaviour.runs().withChild(Behaviour.runs())
                .notifies(ms(5), "MAINPID=4242").notifies(ms(10), "MAINPID=1001\nREADY=1"));
        ServiceSupervisor sup = sim.add("fork.service", notifySvc());
        sim.run(sup::start);
        sim.advanceMs(5);
        assertEquals(1000, sup.snapshot().mainPid());
        sim.advanceMs(5);
        UnitSnapshot up = sup.snapshot();
        assertEquals("active/running", at(up));
        assertEquals(1001, up.mainPid());
        assertEquals(List.of(10L), sim.entered("fork.service", SubState.RUNNING));
        sim.run(() -> sim.os.kill(1001, Signals.SIGKILL));
        assertEquals(Result.SIGNAL, sup.snapshot().result(), "the exit of the new main process is the service's");
    }

    @Test
    void reloadingAndReadyBracketAReloadTheServiceDoesByItself() {
        Sim sim = new Sim(dir);
        sim.scenario.main("rl.service", Behaviour.runs().ready().notifies(s(5), "RELOADING=1").notifies(s(7), "READY=1"));
        ServiceSupervisor sup = sim.add("rl.service", notifySvc());
        sim.run(sup::start);
        sim.advance(s(10));
        assertEquals(List.of(5000L), sim.entered("rl.service", SubState.RELOAD));
        assertEquals(List.of(0L, 7000L), sim.entered("rl.service", SubState.RUNNING));
        assertTrue(sup.failures().isEmpty());
    }

    @Test
    void aReloadTheServiceAnnouncesIsBoundedByTimeoutStart() {
        Sim sim = new Sim(dir);
        sim.scenario.main("rl.service", Behaviour.runs().ready().notifies(s(5), "RELOADING=1"));
        Svc svc = notifySvc();
        svc.timeoutStart = s(3);
        ServiceSupervisor sup = sim.add("rl.service", svc);
        sim.run(sup::start);
        sim.advance(s(10));
        assertEquals(List.of(0L, 8000L), sim.entered("rl.service", SubState.RUNNING));
        assertEquals("exec-reload timed out", sup.failures().get(0).detail());
    }

    @Test
    void stoppingAnnouncesAStopThatTheServiceCarriesOutItselfWithoutASignal() {
        Sim sim = new Sim(dir);
        sim.scenario.main("st.service", Behaviour.exits(0).after(ms(1300)).ready().notifies(s(1), "STOPPING=1"));
        ServiceSupervisor sup = sim.add("st.service", notifySvc());
        sim.run(sup::start);
        sim.advance(s(5));
        assertEquals(List.of(1000L), sim.entered("st.service", SubState.STOP_SIGTERM));
        assertEquals(List.of(1300L), sim.entered("st.service", SubState.DEAD));
        assertEquals(Result.SUCCESS, sup.snapshot().result());
        assertTrue(sim.os.signalled().isEmpty(), "no signal sent");
    }

    @Test
    void aServiceThatAnnouncesItsStopButStaysIsKilledAfterTimeoutStop() {
        Sim sim = new Sim(dir);
        sim.scenario.main("st.service", Behaviour.runs().ready().notifies(s(1), "STOPPING=1"));
        Svc svc = notifySvc();
        svc.timeoutStop = s(2);
        ServiceSupervisor sup = sim.add("st.service", svc);
        sim.run(sup::start);
        sim.advance(s(5));
        assertEquals(List.of(3000L), sim.entered("st.service", SubState.STOP_SIGKILL));
        assertEquals(List.of(3000L), sim.entered("st.service", SubState.DEAD));
        // not a stop anyone asked for, and it had been ready: the result of the run stays success
        assertEquals(Result.SUCCESS, sup.snapshot().result());
        assertNull(sup.snapshot().resultDetail());
    }

    @Test
    void pingsWithinThePeriodKeepTheServiceRunning() {
        Sim sim = new Sim(dir);
        sim.scenario.main("wd.service", Behaviour.runs().ready().pingsWatchdog(ms(1900)));
        Svc svc = notifySvc();
        svc.watchdog = s(2);
        svc.restartDelay = s(30);
        ServiceSupervisor sup = sim.add("wd.service", svc);
        sim.run(sup::start);
        sim.advance(s(20));
        assertEquals(List.of(0L), sim.entered("wd.service", SubState.RUNNING), "kept alive by its pings");
        assertEquals("active/running", at(sup.snapshot()));
    }

    @Test
    void noPingWithinThePeriodIsAWatchdogFailureAtExactlyThePeriodAndTheRestartPolicyApplies() {
        Sim sim = new Sim(dir);
        sim.scenario.main("wd.service", n -> Behaviour.runs().ready());
        Svc svc = notifySvc();
        svc.watchdog = s(2);
        svc.restartDelay = s(30);
        ServiceSupervisor sup = sim.add("wd.service", svc);
        sim.run(sup::start);
        sim.advance(s(10));
        assertEquals(List.of(2000L), sim.entered("wd.service", SubState.AUTO_RESTART), "on-failure restarts after watchdog");
        UnitSnapshot f = sup.snapshot();
        assertEquals(Result.WATCHDOG, f.result());
        assertEquals("no WATCHDOG=1 within 2s", f.resultDetail());
        assertEquals(Result.WATCHDOG, sup.failures().get(0).result());
    }

    @Test
    void watchdogTriggerIsAFailureAtOnce() {
        Sim sim = new Sim(dir);
        sim.scenario.main("wd.service", Behaviour.runs().ready().notifies(ms(500), "WATCHDOG=trigger\nSTATUS=bye"));
        Svc svc = notifySvc();
        svc.watchdog = s(10);
        svc.restart = RestartPolicy.NO;
        ServiceSupervisor sup = sim.add("wd.service", svc);
        sim.run(sup::start);
        sim.advanceMs(500);
        assertEquals(List.of(500L), sim.entered("wd.service", SubState.FAILED));
        assertEquals("the service asked for its watchdog action (WATCHDOG=trigger)", sup.snapshot().resultDetail());
        assertEquals("bye", sup.snapshot().statusText());
    }

    /** When a unit whose main process is ready after 40 s is found ready, by readiness kind (the kind's poll schedule). */
    static final Map<String, Readiness> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("notify", Readiness.notifyReady());
        KINDS.put("path", Readiness.path("/run/db.ready"));
        KINDS.put("tcp", Readiness.tcp("127.0.0.1", 5432));
        KINDS.put("http", Readiness.http("http://127.0.0.1:8080/health"));
        KINDS.put("fd", Readiness.fd(3));
        KINDS.put("exec", Readiness.exec(List.of("/usr/bin/pg_isready")));
    }

    @Test
    void aSlowServiceIsReadyWhenItsProcessIsWhateverItsReadinessKind() {
        // path and tcp poll every 20 ms, exec 100 ms after each failed probe: 40 s exactly; fd backs off 1, 2, 4 ...
        // 250 ms (checks at 0, 1, 3, ... 255, 505, ...: 40.005 s); http 10 ms then half as long again up to 500 ms
        // (GETs at 0, 10, 25, 47, 80, 129, 202, 311, 474, 718, 1084, then every 500 ms: 40.084 s)
        Map<String, Long> expected = Map.of("notify", 40_000L, "path", 40_000L, "tcp", 40_000L, "exec", 40_000L,
                "fd", 40_005L, "http", 40_084L);
        for (var k : KINDS.entrySet()) {
            Sim sim = new Sim(dir);
            sim.scenario.slow("db.service", ServiceType.SIMPLE, s(40));
            Svc svc = Svc.of("/usr/bin/db");
            svc.ready = k.getValue();
            ServiceSupervisor sup = sim.add("db.service", svc);
            sim.run(sup::start);
            sim.advance(s(39));
            assertEquals("starting/start", at(sup.snapshot()), k.getKey());
            sim.advance(s(2));
            assertEquals(List.of(expected.get(k.getKey())), sim.entered("db.service", SubState.RUNNING), k.getKey());
        }
    }

    @Test
    void aServiceThatHangsTimesOutOnTheManualClockWhateverItsReadinessKind() {
        for (var k : KINDS.entrySet()) {
            Sim sim = new Sim(dir);
            sim.scenario.hangs("db.service", ServiceType.SIMPLE);
            Svc svc = Svc.of("/usr/bin/db").restart(RestartPolicy.NO);
            svc.ready = k.getValue();
            ServiceSupervisor sup = sim.add("db.service", svc);
            sim.run(sup::start);
            sim.advance(Duration.ofMinutes(5));
            assertEquals(List.of(90_000L), sim.entered("db.service", SubState.FAILED), k.getKey());
            assertEquals(Result.TIMEOUT, sup.snapshot().result(), k.getKey());
            assertEquals("timed out after 1min 30s in start", sup.snapshot().resultDetail(), k.getKey());
        }
    }

    @Test
    void aProbeStillRunningAtTheTimeoutIsNamedInTheDetail() {
        Sim sim = new Sim(dir);
        sim.scenario.command("db.service", SpawnRequest.Role.PROBE, Behaviour.runs());
        Svc svc = Svc.of("/usr/bin/db").restart(RestartPolicy.NO);
        svc.ready = KINDS.get("exec");
        ServiceSupervisor sup = sim.add("db.service", svc);
        sim.run(sup::start);
        sim.advance(Duration.ofMinutes(5));
        assertEquals("timed out after 1min 30s in start (readiness probe /usr/bin/pg_isready)", sup.snapshot().resultDetail());
        assertEquals(1, sim.os.spawned("db.service", SpawnRequest.Role.PROBE).size(), "one probe at a time");
    }

    @Test
    void aSlowOneshotOrForkingServiceIsReadyWhenItsFirstProcessExits() {
        for (ServiceType t : new ServiceType[] {ServiceType.ONESHOT, ServiceType.FORKING}) {
            Sim sim = new Sim(dir);
            sim.scenario.main("job.service", Scenario.readyAfter(t, s(40)));
            Svc svc = Svc.of("/srv/job").type(t);
            svc.remainAfterExit = true;
            ServiceSupervisor sup = sim.add("job.service", svc);
            sim.run(sup::start);
            sim.advance(s(41));
            assertEquals(List.of(40_000L), sim.entered("job.service", t == ServiceType.ONESHOT ? SubState.EXITED : SubState.RUNNING),
                    t.word());
        }
    }
}
