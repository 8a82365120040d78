package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real cgroups, real processes: limits hold, figures are read back, refusals are warnings. */
class ResourceLimitsTest {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    final String name = "svcmgr-rl-" + ProcessHandle.current().pid();
    ProcessRuntime rt;
    ResourceLimits limits;
    CgroupGroup group;
    final List<String> warnings = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        rt = ProcessRuntime.linux(name, true);
        ServiceGroup g = rt.group("x.service", null, warnings);
        assumeTrue(g instanceof CgroupGroup, "no writable cgroup v2 hierarchy here (skipped): " + rt.tracking());
        group = (CgroupGroup) g;
        limits = ResourceLimits.detect(name, group.cgroup().getParent());
    }

    @AfterEach
    void tearDown() {
        if (group != null) {
            group.killAll();
            await(group::isEmpty, 5000);
        }
        rt.close();
        if (limits != null) limits.close();
    }

    private ServiceGroup limited(ResourceLimits.Setup s) { return new CgroupGroup(group.cgroup(), s.joinDirs()); }

    private int spawn(ServiceGroup g, CompletableFuture<ExitStatus> done, String... argv) throws SpawnException {
        return rt.spawn(SpawnRequest.of(List.of(argv), ENV, g), (p, st) -> done.complete(st), new OutputListener() {
            @Override
            public void data(int stream, byte[] buf, int len) {
                synchronized (out) { out.write(buf, 0, len); }
            }

            @Override
            public void closed(int stream) { }
        });
    }

    private String text() {
        synchronized (out) { return out.toString(StandardCharsets.UTF_8); }
    }

    private static boolean await(BooleanSupplier c, long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) return true;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return c.getAsBoolean();
    }

    @Test
    void theStopSignalReachesEveryMemberAndTheGroupSaysWhich() throws Exception {
        CompletableFuture<ExitStatus> done = new CompletableFuture<>();
        int pid = spawn(group, done, "/bin/sh", "-c", "trap 'echo got-term; exit 0' TERM; echo ready; while :; do sleep 0.05; done");
        assertTrue(await(() -> text().contains("ready"), 10_000), text());
        assertFalse(group.reached(pid), "nothing signalled yet");
        group.signalThenContinue(Signals.SIGTERM);
        assertTrue(group.reached(pid), "the main process was a member when signalled: the supervisor does not signal it again");
        assertFalse(group.reached(1));
        assertTrue(await(() -> text().contains("got-term") && done.isDone(), 10_000), text());
    }

    @Test
    void aForkBombIsHeldAtThePidsLimit() throws Exception {
        ResourceLimits.Setup s = limits.setUp("x.service", group.cgroup(), null, null, 16L, warnings);
        assumeTrue(s.usage().tasks() != null, "no pids controller here (skipped): " + warnings);
        CompletableFuture<ExitStatus> done = new CompletableFuture<>();
        // forks sleepers until fork fails (the shell then stops with "Cannot fork"); bounded should the limit not hold
        spawn(limited(s), done, "/bin/sh", "-c",
                "n=0; while [ $n -lt 200 ]; do /bin/sleep 30 & n=$((n+1)); done; echo forked $n");
        ExitStatus st = done.get(10, TimeUnit.SECONDS);
        assertEquals(2, st.code(), "the shell gave up: " + st.describe() + " " + text());
        // the exit can be reaped before the output thread has read the shell's last line
        assertTrue(await(() -> text().contains("Cannot fork"), 10_000), text());
        long tasks = s.usage().tasks();
        assertTrue(tasks <= 16 && tasks >= 10, "tasks held at 16, saw " + tasks);
        assertTrue(group.pids().size() <= 16 && group.pids().size() >= 10, "processes " + group.pids());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void allocatingPastTheMemoryLimitIsOomKilledAndCounted() throws Exception {
        ResourceLimits.Setup s = limits.setUp("x.service", group.cgroup(), 32L << 20, null, null, warnings);
        assumeTrue(s.usage().memoryBytes() != null, "no memory controller here (skipped): " + warnings);
        assertTrue(warnings.isEmpty(), warnings.toString());
        long before = s.usage().oomKills();
        CompletableFuture<ExitStatus> done = new CompletableFuture<>();
        // tail keeps the last "line" of /dev/zero in memory: one line that only grows
        spawn(limited(s), done, "/bin/sh", "-c", "exec /usr/bin/tail /dev/zero");
        ExitStatus st = done.get(10, TimeUnit.SECONDS);
        assertTrue(!st.exited() && st.signal() == Signals.SIGKILL, "killed by SIGKILL: " + st.describe());
        assertTrue(await(() -> s.usage().oomKills() > before, 2000), "oom_kill counted: " + s.usage().oomKills());
    }

    @Test
    void aBusyLoopIsThrottledToItsCpuShare() throws Exception {
        ResourceLimits.Setup s = limits.setUp("x.service", group.cgroup(), null, 20, null, warnings);
        assumeTrue(warnings.isEmpty(), "no cpu controller here (skipped): " + warnings);
        CompletableFuture<ExitStatus> done = new CompletableFuture<>();
        int pid = spawn(limited(s), done, "/bin/sh", "-c", "while :; do :; done");
        assertTrue(await(() -> rt.execed(pid) && group.pids().contains(pid), 10000), "joined");
        long t0 = System.nanoTime();
        long c0 = cpuTicks(pid);
        assertTrue(!await(() -> false, 1500));
        double share = (cpuTicks(pid) - c0) / 100.0 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("busy loop at cpu 20%%: %.1f%% of one CPU%n", share * 100);
        assertTrue(share < 0.30, "throttled near 20%, measured " + share);
        assertTrue(share > 0.05, "still running, measured " + share);
    }

    @Test
    void withoutAnyControllerEveryLimitBecomesAnRlimitOrAWarning() {
        ResourceLimits none = new ResourceLimits(null, Set.of(), Map.of());
        List<String> w = new ArrayList<>();
        ResourceLimits.Setup s = none.setUp("y.service", null, 1L << 30, 50, 100L, w);
        assertEquals(List.of("--as=1073741824:1073741824"), s.prlimitArgs());
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("limits.memory applied as RLIMIT_AS"), w.get(0));
        assertTrue(w.get(1).startsWith("limits.cpu not applied"), w.get(1));
        assertTrue(w.get(2).startsWith("limits.pids not applied"), w.get(2));
        assertEquals(null, s.usage().memoryBytes());
        assertEquals(0, s.usage().oomKills());
    }

    /** utime + stime in clock ticks (USER_HZ 100). */
    private static long cpuTicks(int pid) throws Exception {
        String st = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
