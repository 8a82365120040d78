package dev.svcmgr.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code svcmgr top} in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen. */
class TopTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;
    private String session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) tmux("kill-session", "-t", session);
        if (h != null) h.close();
    }

    private static String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", "svcmgr-test"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private String screen() throws Exception { return tmux("capture-pane", "-p", "-t", session); }

    private boolean sessionAlive() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", "svcmgr-test", "has-session", "-t", session).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    @DisplayName("top lists the units with state, memory and restarts, redraws when a killed service restarts, and q quits")
    void topInTmux() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed: top is not tried in a terminal");
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-top-"));
        h.unit("web.service.yaml", "exec: [/bin/sleep, '1000']\nrestart: always\nrestart-delay: 100ms\n");
        h.unit("db.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("broken.service.yaml", "exec: [/bin/false]\nrestart: 'no'\n");
        h.unit("multi-user.target.yaml", "wants: [web.service, db.service, broken.service]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.await("the boot", T, () -> h.cli("is-failed", "broken").code() == 0 && h.cli("is-active", "web", "db").code() == 0);

        Path script = h.base.resolve("top.sh");
        List<String> java = DaemonHarness.java();
        StringBuilder cmd = new StringBuilder();
        for (String a : java) cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
        cmd.append("top --interval 30 --runtime-dir '").append(h.runtime).append("'; echo top-ended-$? > '").append(h.base.resolve("top.exit")).append("'");
        Files.writeString(script, "#!/bin/sh\n" + cmd + "\nsleep 30\n");
        session = "top-" + ProcessHandle.current().pid();
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", "sh " + script);

        DaemonHarness.await("top's first screen", T, () -> {
            try {
                return screen().contains("web.service");
            } catch (Exception e) {
                return false;
            }
        });
        String first = screen();
        assertTrue(first.contains("svcmgr top - system degraded"), first);
        List<String> lines = first.lines().toList();
        assertTrue(lines.get(1).matches("UNIT +ACTIVE +SUB +CPU% +MEMORY +RESTARTS *"), first);
        assertTrue(lines.get(2).startsWith("broken.service") && lines.get(2).contains("failed"), "failed units first: " + first);
        assertTrue(first.lines().anyMatch(l -> l.matches("web\\.service +active +running +[0-9.]* +[0-9.]+[KMG] +0 *")), first);

        // the interval is 30 s: a redraw within it comes from the event stream
        assertEquals(0, h.cli("kill", "web", "--signal", "KILL").code());
        DaemonHarness.await("the restart counted on screen", T, () -> {
            try {
                return screen().lines().anyMatch(l -> l.matches("web\\.service +active +running .* 1 *"));
            } catch (Exception e) {
                return false;
            }
        });

        tmux("send-keys", "-t", session, "q");
        Path exit = h.base.resolve("top.exit");
        DaemonHarness.await("top ended on q", T, () -> DaemonHarness.read(exit).endsWith("\n")); // the whole line: > creates the file first
        assertEquals("top-ended-0", Files.readString(exit).strip());
        assertTrue(sessionAlive(), "the shell after top still runs");
    }

    @Test
    @DisplayName("top -n prints frames without a terminal; without a daemon it says so in one line")
    void batchAndNoDaemon() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-top-batch-"));
        h.unit("db.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("multi-user.target.yaml", "wants: [db.service]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.await("the boot", T, () -> h.cli("is-active", "db").code() == 0);
        DaemonHarness.Cli once = h.cli("top", "-n", "1", "--interval", "0.1");
        assertEquals(0, once.code(), once.toString());
        assertTrue(once.out().startsWith("svcmgr top - system running, 2 units"), once.out());
        assertTrue(once.out().contains("\ndb.service "), once.out());
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int code = dev.svcmgr.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "top", "-n", "1", "--runtime-dir", h.base.resolve("nothing").toString());
        assertEquals(1, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertEquals("", out.toString());
    }
}
