package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessRuntimeTest {
    static ProcessRuntime os;
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    static final OutputListener DISCARD = new OutputListener() {
        public void data(int stream, byte[] buf, int len) { }
        public void closed(int stream) { }
    };

    @BeforeAll
    static void up() { os = ProcessRuntime.linux("svcmgr-ostest-" + ProcessHandle.current().pid(), true); }

    @AfterAll
    static void down() { os.close(); }

    static List<String> fds(int pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String status(int pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key + ":")) return l.substring(key.length() + 1).strip();
        }
        return null;
    }

    static void poll(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) return;
            Thread.sleep(2);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void aSpawnedProcessHoldsOnlyStdinStdoutAndStderrWithCleanSignalState() throws Exception {
        for (boolean inGroup : new boolean[] {false, true}) {
            List<String> warn = new ArrayList<>();
            ServiceGroup g = inGroup ? os.group("fd.service", null, warn) : null;
            BlockingQueue<ExitStatus> exits = new ArrayBlockingQueue<>(1);
            int pid = os.spawn(SpawnRequest.of(List.of("sleep", "1000"), ENV, g), (p, st) -> exits.add(st), DISCARD);
            // the prologue (group case) execs sleep in the same PID: wait for the exec
            poll(() -> {
                try {
                    return Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("sleep");
                } catch (IOException e) {
                    return false;
                }
            }, "exec of sleep");
            // sleep's own start-up may hold a descriptor for a moment (locale files); an inherited one would stay
            try {
                poll(() -> {
                    try {
                        return fds(pid).equals(List.of("0", "1", "2"));
                    } catch (IOException e) {
                        return false;
                    }
                }, "only descriptors 0, 1 and 2");
            } catch (AssertionError timedOut) {
                assertEquals(List.of("0", "1", "2"), fds(pid), "descriptors of the service (in group: " + inGroup + ")");
            }
            assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString());
            assertTrue(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1")).toString().startsWith("pipe:"));
            assertEquals("0000000000000000", status(pid, "SigBlk"));
            assertEquals("0000000000000000", status(pid, "SigIgn"));
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            assertEquals(Integer.toString(pid), stat[3], "own session");
            if (inGroup) assertEquals(List.of(pid), g.pids());
            assertTrue(os.kill(pid, Signals.SIGKILL));
            ExitStatus st = exits.poll(10, TimeUnit.SECONDS);
            assertNotNull(st);
            assertEquals(Signals.SIGKILL, st.signal());
            if (g != null) {
                poll(g::isEmpty, "empty cgroup");
                g.release();
            }
        }
    }

    @Test
    @DisplayName("a group made again over one still holding a process kills that leftover; a directory made now is 0755")
    void aGroupMadeAgainKillsTheLeftoversOfTheRunBefore() throws Exception {
        List<String> warn = new ArrayList<>();
        ServiceGroup first = os.group("leftover.service", null, warn);
        Assumptions.assumeTrue(first instanceof CgroupGroup, "no writable cgroup here: " + warn);
        BlockingQueue<ExitStatus> exits = new ArrayBlockingQueue<>(1);
        int pid = os.spawn(SpawnRequest.of(List.of("sleep", "1000"), ENV, first), (p, st) -> exits.add(st), DISCARD);
        poll(() -> first.pids().contains(pid), "the process in its group");
        // the manager lost track of it (a crash before it could re-adopt): the next start's group finds it there
        ServiceGroup again = os.group("leftover.service", null, warn);
        ExitStatus st = exits.poll(10, TimeUnit.SECONDS);
        assertNotNull(st, "the leftover was killed");
        assertEquals(Signals.SIGKILL, st.signal());
        poll(again::isEmpty, "an empty group");
        again.release();
        Path made = Files.createTempDirectory("svcmgr-cg").resolve("x.service");
        assertTrue(LinuxProcessRuntime.makeCgroupDir(made), "made now");
        assertFalse(LinuxProcessRuntime.makeCgroupDir(made), "there already");
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        Files.delete(made);
        Files.delete(made.getParent());
    }

    @Test
    void aMissingProgramFailsAtTheExecStageWithTheOsError() {
        SpawnException e = assertThrows(SpawnException.class,
                () -> os.spawn(SpawnRequest.of(List.of("/nonexistent/prog"), ENV, null), (p, s) -> { }, DISCARD));
        assertEquals("No such file or directory", e.error());
        assertEquals("Stage: executing command / Error: No such file or directory (/nonexistent/prog)", e.detail());
        SpawnException e2 = assertThrows(SpawnException.class,
                () -> os.spawn(SpawnRequest.of(List.of("no-such-program-xyz"), ENV, null), (p, s) -> { }, DISCARD));
        assertEquals("No such file or directory", e2.error());
    }

    @Test
    void aNonExecutableFileFailsWithPermissionDenied() throws Exception {
        Path f = Files.createTempFile("svcmgr-noexec", ".sh");
        Files.writeString(f, "#!/bin/sh\nexit 0\n");
        SpawnException e = assertThrows(SpawnException.class,
                () -> os.spawn(SpawnRequest.of(List.of(f.toString()), ENV, null), (p, s) -> { }, DISCARD));
        assertEquals("Permission denied", e.error());
        assertEquals("Stage: executing command / Error: Permission denied (" + f + ")", e.detail());
        Files.delete(f);
        Path d = Files.createTempDirectory("svcmgr-dir");
        SpawnException e2 = assertThrows(SpawnException.class,
                () -> os.spawn(SpawnRequest.of(List.of(d.toString()), ENV, null), (p, s) -> { }, DISCARD));
        assertEquals("Stage: executing command / Error: Permission denied (" + d + ")", e2.detail(), "a directory");
        Files.delete(d);
    }

    @Test
    void orphansOfServicesAreReapedSoNoZombieIsLeft() throws Exception {
        BlockingQueue<ExitStatus> exits = new ArrayBlockingQueue<>(1);
        // the shell starts two background children and exits at once: they become the manager's (subreaper) children
        int pid = os.spawn(SpawnRequest.of(List.of("sh", "-c", "sleep 60 & sleep 60 & exit 0"), ENV, null),
                (p, st) -> exits.add(st), DISCARD);
        assertEquals(0, exits.poll(10, TimeUnit.SECONDS).code());
        int self = (int) ProcessHandle.current().pid();
        java.util.function.Supplier<List<Integer>> find = () -> ProcTable.read().stream()
                .filter(p -> p.ppid() == self && p.session() == pid && readComm(p.pid()).equals("sleep"))
                .map(ProcTable.Proc::pid).toList();
        poll(() -> find.get().size() == 2, "both sleeps re-parented to the manager (child subreaper)");
        List<Integer> orphans = find.get();
        for (int o : orphans) os.kill(o, Signals.SIGTERM); // they end while the test looks, however slow the host
        poll(() -> orphans.stream().allMatch(o -> !Files.exists(Path.of("/proc/" + o))), "orphans reaped, not zombies");
    }

    private static String readComm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aHelperCommandRunsToCompletionWithItsStatusAndOutput() throws Exception {
        Commands.Result r = Commands.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), ENV, java.time.Duration.ofSeconds(10));
        assertEquals(3, r.status().code());
        assertTrue(r.output().contains("out\n") && r.output().contains("err\n"), r.output());
        Commands.Result slow = Commands.run(List.of("sleep", "100"), ENV, java.time.Duration.ofMillis(100));
        assertEquals(null, slow.status());
        assertTrue(Commands.run(List.of("true"), ENV, java.time.Duration.ofSeconds(10)).ok());
    }

    @Test
    void signalNamesAndNumbersRoundTrip() {
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals(12, Signals.parse("SIGUSR2"));
        assertEquals(12, Signals.parse("USR2"));
        assertEquals(12, Signals.parse("12"));
        assertEquals(-1, Signals.parse("NOPE"));
        assertEquals("killed by signal SIGKILL", ExitStatus.decode(9).describe());
        assertEquals("exited with status 3", ExitStatus.decode(3 << 8).describe());
    }
}
