package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ProcessRuntime} must do, as the supervisors rely on it (STYLE habit 9): run
 * against the Linux adapter with real processes and against the simulated runtime, whose script
 * gives each of the commands below the behaviour the real command has. Both must pass the same
 * assertions.
 */
public abstract class ProcessRuntimeContract {
    public static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    /** Exits with status 3 at once. */
    public static final List<String> EXIT_3 = List.of("/bin/sh", "-c", "exit 3");
    /** Exits with status 0 at once. */
    public static final List<String> EXIT_0 = List.of("/bin/sh", "-c", "exit 0");
    /** Runs until a signal ends it. */
    public static final List<String> SLEEP = List.of("/bin/sleep", "1000");
    /** Runs until SIGKILL: ignores SIGTERM. */
    public static final List<String> STUBBORN = List.of("/bin/sh", "-c", "trap '' TERM; exec sleep 1000");
    /** Kills itself with SIGUSR1. */
    public static final List<String> SELF_USR1 = List.of("/bin/sh", "-c", "kill -USR1 $$");
    /** A program that does not exist. */
    public static final List<String> MISSING = List.of("/nonexistent/prog");

    static final int SIGUSR1 = 10;
    static final OutputListener DISCARD = new OutputListener() {
        @Override
        public void data(int stream, byte[] buf, int len) { }

        @Override
        public void closed(int stream) { }
    };

    /** Exit statuses reported so far, by PID. */
    protected final Map<Integer, ExitStatus> exits = new ConcurrentHashMap<>();

    /** The runtime under test (the same one for every test of a class is fine). */
    protected abstract ProcessRuntime os();

    /** Waits until {@code c} holds: with a deadline on the wall clock, or by running the manual loop. */
    protected abstract void await(BooleanSupplier c, String what);

    /** Waits until {@code pid} runs its program with its signal dispositions set (real processes need a moment). */
    protected void settled(int pid) { }

    /** A fresh group for unit {@code name}. */
    protected ServiceGroup group(String name) { return os().group(name, null, new ArrayList<>()); }

    protected int spawn(List<String> argv, ServiceGroup g) throws SpawnException {
        return os().spawn(SpawnRequest.of(argv, ENV, g), exits::put, DISCARD);
    }

    protected ExitStatus exitOf(int pid) {
        await(() -> exits.containsKey(pid), "the exit of " + pid);
        return exits.get(pid);
    }

    @Test
    void aProcessThatExitsIsReportedWithItsStatus() throws Exception {
        int pid = spawn(EXIT_3, null);
        assertTrue(pid > 0);
        ExitStatus st = exitOf(pid);
        assertTrue(st.exited());
        assertEquals(3, st.code());
        assertEquals("exited with status 3", st.describe());
        assertFalse(os().alive(pid));
    }

    @Test
    void aSignalReachesTheProcessAndIsItsExitStatus() throws Exception {
        int pid = spawn(SLEEP, null);
        settled(pid);
        assertTrue(os().alive(pid));
        assertTrue(os().kill(pid, 0), "signal 0 finds a live process");
        assertTrue(os().kill(pid, Signals.SIGTERM));
        ExitStatus st = exitOf(pid);
        assertFalse(st.exited());
        assertEquals(Signals.SIGTERM, st.signal());
        assertEquals("killed by signal SIGTERM", st.describe());
        assertFalse(os().alive(pid));
    }

    @Test
    void aProcessKilledByItsOwnSignalReportsIt() throws Exception {
        int pid = spawn(SELF_USR1, null);
        ExitStatus st = exitOf(pid);
        assertEquals(SIGUSR1, st.signal());
        assertEquals("killed by signal SIGUSR1", st.describe());
    }

    @Test
    void anIgnoredSignalLeavesTheProcessAndSigkillEndsItAnyway() throws Exception {
        int pid = spawn(STUBBORN, null);
        settled(pid);
        assertTrue(os().kill(pid, Signals.SIGTERM), "delivered (and ignored)");
        assertTrue(os().kill(pid, Signals.SIGKILL));
        ExitStatus st = exitOf(pid);
        assertEquals(Signals.SIGKILL, st.signal(), "ended by SIGKILL, not by the ignored SIGTERM");
    }

