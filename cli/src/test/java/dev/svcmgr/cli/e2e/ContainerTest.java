package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Container mode for real (cli.md "The daemon"; docs/container.md): the daemon as PID 1 of a new PID
 * namespace ({@code unshare --pid --fork --mount-proc}, what {@code docker run} gives it) ends with
 * status 0 on SIGTERM, SIGINT or {@code poweroff} after stopping every unit in order, and writes every
 * service's output to its stdout as {@code unit[pid]: line} with the unit's real main PID, the log
 * files keeping every line too. {@code --console-output} does the stdout part outside container mode.
 */
class ContainerTest {
    private static final List<String> UNSHARE = List.of("unshare", "--pid", "--fork", "--mount-proc");
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private void harness() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-container-"));
    }

    private static void assumeUnshare() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "PID namespaces need root here");
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "unshare --pid --fork --mount-proc is refused here: " + new String(p.getInputStream().readAllBytes()));
    }

    /** A service that says hello on stdout and stderr, then sleeps; its exec-stop appends to {@code trace}. */
    private static String traced(Path trace, String name, String extra) {
        return "exec-start-pre: [[/bin/sh, -c, 'echo start " + name + " >> " + trace + "']]\n"
                + "exec: [/bin/sh, -c, 'echo hello from " + name + "; echo oops from " + name + " >&2; exec /bin/sleep 2147483647']\n"
                + "exec-stop: [[/bin/sh, -c, 'echo stop " + name + " >> " + trace + "; kill $MAINPID']]\n" + extra;
    }

    private Path twoUnits() throws Exception {
        Path trace = h.base.resolve("trace");
        h.unit("b.service.yaml", traced(trace, "b", ""));
        h.unit("a.service.yaml", traced(trace, "a", "requires: [b.service]\n"));
        h.unit("default.target.yaml", "wants: [a.service]\n");
        return trace;
    }

    @SuppressWarnings("unchecked")
    private long mainPid(String unit) {
        Map<String, Object> s = (Map<String, Object>) Json.parse(h.cli("status", unit, "--json").out());
        return s.get("main-pid") instanceof Number n ? n.longValue() : -1;
    }

    private void awaitConsole(String line) throws InterruptedException {
        DaemonHarness.await("'" + line + "' on the daemon's stdout", Duration.ofSeconds(20),
                () -> DaemonHarness.read(h.stdout).lines().anyMatch(line::equals));
    }

    /** Both services' hello lines on stdout, headed by the unit and its main PID, and in the log files too. */
    private void checkConsole() throws Exception {
        for (String u : List.of("a", "b")) {
            long pid = mainPid(u);
            assertTrue(pid > 1, "main PID of " + u + ": " + pid);
            awaitConsole(u + ".service[" + pid + "]: hello from " + u);
            awaitConsole(u + ".service[" + pid + "]: oops from " + u);
            String log = DaemonHarness.read(h.logs.resolve(u + ".service.log"));
            assertTrue(log.contains(" stdout hello from " + u + "\n") && log.contains(" stderr oops from " + u + "\n"), log);
        }
    }

    private void assertStoppedInOrderWithStatus0(Path trace) throws Exception {
        assertTrue(h.process().waitFor(60, TimeUnit.SECONDS), "the daemon did not end: " + DaemonHarness.read(h.stderr));
        assertEquals(0, h.process().exitValue(), DaemonHarness.read(h.stderr));
        assertEquals(List.of("start b", "start a", "stop a", "stop b"), Files.readAllLines(trace));
        assertTrue(!DaemonHarness.read(h.stderr).contains("reboot now"), DaemonHarness.read(h.stderr));
    }

    private long init() throws Exception {
        long[] pid = {-1};
        DaemonHarness.await("the namespace's init", Duration.ofSeconds(10), () -> {
            pid[0] = h.process().children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            return pid[0] > 0;
        });
        return pid[0];
    }

    @Test
    @DisplayName("--container as PID 1: SIGTERM stops every unit in order and exits 0; output on stdout as unit[pid]: line")
    void sigtermAsPid1ExitsZero() throws Exception {
        assumeUnshare();
        harness();
        Path trace = twoUnits();
        Path orphanDone = h.base.resolve("orphan-done");
        h.unit("orphan.service.yaml", "type: oneshot\nremain-after-exit: true\n"
                + "exec: [/bin/sh, -c, '(sleep 0.5; touch " + orphanDone + ") & exit 0']\n");
        h.unit("default.target.yaml", "wants: [a.service, orphan.service]\n");
        h.startWith(UNSHARE, "--container");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        checkConsole();
        assertTrue(DaemonHarness.read(h.stderr).contains("svcmgr: container mode:"), DaemonHarness.read(h.stderr));
        long init = init();
        DaemonHarness.await("the orphan to finish", Duration.ofSeconds(20), () -> Files.exists(orphanDone));
        DaemonHarness.await("no zombie left under the init (orphans are reaped in container mode too)", Duration.ofSeconds(20),
                () -> DaemonHarness.zombiesOf(init).isEmpty());
        new ProcessBuilder("kill", "-TERM", Long.toString(init)).start().waitFor();
        assertStoppedInOrderWithStatus0(trace);
    }

    @Test
    @DisplayName("PID 1 with container=docker in the environment is container mode by itself: SIGINT exits 0 after an ordered stop")
    void sigintInADetectedContainerExitsZero() throws Exception {
        assumeUnshare();
        harness();
        Path trace = twoUnits();
        h.env.put("container", "docker");
        h.startWith(UNSHARE);
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        assertTrue(DaemonHarness.read(h.stderr).contains("svcmgr: container mode:"), DaemonHarness.read(h.stderr));
        new ProcessBuilder("kill", "-INT", Long.toString(init())).start().waitFor();
        assertStoppedInOrderWithStatus0(trace);
    }

    @Test
    @DisplayName("--container as PID 1: svcmgr poweroff stops every unit and exits 0 instead of powering off")
    void poweroffInContainerModeExitsZero() throws Exception {
        assumeUnshare();
        harness();
        Path trace = twoUnits();
        h.startWith(UNSHARE, "--container");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        DaemonHarness.Cli c = h.cli("poweroff");
        assertEquals(0, c.code(), c.toString());
        assertStoppedInOrderWithStatus0(trace);
    }

    @Test
    @DisplayName("--console-output outside container mode: output on stdout as unit[pid]: line, and in the log; SIGTERM exits 0")
    void consoleOutputOutsideContainerMode() throws Exception {
        harness();
        Path trace = twoUnits();
        h.start("--console-output");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        checkConsole();
        assertTrue(!DaemonHarness.read(h.stderr).contains("container mode"), DaemonHarness.read(h.stderr));
        assertEquals(0, h.terminate());
        assertEquals(List.of("start b", "start a", "stop a", "stop b"), Files.readAllLines(trace));
    }

    @Test
    @DisplayName("without --console-output and outside a container, service output stays out of the daemon's stdout")
    void noConsoleOutputByDefault() throws Exception {
        harness();
        twoUnits();
        h.start();
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        DaemonHarness.await("a's hello in its log", Duration.ofSeconds(20),
                () -> DaemonHarness.read(h.logs.resolve("a.service.log")).contains("hello from a"));
        assertEquals(0, h.terminate());
        assertTrue(!DaemonHarness.read(h.stdout).contains("hello from"), DaemonHarness.read(h.stdout));
    }

    private static Path example() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p.resolve("examples/container");
    }

    @Test
    @DisplayName("examples/container: its units verify clean, boot as PID 1 in container mode, and stop in order on SIGTERM with status 0")
    void theContainerExampleRuns() throws Exception {
        Path units = example().resolve("units");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.svcmgr.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "verify", "--units", units.toString());
        assertEquals(0, code, out + "\n" + err);
        assertEquals("", err.toString());
        String dockerfile = Files.readString(example().resolve("Dockerfile"));
        assertTrue(dockerfile.contains("COPY examples/container/units/ /etc/svcmgr/units/")
                && dockerfile.contains("\"daemon\", \"--container\", \"--units\", \"/etc/svcmgr/units\""), dockerfile);
        assumeUnshare();
        harness();
        h.env.put("DEMO_DIR", h.base.resolve("demo").toString());
        try (var files = Files.list(units)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, h.units.resolve(f.getFileName()));
        }
        h.startWith(UNSHARE, "--container");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        long app = mainPid("app");
        long db = mainPid("db");
        awaitConsole("app.service[" + app + "]: app: up with migrate: schema v3");
        DaemonHarness.await("migrate's line on stdout", Duration.ofSeconds(20), () -> DaemonHarness.read(h.stdout).lines()
                .anyMatch(l -> l.matches("migrate\\.service\\[\\d+\\]: migrate: schema v3")));
        new ProcessBuilder("kill", "-TERM", Long.toString(init())).start().waitFor();
        assertTrue(h.process().waitFor(60, TimeUnit.SECONDS), "the daemon did not end: " + DaemonHarness.read(h.stderr));
        assertEquals(0, h.process().exitValue(), DaemonHarness.read(h.stderr));
        // distinct: the stop signal reaches a main process through its group and then by its PID, and a shell's
        // TERM trap may run once for each (ServiceProcesses.stopSignal); the order is what counts here
        List<String> console = DaemonHarness.read(h.stdout).lines().filter(l -> l.contains(": app: bye") || l.contains(": db: closing"))
                .distinct().toList();
        assertEquals(List.of("app.service[" + app + "]: app: bye", "db.service[" + db + "]: db: closing"), console,
                DaemonHarness.read(h.logs.resolve("db.service.log")) + DaemonHarness.read(h.stdout) + DaemonHarness.read(h.stderr));
    }

    @Test
    @DisplayName("a stdout nobody reads blocks neither a flooding service nor the daemon: lines are dropped from stdout, counted, never from the log")
    void aBlockedStdoutBlocksNothing() throws Exception {
        harness();
        Path done = h.base.resolve("flood-done");
        // about 2.6 MB: more than the console's 1 MiB queue and the pipe's 64 KiB together
        h.unit("flood.service.yaml", "exec: [/bin/sh, -c, 'i=0; while [ $i -lt 40000 ]; do echo \"flood line $i with some padding to"
                + " make it longer\"; i=$((i+1)); done; touch " + done + "; exec /bin/sleep 2147483647']\n");
        List<String> cmd = DaemonHarness.java();
        cmd.addAll(h.daemonArgs("--console-output", "--no-boot"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(h.stderr.toFile()); // stdout: a pipe, unread for now
        pb.environment().put("_JAVA_SR_SIGNUM", "64");
        Process d = pb.start();
        try {
            DaemonHarness.await("the daemon's socket", Duration.ofSeconds(30), () -> h.cli("list-units").code() == 0);
            assertEquals(0, h.cli("start", "flood").code());
            DaemonHarness.await("the flood to end (the service was never blocked)", Duration.ofSeconds(60), () -> Files.exists(done));
            DaemonHarness.await("the flood's last line in its log", Duration.ofSeconds(30), () -> DaemonHarness.read(
                    h.logs.resolve("flood.service.log")).contains(" stdout flood line 39999 with some padding to make it longer\n"));
            // the daemon's loop is not stuck behind stdout either: it still answers and runs jobs
            DaemonHarness.Cli restart = h.cli("--timeout", "20s", "restart", "flood");
            assertEquals(0, restart.code(), restart + DaemonHarness.read(h.stderr));
            assertEquals("active\n", h.cli("is-active", "flood").out());
            StringBuilder seen = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(d.getInputStream()))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        synchronized (seen) {
                            seen.append(l).append('\n');
                        }
                    }
                } catch (java.io.IOException e) {
                    // the daemon ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            DaemonHarness.await("the count of dropped lines on stdout", Duration.ofSeconds(30), () -> {
                synchronized (seen) {
                    return seen.toString().matches("(?s).*\nsvcmgr: \\d+ lines of service output dropped \\(stdout did not keep up\\)\n.*");
                }
            });
            synchronized (seen) {
                for (String l : seen.toString().split("\n")) {
                    // a flood may write more than the 256 lines held for the PID before its spawn returns: those go
                    // out headed 'flood.service:' alone (docs/container.md)
                    assertTrue(l.matches("flood\\.service(\\[\\d+\\])?: flood line \\d+ with some padding to make it longer"
                            + "|svcmgr: \\d+ lines of service output dropped \\(stdout did not keep up\\)|\\[ {2}OK {2}\\] .*|.*Stopp.*"), l);
                }
            }
            d.destroy();
            assertTrue(d.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, d.exitValue(), DaemonHarness.read(h.stderr));
        } finally {
            d.destroyForcibly();
        }
    }
}
