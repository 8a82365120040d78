package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The manager never loses a service (cli.md "The daemon"): signals, daemon-reexec, a manager
 * killed with SIGKILL and started again, services that exit while no manager runs, logs that
 * cannot be written, a manager short of descriptors, PID 1. Real daemon, real processes, real
 * signals; every case checks that no service was lost, no zombie is left and no descriptor leaked.
 */
class FaultTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness d;

    private DaemonHarness harness() throws Exception {
        d = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-fault-"));
        return d;
    }

    @AfterEach
    void stop() throws Exception {
        if (d != null) d.close();
    }

    @Test
    @DisplayName("a stdout nobody reads never stalls the daemon: 200 services start and stop with their progress lines past a full pipe")
    void aStdoutNobodyReadsNeverStallsTheDaemon() throws Exception {
        DaemonHarness h = harness();
        String desc = "a service with a long description, so that its progress lines fill a pipe soon ".repeat(5);
        StringBuilder wants = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            h.unit("s" + i + ".service.yaml", "description: " + desc + "\nexec: [\"sleep\", \"1000\"]\n");
            wants.append(i == 0 ? "" : ", ").append("s").append(i).append(".service");
        }
        h.unit("all.target.yaml", "wants: [" + wants + "]\n");
        h.stdoutUnread = true; // the pipe holds 64 KiB; 200 'Started' lines of ~450 bytes are ~90 KB
        h.start("--no-boot");
        // bounded: a daemon stalled on its stdout would never answer
        DaemonHarness.Cli up = java.util.concurrent.CompletableFuture.supplyAsync(() -> h.cli("start", "all.target"))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, up.code(), up + DaemonHarness.read(h.stderr));
        assertEquals("active\n", h.cli("is-active", "s199").out());
        DaemonHarness.Cli down = h.cli("stop", "all.target", "s0", "s1", "s2");
        assertEquals(0, down.code(), down + DaemonHarness.read(h.stderr));
        assertEquals("inactive\n", h.cli("is-active", "s0").out());
        assertEquals("running\n", h.cli("is-system-running").out(), "the loop still answers");
    }

    // ---------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(DaemonHarness h, String unit) {
        DaemonHarness.Cli c = h.cli("status", unit, "--json");
        return c.out().isBlank() ? Map.of() : (Map<String, Object>) Json.parse(c.out());
    }

    private static long mainPid(DaemonHarness h, String unit) {
        Object p = status(h, unit).get("main-pid");
        return p instanceof Number n ? n.longValue() : -1;
    }

    private static Map<String, Long> mainPids(DaemonHarness h, String... units) {
        Map<String, Long> m = new HashMap<>();
        for (String u : units) m.put(u, mainPid(h, u));
        return m;
    }

    private static long fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    private static long threads(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Threads:")) return Long.parseLong(l.substring(8).trim());
        }
        return -1;
    }

    private static List<String> zombiesOf(long ppid) { return DaemonHarness.zombiesOf(ppid); }

    private static boolean alive(long pid) { return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); }

    private static void kill(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    /** The numbers a counter service logged, in order. */
    private static List<Integer> numbers(DaemonHarness h, String unit) throws IOException {
        List<Integer> out = new ArrayList<>();
        Path f = h.logs.resolve(unit + ".log");
        if (!Files.exists(f)) return out;
        for (String l : Files.readAllLines(f)) {
            int i = l.indexOf(" stdout n ");
            if (i > 0) out.add(Integer.parseInt(l.substring(i + 10).trim()));
        }
        return out;
    }

    /** Waits until the counter has logged {@code more} lines beyond those logged now. */
    private static void awaitMoreNumbers(DaemonHarness h, String what, int more) throws Exception {
        int seen = numbers(h, "counter.service").size();
        DaemonHarness.await(what, T, () -> {
            try {
                return numbers(h, "counter.service").size() >= seen + more;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void assertConsecutive(List<Integer> n) {
        assertFalse(n.isEmpty(), "no numbered line logged");
        for (int i = 1; i < n.size(); i++) {
            assertEquals(n.get(i - 1) + 1, n.get(i), "line " + (n.get(i - 1) + 1) + " missing or out of order near index " + i);
        }
    }

    /** A service that logs "n 1", "n 2", ... every 50 ms. */
    private static final String COUNTER = "description: numbered lines\n"
            + "exec: [/bin/sh, -c, 'i=0; while true; do i=$((i+1)); echo \"n $i\"; sleep 0.05; done']\n"
            + "restart: always\n";

    private static final String SLEEPER = "exec: [/bin/sleep, '2147483647']\nrestart: on-failure\n";

    private DaemonHarness threeServices() throws Exception {
        DaemonHarness h = harness();
        h.unit("counter.service.yaml", COUNTER);
        h.unit("a.service.yaml", SLEEPER);
        h.unit("b.service.yaml", "type: notify\nexec: [/usr/bin/python3, -c, \"import os,socket,time\\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\\ns.connect(os.environ['NOTIFY_SOCKET'])\\n"
                + "s.send(b'READY=1\\\\nSTATUS=serving')\\ntime.sleep(100000)\"]\nrestart: on-failure\n");
        h.unit("multi-user.target.yaml", "wants: [counter.service, a.service, b.service]\n");
        return h;
    }

    private static void awaitNoZombies(long ppid) throws InterruptedException {
        DaemonHarness.await("no zombie under " + ppid, T, () -> zombiesOf(ppid).isEmpty());
    }

    private static void awaitFdsBackTo(long pid, long baseline) throws InterruptedException {
        DaemonHarness.await("the manager's descriptors back to " + baseline, T, () -> {
            try {
                return fds(pid) <= baseline;
            } catch (IOException e) {
                return false;
            }
        });
    }

    // ---------------------------------------------------------------- signals

    @Test
    @DisplayName("HUP reloads the unit files; USR1, USR2, PIPE, ALRM and other asynchronous signals leave the daemon and its services running")
    void signalsNeverEndTheDaemon() throws Exception {
        DaemonHarness h = threeServices();
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        long daemon = h.process().pid();
        Map<String, Long> before = mainPids(h, "counter.service", "a.service", "b.service");
        long fdsBefore = fds(daemon);
        long threadsBefore = threads(daemon);
        h.unit("late.service.yaml", "description: added before the HUP\nexec: [/bin/sleep, '1000']\n");
        kill("HUP", daemon);
        DaemonHarness.await("late.service loaded by the SIGHUP", T,
                () -> "loaded".equals(status(h, "late.service").get("load")));
        for (String sig : List.of("USR1", "USR2", "PIPE", "ALRM", "VTALRM", "XCPU", "XFSZ", "TTIN", "TTOU", "PROF", "QUIT",
                "USR2", "USR2", "HUP")) {
            kill(sig, daemon);
            assertEquals(0, h.cli("is-active", "a.service").code(), "after SIG" + sig + ": " + DaemonHarness.read(h.stderr));
            assertTrue(h.process().isAlive(), "the daemon ended on SIG" + sig + ": " + DaemonHarness.read(h.stderr));
        }
        assertEquals(before, mainPids(h, "counter.service", "a.service", "b.service"), "no service restarted");
        assertTrue(DaemonHarness.read(h.stderr).contains("SIGUSR2 received and ignored"), DaemonHarness.read(h.stderr));
        try (var s = Files.list(h.base)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "no JVM crash file");
        }
        assertTrue(Files.list(Path.of(".")).noneMatch(p -> p.getFileName().toString().startsWith("hs_err_pid" + daemon)));
        awaitNoZombies(daemon);
        awaitFdsBackTo(daemon, fdsBefore);
        DaemonHarness.await("signal threads gone", T, () -> {
            try {
                return threads(daemon) <= threadsBefore + 2;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(0, h.terminate(), "SIGTERM still ends it in order");
    }

    // ---------------------------------------------------------------- re-execution and crash recovery

    @Test
    @DisplayName("daemon-reexec keeps every service: same main PIDs, no numbered line missing, restart counts kept")
    void daemonReexecKeepsEveryService() throws Exception {
        DaemonHarness h = threeServices();
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        long daemon = h.process().pid();
        Map<String, Long> before = mainPids(h, "counter.service", "a.service", "b.service");
        DaemonHarness.await("a few numbered lines", T, () -> {
            try {
                return numbers(h, "counter.service").size() >= 5;
            } catch (IOException e) {
                return false;
            }
        });
        long fdsBefore = fds(daemon);
        DaemonHarness.Cli re = h.cli("daemon-reexec");
        assertEquals(0, re.code(), re + DaemonHarness.read(h.stderr));
        assertTrue(h.process().isAlive(), "the same process (exec keeps the PID)");
        assertEquals(before, mainPids(h, "counter.service", "a.service", "b.service"), DaemonHarness.read(h.stderr));
        assertEquals("serving", status(h, "b.service").get("status-text"), "STATUS= text kept");
        // numbers keep coming, and none is missing across the re-execution
        awaitMoreNumbers(h, "numbered lines after the re-execution", 10);
        assertConsecutive(numbers(h, "counter.service"));
        // the new image supervises: a killed service is restarted by its policy
        kill("KILL", before.get("a.service"));
        DaemonHarness.await("a.service restarted", T, () -> {
            long p = mainPid(h, "a.service");
            return p > 0 && p != before.get("a.service");
        });
        assertEquals(1L, ((Number) status(h, "a.service").get("restarts")).longValue());
        awaitNoZombies(daemon);
        awaitFdsBackTo(daemon, fdsBefore + 2); // the restarted service's pidfd-free reaping leaves nothing open
        assertEquals(0, h.terminate());
        assertFalse(alive(before.get("counter.service")), "an orderly shutdown stops re-adopted services");
    }

    @Test
    @DisplayName("kill -9 of the manager, then a new one: same PIDs and states, lines written meanwhile kept, a service that died meanwhile restarted by its policy")
    void aKilledManagerIsReplacedWithoutLosingAService() throws Exception {
        DaemonHarness h = threeServices();
        Path trigger = h.base.resolve("trigger");
        // writes 1,000 lines of 100 bytes (100 KB) at once when the trigger appears (while no manager runs)
        h.unit("burst.service.yaml", "exec: [/bin/sh, -c, 'while [ ! -e " + trigger + " ]; do sleep 0.02; done; i=0;"
                + " while [ $i -lt 1000 ]; do i=$((i+1)); printf \"burst %04d %090d\\n\" $i 0; done; touch " + trigger
                + ".done; exec sleep 2147483647']\n");
        h.unit("multi-user.target.yaml", "wants: [counter.service, a.service, b.service, burst.service]\n");
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        Map<String, Long> before = mainPids(h, "counter.service", "a.service", "b.service", "burst.service");
        DaemonHarness.await("numbered lines", T, () -> {
            try {
                return numbers(h, "counter.service").size() >= 5;
            } catch (IOException e) {
                return false;
            }
        });
        h.process().destroyForcibly();
        assertTrue(h.process().waitFor(30, TimeUnit.SECONDS));
        // meanwhile: a service dies, another writes 100 KB, the counter goes on
        kill("KILL", before.get("a.service"));
        Files.writeString(trigger, "");
        DaemonHarness.await("the burst written with no manager reading", T, () -> Files.exists(Path.of(trigger + ".done")));
        for (String u : List.of("counter.service", "b.service", "burst.service")) assertTrue(alive(before.get(u)), u + " survived");
        long restartedAt = System.nanoTime();
        h.start("--target", "multi-user.target");
        assertTrue(DaemonHarness.read(h.stderr).contains("re-adopted"), DaemonHarness.read(h.stderr));
        for (String u : List.of("counter.service", "b.service", "burst.service")) {
            assertEquals(before.get(u), mainPid(h, u), u + " kept its main PID: " + DaemonHarness.read(h.stderr));
            assertEquals("running", status(h, u).get("sub"), u);
        }
        // a.service exited while no manager ran: a failure (exit-code), restarted by restart: on-failure
        DaemonHarness.await("a.service restarted by its policy", T, () -> {
            Map<String, Object> s = status(h, "a.service");
            return "running".equals(s.get("sub")) && ((Number) s.get("main-pid")).longValue() != before.get("a.service");
        });
        Map<String, Object> a = status(h, "a.service");
        assertEquals(1L, ((Number) a.get("restarts")).longValue(), a.toString());
        assertTrue(h.cli("status", "a.service").out().contains("exited while no manager ran"), h.cli("status", "a.service").out());
        assertTrue(System.nanoTime() - restartedAt < T.toNanos());
        // every line survived the manager's death: the burst whole, the counter without a gap
        DaemonHarness.await("the burst drained into the log", T, () -> {
            try {
                return Files.readAllLines(h.logs.resolve("burst.service.log")).stream().filter(l -> l.contains(" burst ")).count() == 1000;
            } catch (IOException e) {
                return false;
            }
        });
        List<String> burst = Files.readAllLines(h.logs.resolve("burst.service.log")).stream().filter(l -> l.contains(" burst ")).toList();
        for (int i = 0; i < 1000; i++) {
            assertTrue(burst.get(i).endsWith(String.format(" stdout burst %04d %090d", i + 1, 0)), burst.get(i));
        }
        awaitMoreNumbers(h, "numbered lines after the restart", 5);
        assertConsecutive(numbers(h, "counter.service"));
        // the new manager still stops them all, in order
        assertEquals(0, h.terminate());
        for (String u : List.of("counter.service", "b.service", "burst.service")) {
            DaemonHarness.await(u + " stopped by the new manager", T, () -> !alive(before.get(u)));
        }
    }

    @Test
    @DisplayName("a second daemon on the same runtime dir refuses before touching a service; a record lost with the manager is made good from the cgroup")
    void aSecondDaemonTouchesNothingAndMissingRecordsAreRebuilt() throws Exception {
        DaemonHarness h = threeServices();
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        Map<String, Long> before = mainPids(h, "counter.service", "a.service", "b.service");
        Process second = new ProcessBuilder(concat(DaemonHarness.java(), h.daemonArgs("--target", "multi-user.target")))
                .redirectErrorStream(true).start();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        String said = new String(second.getInputStream().readAllBytes());
        assertEquals(1, second.exitValue(), said);
        assertTrue(said.contains("another svcmgr daemon is already serving"), said);
        assertEquals(before, mainPids(h, "counter.service", "a.service", "b.service"), "the second daemon touched nothing");
        assertEquals(0L, ((Number) status(h, "a.service").get("restarts")).longValue());
        // the manager dies, and with it the record of a.service (as if it died before writing it)
        h.process().destroyForcibly();
        assertTrue(h.process().waitFor(30, TimeUnit.SECONDS));
        Path journal = h.runtime.resolve("services/journal");
        List<String> kept = new ArrayList<>(Files.readAllLines(journal));
        assertTrue(kept.removeIf(l -> l.contains("\"unit\":\"a.service\"")), "the journal held a.service's record");
        Files.write(journal, kept);
        h.start("--target", "multi-user.target");
        boolean cgroups = !DaemonHarness.read(h.stderr).contains("not by cgroup");
        assumeTrue(cgroups, "without cgroups a service without a record cannot be found");
        assertEquals(before, mainPids(h, "counter.service", "a.service", "b.service"), DaemonHarness.read(h.stderr));
        assertEquals(0, h.terminate());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    @DisplayName("as PID 1 of a PID namespace: asynchronous signals are survived and daemon-reexec keeps the namespace and its services")
    void pid1SurvivesSignalsAndReexecutes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "PID namespaces need root here");
        Process probe = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0, "unshare --pid is refused here");
        DaemonHarness h = harness();
        h.unit("counter.service.yaml", COUNTER);
        h.unit("a.service.yaml", SLEEPER);
        h.unit("default.target.yaml", "wants: [counter.service, a.service]\n");
        // --no-container: a machine's PID 1 (SIGTERM: reboot) also where the test runs in a container
        h.startWith(List.of("unshare", "--pid", "--fork", "--mount-proc"), "--no-container");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        long[] init = {-1};
        DaemonHarness.await("the namespace's init", T, () -> {
            init[0] = h.process().children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            return init[0] > 0;
        });
        long before = mainPid(h, "a.service");
        for (String sig : List.of("HUP", "USR1", "USR2", "ALRM", "PIPE", "QUIT")) {
            kill(sig, init[0]);
            assertEquals(0, h.cli("is-active", "a.service").code(), "after SIG" + sig + ": " + DaemonHarness.read(h.stderr));
        }
        assertEquals(0, h.cli("daemon-reexec").code(), DaemonHarness.read(h.stderr));
        assertTrue(h.process().isAlive(), "the namespace lives on");
        assertEquals(before, mainPid(h, "a.service"));
        awaitMoreNumbers(h, "numbered lines after the re-execution", 5);
        assertConsecutive(numbers(h, "counter.service"));
        awaitNoZombies(init[0]);
        // SIGTERM to PID 1 means reboot: the namespace ends (its parent, unshare, sees SIGHUP)
        kill("TERM", init[0]);
        assertTrue(h.process().waitFor(60, TimeUnit.SECONDS), "the namespace did not end: " + DaemonHarness.read(h.stderr));
    }

    @Test
    @DisplayName("an Error inside the JVM (on the loop or another thread): the daemon re-executes itself and keeps every service")
    void aFatalJvmErrorIsRecoveredByReexecution() throws Exception {
        DaemonHarness h = threeServices();
        h.env.put("SVCMGR_FAULT_INJECTION", "1");
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        Map<String, Long> before = mainPids(h, "counter.service", "a.service", "b.service");
        for (String what : List.of("loop-error", "thread-error")) {
            int recoveries = DaemonHarness.read(h.stderr).split("resumed from", -1).length;
            new dev.svcmgr.cli.client.Client(h.runtime).call(new dev.svcmgr.core.protocol.Request.DebugFault(what));
            DaemonHarness.await("the daemon re-executed after " + what, T,
                    () -> DaemonHarness.read(h.stderr).split("resumed from", -1).length > recoveries
                            && h.cli("is-active", "a.service").code() == 0);
            assertTrue(h.process().isAlive(), DaemonHarness.read(h.stderr));
            assertEquals(before, mainPids(h, "counter.service", "a.service", "b.service"), DaemonHarness.read(h.stderr));
        }
        assertTrue(DaemonHarness.read(h.stderr).contains("fatal error inside the JVM"), DaemonHarness.read(h.stderr));
        assertConsecutive(numbers(h, "counter.service"));
        assertEquals(0, h.terminate());
    }

    // ---------------------------------------------------------------- logs that cannot be written

    @Test
    @DisplayName("an unwritable log directory: the service runs, the daemon and status say so with a count, logging resumes by itself")
    void anUnwritableLogDirectoryLosesNothingSilently() throws Exception {
        DaemonHarness h = harness();
        h.unit("counter.service.yaml", COUNTER);
        h.unit("multi-user.target.yaml", "wants: [counter.service]\n");
        Path blocker = h.base.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        Path logDir = blocker.resolve("log");
        List<String> args = new ArrayList<>(h.daemonArgs("--target", "multi-user.target"));
        args.set(args.indexOf("--log-dir") + 1, logDir.toString());
        h.startWithArgs(args);
        // the boot may still be under way when the daemon first answers
        DaemonHarness.await("counter.service active", T, () -> h.cli("is-active", "counter.service").code() == 0);
        DaemonHarness.await("a warning on the daemon's output", T, () -> DaemonHarness.read(h.stderr).contains("cannot write"));
        DaemonHarness.await("a warning in status", T, () -> h.cli("status", "counter.service").out().contains("lines lost"));
        assertTrue(DaemonHarness.read(h.stderr).contains(logDir.toString()), DaemonHarness.read(h.stderr));
        DaemonHarness.Cli logs = h.cli("logs", "counter.service");
        assertTrue(logs.err().contains("warning: counter.service: log not written"), "logs says why it shows nothing: " + logs);
        long pid = mainPid(h, "counter.service");
        Files.delete(blocker);
        Files.createDirectories(logDir);
        DaemonHarness.await("logging resumed with a lost-lines marker", T, () -> {
            try {
                Path f = logDir.resolve("counter.service.log");
                return Files.exists(f) && Files.readString(f).contains("lines lost")
                        && Files.readString(f).contains(" stdout n ");
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(pid, mainPid(h, "counter.service"), "the service was never restarted");
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("a full log disk (a 256 KiB tmpfs): no partial or repeated line, a lost-lines marker when space returns")
    void aFullLogDiskIsCountedAndRecovered() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        DaemonHarness h = harness();
        Path logDir = Files.createDirectories(h.base.resolve("smalllog"));
        // mode 0750: a tmpfs root is 1777 by default, and a log dir others may write is refused (docs/security.md)
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k,mode=0750", "svcmgr-test", logDir.toString())
                .redirectErrorStream(true).start();
        assumeTrue(m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0, "mount -t tmpfs refused here");
        try {
            Path filler = logDir.resolve("filler");
            Files.write(filler, new byte[200 * 1024]);
            h.unit("counter.service.yaml", "exec: [/bin/sh, -c, 'i=0; while true; do i=$((i+1)); echo \"n $i\"; sleep 0.002; done']\n");
            h.unit("multi-user.target.yaml", "wants: [counter.service]\n");
            List<String> args = new ArrayList<>(h.daemonArgs("--target", "multi-user.target"));
            args.set(args.indexOf("--log-dir") + 1, logDir.toString());
            h.startWithArgs(args);
            DaemonHarness.await("the disk full and said so", T, () -> h.cli("status", "counter.service").out().contains("lines lost"));
            long pid = mainPid(h, "counter.service");
            Files.delete(filler);
            Path f = logDir.resolve("counter.service.log");
            DaemonHarness.await("logging resumed with a marker", T, () -> {
                try {
                    return Files.readString(f).contains("lines lost");
                } catch (IOException e) {
                    return false;
                }
            });
            List<String> lines = Files.readAllLines(f);
            List<Integer> n = new ArrayList<>();
            for (String l : lines) {
                assertTrue(l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (stdout n \\d+|svcmgr \\d+ lines lost .*)"),
                        "a whole record: " + l);
                if (l.contains(" stdout n ")) n.add(Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)));
            }
            for (int i = 1; i < n.size(); i++) assertTrue(n.get(i) > n.get(i - 1), "never twice, never out of order: " + n);
            assertEquals(pid, mainPid(h, "counter.service"));
            assertEquals(0, h.terminate());
        } finally {
            new ProcessBuilder("umount", "-l", logDir.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- short of descriptors

    @Test
    @DisplayName("a manager short of descriptors (ulimit -n 160): starts that would exhaust them fail with one clear line, the rest keep running, the daemon answers")
    void aManagerShortOfDescriptorsKeepsServing() throws Exception {
        DaemonHarness h = harness();
        StringBuilder wants = new StringBuilder();
        // 96 descriptors for output: fewer than 100 services even at one FIFO each
        for (int i = 0; i < 100; i++) {
            h.unit("s" + i + ".service.yaml", SLEEPER);
            wants.append(i == 0 ? "" : ", ").append("s").append(i).append(".service");
        }
        h.unit("multi-user.target.yaml", "wants: [" + wants + "]\n");
        h.startWith(List.of("prlimit", "--nofile=160:160", "--"), "--target", "multi-user.target");
        DaemonHarness.Cli sys = h.cli("is-system-running", "--wait");
        long daemon = h.process().pid();
        long up = 0;
        for (int i = 0; i < 100; i++) if (h.cli("is-active", "s" + i + ".service").code() == 0) up++;
        assertTrue(up > 0, "some services run");
        assertTrue(h.process().isAlive(), DaemonHarness.read(h.stderr));
        assertTrue(up < 100, "160 descriptors cannot serve 100 services' output: the limit was reached");
        assertEquals("degraded\n", sys.out(), sys.toString());
        assertTrue(DaemonHarness.read(h.stdout).contains("too few file descriptors left"), DaemonHarness.read(h.stdout));
        // the daemon still answers, and stopping half of them lets a failed one start
        for (int i = 0; i < 30; i++) h.cli("stop", "s" + i + ".service");
        DaemonHarness.Cli again = h.cli("restart", "s99.service");
        assertEquals(0, again.code(), again + DaemonHarness.read(h.stderr));
        assertTrue(fds(daemon) < 160, "descriptors kept in reserve");
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("past half of its descriptors (ulimit -n 400) a manager gives new services one FIFO for stdout and stderr: 150 services run where two FIFOs each would not fit, lines are kept, tagged 'output', across a manager killed and started again")
    void pastHalfItsDescriptorsServicesShareOneFifo() throws Exception {
        DaemonHarness h = harness();
        // 400 - 64 = 336 descriptors for output: two FIFOs each (300) plus the JVM's own (60 to 110: jars, logs,
        // sockets) would not fit; sharing from descriptor 168 on leaves room for ~200
        int n = 150;
        StringBuilder wants = new StringBuilder();
        for (int i = 0; i < n; i++) {
            // each writes one line to stdout and one to stderr when its trigger appears, then sleeps
            Path trigger = h.base.resolve("go" + i);
            h.unit("s" + i + ".service.yaml", "exec: [/bin/sh, -c, 'echo started; while [ ! -e " + trigger
                    + " ]; do sleep 0.5; done; echo out" + i + "; echo err" + i + " >&2; exec sleep 2147483647']\n");
            wants.append(i == 0 ? "" : ", ").append("s").append(i).append(".service");
        }
        h.unit("multi-user.target.yaml", "wants: [" + wants + "]\n");
        List<String> limit = List.of("prlimit", "--nofile=400:400", "--");
        h.startWith(limit, "--target", "multi-user.target");
        DaemonHarness.Cli sys = h.cli("is-system-running", "--wait");
        long daemon = h.process().pid();
        assertEquals("running\n", sys.out(), sys + DaemonHarness.read(h.stdout));
        assertTrue(fds(daemon) < 400 - 64, "the reserve is kept: " + fds(daemon));
        Path fifos = h.runtime.resolve("fifo");
        int apart = -1, shared = -1;
        for (int i = 0; i < n; i++) {
            boolean own = Files.exists(fifos.resolve("s" + i + ".service.stderr"));
            if (own && apart < 0) apart = i;
            if (!own && shared < 0) shared = i;
        }
        assertTrue(apart >= 0, "the first services keep stdout and stderr apart");
        assertTrue(shared >= 0, "the later ones share one FIFO");
        String warning = String.valueOf(status(h, "s" + shared + ".service").get("warnings"));
        assertTrue(warning.contains("share one FIFO"), warning);
        String none = String.valueOf(status(h, "s" + apart + ".service").get("warnings"));
        assertFalse(none.contains("share one FIFO"), none);

        // the manager killed: lines written meanwhile wait in the FIFOs for the next one
        String[] both = {"s" + apart + ".service", "s" + shared + ".service"};
        Map<String, Long> before = mainPids(h, both);
        h.process().destroyForcibly();
        assertTrue(h.process().waitFor(30, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) Files.writeString(h.base.resolve("go" + i), "");
        h.startWith(limit, "--target", "multi-user.target");
        assertEquals(before, mainPids(h, both), DaemonHarness.read(h.stderr));
        for (int i : new int[] {apart, shared}) {
            String out = (i == apart ? " stdout" : " output") + " out" + i;
            String err = (i == apart ? " stderr" : " output") + " err" + i;
            Path log = h.logs.resolve("s" + i + ".service.log");
            DaemonHarness.await("both lines of s" + i + " in its log, tagged", T,
                    () -> DaemonHarness.read(log).contains(out) && DaemonHarness.read(log).contains(err));
        }
        assertFalse(Files.exists(fifos.resolve("s" + shared + ".service.stderr")), "a re-adopted sharing service still shares");
        assertEquals(0, h.terminate());
    }

    // ---------------------------------------------------------------- the five behaviours found

    @Test
    @DisplayName("kill delivers a signal exactly once to every process of the unit")
    void killDeliversOnce() throws Exception {
        DaemonHarness h = harness();
        Path count = h.base.resolve("count");
        h.unit("counting.service.yaml", "exec: [/usr/bin/python3, -c, \"import signal,time\\n"
                + "def h(s,f): open('" + count + "','a').write('x')\\n"
                + "signal.signal(40,h)\\nopen('" + count + ".ready','w').close()\\nwhile True: time.sleep(0.01)\"]\n");
        h.unit("multi-user.target.yaml", "wants: [counting.service]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.await("the handler installed", T, () -> Files.exists(Path.of(count + ".ready")));
        DaemonHarness.Cli k = h.cli("kill", "counting.service", "--signal", "40");
        assertEquals(0, k.code(), k.toString());
        // the handler creates the file, then writes its x: wait for the x, not only for the file
        DaemonHarness.await("the signal handled", T, () -> {
            try {
                return Files.exists(count) && !Files.readString(count).isEmpty();
            } catch (java.io.IOException e) {
                return false;
            }
        });
        // a second delivery would arrive within milliseconds (real-time signals queue); give it a generous window
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end) {
            assertEquals("x", Files.readString(count), "delivered more than once");
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    @DisplayName("sandbox.private-tmp with the runtime dir under /tmp: the notify socket still reaches the service")
    void notifyReachesAPrivateTmpService() throws Exception {
        DaemonHarness h = harness();
        assumeTrue(h.runtime.toString().startsWith("/tmp/"));
        h.unit("hidden.service.yaml", "type: notify\ntimeout-start: 20s\nsandbox:\n  private-tmp: true\n"
                + "exec: [/usr/bin/python3, -c, \"import os,socket,time\\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\\ns.connect(os.environ['NOTIFY_SOCKET'])\\n"
                + "s.send(b'READY=1')\\ntime.sleep(100000)\"]\n");
        h.start("--no-boot");
        DaemonHarness.Cli s = h.cli("start", "hidden.service");
        assertEquals(0, s.code(), s + DaemonHarness.read(h.stderr) + DaemonHarness.read(h.logs.resolve("hidden.service.log")));
        String st = h.cli("status", "hidden.service").out();
        assertTrue(st.contains("active (running)"), st);
        assertNotNull(status(h, "hidden.service").get("main-pid"));
    }
}