    @Test
    void aGroupHoldsItsProcessesUntilTheyEnded() throws Exception {
        ServiceGroup g = group("contract-a.service");
        assertTrue(g.isEmpty());
        int a = spawn(SLEEP, g);
        int b = spawn(SLEEP, g);
        settled(a);
        settled(b);
        List<Integer> both = a < b ? List.of(a, b) : List.of(b, a);
        await(() -> g.pids().equals(both), "both processes in the group, sorted");
        assertFalse(g.isEmpty());
        g.signal(Signals.SIGTERM);
        assertEquals(Signals.SIGTERM, exitOf(a).signal());
        assertEquals(Signals.SIGTERM, exitOf(b).signal());
        await(g::isEmpty, "the group is empty once both ended");
        // the process-tree fallback lists from a /proc walk shared for up to 20 ms: the list follows soon
        await(() -> g.pids().isEmpty(), "no process listed");
        g.release();
    }

    @Test
    void killAllEndsEveryProcessOfTheGroupEvenOneIgnoringSigterm() throws Exception {
        ServiceGroup g = group("contract-b.service");
        int a = spawn(STUBBORN, g);
        int b = spawn(SLEEP, g);
        settled(a);
        settled(b);
        await(() -> g.pids().size() == 2, "both in the group");
        g.killAll();
        assertEquals(Signals.SIGKILL, exitOf(a).signal());
        assertEquals(Signals.SIGKILL, exitOf(b).signal());
        await(g::isEmpty, "empty after killAll");
        assertEquals(0, g.usage().oomKills(), "no OOM kill counted");
        g.release();
    }

    @Test
    void theGroupsFiguresCountItsRunningProcess() throws Exception {
        ServiceGroup g = group("contract-d.service");
        int a = spawn(SLEEP, g);
        settled(a);
        await(() -> g.pids().contains(a), "the process in the group");
        ResourceUsage.Sample s = g.usage().sample(g.pids());
        assertTrue(s.tasks() >= 1, "at least its one task: " + s);
        assertTrue(s.memoryBytes() != null, "a memory figure, from the group or the process: " + s);
        g.killAll();
        await(g::isEmpty, "empty after killAll");
        g.release();
    }

    @Test
    void aSpawnThatFailsNamesItsStageAndTheOsErrorAndLeavesNothing() {
        ServiceGroup g = group("contract-c.service");
        SpawnException e = assertThrows(SpawnException.class, () -> spawn(MISSING, g));
        assertEquals("executing command", e.stage());
        assertEquals("No such file or directory", e.error());
        assertEquals("Stage: executing command / Error: No such file or directory (/nonexistent/prog)", e.detail());
        assertTrue(g.isEmpty(), "nothing left in the group once the spawn has failed");
        // a real spawn may start a child that reports the failed exec and then ends: the group must be
        // empty as soon as spawn returns, every time (it once was not, for an instant)
        for (int i = 0; i < 30; i++) {
            assertThrows(SpawnException.class, () -> spawn(MISSING, g));
            assertTrue(g.isEmpty(), "nothing left in the group after failed spawn " + (i + 2));
        }
        assertTrue(exits.isEmpty(), "no exit reported for a process that never ran");
        g.release();
    }

    @Test
    void aPidThatEndedIsNeitherAliveNorSignallableNorWatchable() throws Exception {
        int pid = spawn(EXIT_0, null);
        assertEquals(0, exitOf(pid).code());
        assertFalse(os().alive(pid));
        assertFalse(os().kill(pid, 0));
        assertFalse(os().kill(pid, Signals.SIGTERM));
        assertFalse(os().watch(pid, (p, s) -> { }));
        assertEquals(-1, os().startTime(pid));
    }

    @Test
    void watchHandsTheExitOfALiveProcessToTheNewListener() throws Exception {
        int pid = spawn(SLEEP, null);
        settled(pid);
        Map<Integer, ExitStatus> watched = new ConcurrentHashMap<>();
        assertTrue(os().watch(pid, watched::put));
        long start = os().startTime(pid);
        assertTrue(start >= 0, "a live process has a start time");
        assertEquals(start, os().startTime(pid), "the same process, the same start time");
        assertTrue(os().kill(pid, Signals.SIGTERM));
        await(() -> watched.containsKey(pid), "the watcher told");
        assertEquals(Signals.SIGTERM, watched.get(pid).signal());
        assertNull(exits.get(pid), "the exit goes to the newest listener only");
    }

    @Test
    void aSpawnedProgramCountsAsExecutedOnceItRuns() throws Exception {
        ServiceGroup g = group("contract-d.service");
        int pid = spawn(SLEEP, g);
        await(() -> os().execed(pid), "the program runs");
        assertTrue(os().kill(pid, Signals.SIGKILL));
        exitOf(pid);
        await(g::isEmpty, "empty");
        g.release();
    }
}
