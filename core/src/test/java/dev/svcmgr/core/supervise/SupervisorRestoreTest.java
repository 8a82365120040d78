package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.OutputListener;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.Behaviour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.svcmgr.core.supervise.Sim.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-adoption (Restore's rules) on the fakes: processes a former manager started are found in the
 * unit's group, as a cgroup outlives its manager, and the recorded state is resumed.
 */
class SupervisorRestoreTest {
    @TempDir
    Path dir;

    static final Instant SINCE = Instant.parse("2025-12-31T23:00:00Z");
    static final OutputListener DISCARD = new OutputListener() {
        @Override
        public void data(int stream, byte[] buf, int len) { }

        @Override
        public void closed(int stream) { }
    };

    /** A process a former manager started for {@code unit} (its exits went to that manager, now gone). */
    static int formerProcess(Sim sim, String unit, Behaviour b, SpawnRequest.Role role) throws Exception {
        sim.os.setScript(s -> b);
        ServiceGroup g = sim.os.group(unit, null, new ArrayList<>());
        int pid = sim.os.spawn(SpawnRequest.of(List.of("/srv/d"), Map.of(), g).withRole(role), (p, st) -> { }, DISCARD);
        sim.os.setScript(sim.scenario);
        return pid;
    }

    static ServiceRecords.Rec rec(String unit, String state, Integer main, long mainStart) {
        return new ServiceRecords.Rec(unit, state, "success", null, main, mainStart, null, SINCE, 3, 1, false, "serving",
                List.of(new Failure(SINCE, Result.EXIT_CODE, "exited with status 1")));
    }

    static String at(UnitSnapshot s) { return s.active().word() + "/" + s.sub().word(); }

    @Test
    void aRunningServiceWhoseMainProcessLivesIsRunningAgainAndWatched() throws Exception {
        Sim sim = new Sim(dir);
        int main = formerProcess(sim, "r.service", Behaviour.runs(), SpawnRequest.Role.MAIN);
        Svc svc = new Svc();
        svc.restartDelay = ms(100);
        ServiceSupervisor s = sim.add("r.service", svc);
        sim.run(() -> s.restore(rec("r.service", "RUNNING", main, sim.os.startTime(main))));
        assertTrue(sim.seen.isEmpty(), "nothing published: the record is what was seen");
        UnitSnapshot up = s.snapshot();
        assertEquals("active/running", at(up));
        assertEquals(main, up.mainPid());
        assertEquals(SINCE, up.since());
        assertEquals("serving", up.statusText());
        assertEquals(3, s.restarts());
        assertEquals(1, s.failures().size());
        sim.run(() -> sim.os.kill(main, Signals.SIGKILL));
        assertEquals(Result.SIGNAL, s.snapshot().result(), "its exit reaches the new supervisor");
        sim.advanceMs(1000);
        // the record's failure counts: the second in a row waits 100 ms x 2 from the adoption (its last start)
        assertEquals(List.of(0L, 200L), sim.spawnedAt("r.service", SpawnRequest.Role.MAIN));
    }

    @Test
    void aMainProcessThatEndedWhileNoManagerRanIsAFailureRestartedAtOnce() {
        Sim sim = new Sim(dir);
        Svc svc = new Svc();
        svc.restartDelay = ms(100);
        ServiceSupervisor s = sim.add("lost.service", svc);
        sim.run(() -> s.restore(rec("lost.service", "RUNNING", 31337, -1)));
        List<Failure> fs = s.failures();
        assertEquals(new Failure(Instant.parse("2026-01-01T00:00:00Z"), Result.EXIT_CODE, "exited while no manager ran"),
                fs.get(fs.size() - 1));
        assertEquals(List.of(0L), sim.spawnedAt("lost.service", SpawnRequest.Role.MAIN), "its last start is long past: no wait");
        assertEquals("active/running", at(s.snapshot()));
    }

    @Test
    void aServiceWaitingToRestartIsRestartedAndItsFailureCountedOnce() {
        Sim sim = new Sim(dir);
        Svc svc = new Svc();
        svc.restartDelay = ms(100);
        ServiceSupervisor s = sim.add("ar.service", svc);
        sim.run(() -> s.restore(rec("ar.service", "AUTO_RESTART", null, -1)));
        assertEquals(List.of(0L), sim.spawnedAt("ar.service", SpawnRequest.Role.MAIN));
        assertEquals(4, s.restarts());
        // the record's one failure and no new one: a crash now waits 100 ms x 2^(2-1)
        sim.run(() -> s.kill(Signals.SIGKILL));
        sim.advanceMs(1000);
        assertEquals(List.of(0L, 200L), sim.spawnedAt("ar.service", SpawnRequest.Role.MAIN));
    }

    @Test
    void aStopInProgressGoesOn() throws Exception {
        Sim sim = new Sim(dir);
        int main = formerProcess(sim, "st.service", Behaviour.runs().onSignal(Signals.SIGTERM, ms(50), 0), SpawnRequest.Role.MAIN);
        ServiceSupervisor s = sim.add("st.service", new Svc());
        sim.run(() -> s.restore(rec("st.service", "STOP_SIGTERM", main, sim.os.startTime(main))));
        assertEquals("stopping/stop-sigterm", at(s.snapshot()));
        sim.advanceMs(100);
        // it ends at 50 ms, reported to the former manager: the emptiness checks at 2, 6, 14, 30, 62 ms find it gone
        assertEquals(List.of(62L), sim.entered("st.service", SubState.DEAD));
        assertEquals(Result.SUCCESS, s.snapshot().result());
        assertFalse(sim.os.alive(main));
    }

    @Test
    void aStartInItsPreCommandsBeginsAgainAfterWhatIsLeftIsKilled() throws Exception {
        Sim sim = new Sim(dir);
        int pre = formerProcess(sim, "p.service", Behaviour.runs(), SpawnRequest.Role.START_PRE);
        Svc svc = new Svc();
        svc.pre.add(List.of("/srv/pre"));
        ServiceSupervisor s = sim.add("p.service", svc);
        sim.run(() -> s.restore(rec("p.service", "START_PRE", null, -1)));
        assertFalse(sim.os.alive(pre), "killed");
        assertEquals(List.of(0L, 0L), sim.spawnedAt("p.service", SpawnRequest.Role.START_PRE), "the former one, then again");
        assertEquals("active/running", at(s.snapshot()));
    }

    @Test
    void aRecordOfAServiceDownWhoseGroupHasProcessesIsOlderThanTheTruth() throws Exception {
        Sim sim = new Sim(dir);
        int main = formerProcess(sim, "late.service", Behaviour.runs(), SpawnRequest.Role.MAIN);
        ServiceSupervisor s = sim.add("late.service", new Svc());
        sim.run(() -> s.restore(rec("late.service", "DEAD", null, -1)));
        assertEquals("active/running", at(s.snapshot()), "the manager died right after a start it had not recorded");
        assertEquals(main, s.snapshot().mainPid());
    }

    @Test
    void aFailedServiceStaysFailed() {
        Sim sim = new Sim(dir);
        ServiceSupervisor s = sim.add("f.service", new Svc());
        ServiceRecords.Rec r = new ServiceRecords.Rec("f.service", "FAILED", "exit-code", "exited with status 1", null, -1, null,
                SINCE, 0, 1, false, null, List.of());
        sim.run(() -> s.restore(r));
        UnitSnapshot f = s.snapshot();
        assertEquals("failed/failed", at(f));
        assertEquals("exited with status 1", f.resultDetail());
        assertNull(f.mainPid());
        assertTrue(sim.os.spawned().isEmpty());
        sim.run(s::start);
        assertEquals("active/running", at(s.snapshot()), "a start works as usual");
    }
}
