package dev.svcmgr.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PID 1 mode for real: the daemon as the init of a new PID namespace
 * ({@code unshare --pid --fork --mount-proc}). reboot(2) there ends the
 * namespace's init: its parent sees it killed by SIGHUP (reboot) or SIGINT
 * (poweroff, halt), which unshare passes on as its own exit. {@code --no-container}: these are a
 * machine's semantics, also where this test itself runs in a container ({@code /.dockerenv}).
 */
class Pid1Test {
    private DaemonHarness h;

    @BeforeEach
    void canUnshare() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "PID namespaces need root here");
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "unshare --pid --fork --mount-proc is refused here: " + new String(p.getInputStream().readAllBytes()));
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-pid1-"));
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private static String traced(Path trace, String name, String extra) {
        return "exec-start-pre: [[/bin/sh, -c, 'echo start " + name + " >> " + trace + "']]\n"
                + "exec: [/bin/sleep, '2147483647']\n"
                + "exec-stop: [[/bin/sh, -c, 'echo stop " + name + " >> " + trace + "; kill $MAINPID']]\n" + extra;
    }

    private static List<String> zombiesOf(long ppid) throws IOException { return DaemonHarness.zombiesOf(ppid); }

    private long daemonPid() throws Exception {
        // unshare --fork: the daemon is unshare's only child
        long[] pid = {-1};
        DaemonHarness.await("the namespace's init", Duration.ofSeconds(10), () -> {
            pid[0] = h.process().children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            return pid[0] > 0;
        });
        return pid[0];
    }

    @Test
    @DisplayName("as PID 1: a double-forked orphan is reaped, shutdown keeps the order, SIGTERM ends in reboot(2)")
    void pid1RebootsAfterOrderedShutdown() throws Exception {
        Path trace = h.base.resolve("trace");
        Path orphanDone = h.base.resolve("orphan-done");
        h.unit("b.service.yaml", traced(trace, "b", ""));
        h.unit("a.service.yaml", traced(trace, "a", "requires: [b.service]\n"));
        h.unit("orphan.service.yaml", "type: oneshot\nremain-after-exit: true\n"
                + "exec: [/bin/sh, -c, '(sleep 0.5; touch " + orphanDone + ") & exit 0']\n");
        h.unit("default.target.yaml", "wants: [a.service, orphan.service]\n");
        h.startWith(List.of("unshare", "--pid", "--fork", "--mount-proc"), "--no-container");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        long init = daemonPid();
        DaemonHarness.await("the orphan to finish", Duration.ofSeconds(20), () -> Files.exists(orphanDone));
        DaemonHarness.await("no zombie left under the init", Duration.ofSeconds(20), () -> {
            try {
                return zombiesOf(init).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        new ProcessBuilder("kill", "-TERM", Long.toString(init)).start().waitFor();
        assertTrue(h.process().waitFor(60, TimeUnit.SECONDS), "the namespace did not end: " + DaemonHarness.read(h.stderr));
        assertEquals(128 + 1, h.process().exitValue(), "reboot(2) in a PID namespace kills its init with SIGHUP; "
                + DaemonHarness.read(h.stderr));
        List<String> lines = Files.readAllLines(trace);
        assertEquals(List.of("start b", "start a", "stop a", "stop b"), lines);
        assertTrue(DaemonHarness.read(h.stderr).contains("reboot now"), DaemonHarness.read(h.stderr));
    }

    @Test
    @DisplayName("as PID 1: svcmgr poweroff stops every unit and powers off (SIGINT to the namespace's parent)")
    void pid1Poweroff() throws Exception {
        Path trace = h.base.resolve("trace");
        h.unit("a.service.yaml", traced(trace, "a", "ignore-on-isolate: true\n"));
        h.unit("poweroff.target.yaml", "description: Power off\n");
        h.unit("default.target.yaml", "wants: [a.service]\n");
        h.startWith(List.of("unshare", "--pid", "--fork", "--mount-proc"), "--no-container");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        DaemonHarness.Cli c = h.cli("poweroff");
        assertEquals(0, c.code(), c.toString());
        assertTrue(h.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 2, h.process().exitValue(), DaemonHarness.read(h.stderr));
        assertEquals(List.of("start a", "stop a"), Files.readAllLines(trace));
    }
}
