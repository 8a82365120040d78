package dev.svcmgr.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native client ({@code cli/src/main/c/svcmgr-client.c}, which the launcher runs for the verbs
 * scripts call in loops) against a real daemon: for every shape it takes it prints what the Java
 * commands print, byte for byte, on stdout and stderr, with the same exit code; every other shape
 * it leaves to the JVM (exit 125, nothing printed, nothing sent to the daemon).
 */
class NativeClientTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Path CLIENT = Path.of("target/svcmgr-client").toAbsolutePath();
    private DaemonHarness h;

    @BeforeEach
    void built() {
        assumeTrue(Files.isExecutable(CLIENT), "no native client in this build (no C compiler; .ci/run installs gcc): skipping");
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private DaemonHarness system() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-native-"));
        Path reloaded = h.base.resolve("reloaded");
        h.unit("web.service.yaml", "description: web\nexec: [/bin/sleep, '1000']\nexec-reload: [/bin/sh, -c, 'echo r >> " + reloaded + "']\n");
        h.unit("api.service.yaml", "description: api\nexec: [/bin/sleep, '1000']\n");
        h.unit("broken.service.yaml", "description: fails\ntype: oneshot\nexec: [/bin/false]\n");
        h.unit("multi-user.target.yaml", "description: multi\nwants: [web.service, api.service, broken.service]\nallow-isolate: true\n");
        h.unit("idle.target.yaml", "description: nothing\nallow-isolate: true\n");
        Files.createSymbolicLink(h.units.resolve("default.target.yaml"), Path.of("multi-user.target.yaml"));
        h.start();
        DaemonHarness.await("the boot", T, () -> h.cli("is-active", "web", "api").code() == 0 && h.cli("is-failed", "broken").code() == 0);
        return h;
    }

    /** The native client's run of {@code args} (then --runtime-dir, as DaemonHarness.cli adds it). */
    private DaemonHarness.Cli nativeRun(Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(CLIENT.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SVCMGR_TIMEOUT");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the native client did not end: " + args);
        return new DaemonHarness.Cli(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    /** Runs {@code line} natively, then through the Java CLI, and asserts the two runs alike. */
    private DaemonHarness.Cli same(String line) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
        List<String> withDir = new ArrayList<>(args);
        withDir.add("--runtime-dir");
        withDir.add(h.runtime.toString());
        DaemonHarness.Cli nat = nativeRun(Map.of(), withDir);
        DaemonHarness.Cli java = h.cli(args.toArray(new String[0]));
        assertEquals(java, nat, line);
        return nat;
    }

    @Test
    @DisplayName("is-active, is-failed, is-system-running and the transactions: the native client prints and exits as the Java commands do")
    void answersAsTheJavaCommandsDo() throws Exception {
        system();
        assertEquals(new DaemonHarness.Cli(0, "active\n", ""), same("is-active web"));
        DaemonHarness.Cli some = same("is-active web nope api.service");
        assertEquals(4, some.code());
        assertEquals("svcmgr: unit nope.service could not be found\n", some.err());
        assertEquals(new DaemonHarness.Cli(0, "", ""), same("is-active -q web --no-pager"));
        assertEquals(new DaemonHarness.Cli(0, "failed\n", ""), same("is-failed broken"));
        assertEquals(1, same("is-failed web").code());
        assertEquals(new DaemonHarness.Cli(1, "degraded\n", ""), same("is-system-running"));

        assertEquals(0, same("stop web").code());
        assertEquals(new DaemonHarness.Cli(3, "inactive\n", ""), same("is-active web"));
        assertEquals(0, same("start web api").code());
        DaemonHarness.Cli failed = same("start broken");
        assertEquals(1, failed.code());
        assertTrue(failed.err().startsWith("svcmgr: start broken.service failed: exit-code"), failed.toString());
        assertEquals(4, same("start nope").code());
        assertEquals(1, same("isolate api").code(), "api lacks allow-isolate");
        assertTrue(same("start bad/name").err().contains("outside [A-Za-z0-9:_.@-]"));
        assertTrue(same("reload api").err().contains("has no exec-reload"));
        assertEquals(0, same("reload web").code());
        DaemonHarness.await("two reloads", T, () -> DaemonHarness.read(h.base.resolve("reloaded")).equals("r\nr\n"));
        assertEquals(new DaemonHarness.Cli(0, "", ""), same("restart web --no-block"));
        assertEquals(0, same("try-restart api").code());
        assertEquals(0, same("isolate idle.target").code());
        assertEquals(new DaemonHarness.Cli(3, "inactive\ninactive\n", ""), same("is-active web api"));
    }

    @Test
    @DisplayName("a reader that went away costs the output, not the exit code (as in the JVM)")
    void aClosedStdoutKeepsTheExitCode() throws Exception {
        system();
        ProcessBuilder pb = new ProcessBuilder(CLIENT.toString(), "is-active", "web", "api", "--runtime-dir", h.runtime.toString());
        pb.environment().remove("SVCMGR_TIMEOUT");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getInputStream().close(); // before the daemon has answered: the client's write meets a closed pipe
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "not killed by SIGPIPE (141)");
    }

    @Test
    @DisplayName("any other shape is the JVM's: exit 125, nothing printed, nothing sent")
    void leavesEveryOtherShapeToTheJvm() throws Exception {
        system();
        assertEquals(0, h.cli("isolate", "idle.target").code());
        String dir = "--runtime-dir=" + h.runtime;
        for (String line : List.of("", "is-active", "is-active --help", "is-active -h web", "start web --json", "start web --timeout 5s",
                "start web*", "start w?b", "start [w]eb", "start wéb", "start web --job-mode fail", "status web", "is-enabled web",
                "is-system-running --wait", "is-system-running extra", "start web --no-block --no-block", "is-active web --no-block",
                "start web --debug", "start @file", "start -x", "start web --runtime-dir", "--json start web", "enable web")) {
            List<String> args = new ArrayList<>(line.isEmpty() ? List.of() : Arrays.asList(line.split(" ")));
            if (!line.endsWith("--runtime-dir")) args.add(dir);
            assertEquals(new DaemonHarness.Cli(125, "", ""), nativeRun(Map.of(), args), line);
        }
        assertEquals(new DaemonHarness.Cli(125, "", ""), nativeRun(Map.of("SVCMGR_TIMEOUT", "5s"), List.of("start", "web", dir)));
        assertEquals(new DaemonHarness.Cli(3, "inactive\n", ""), h.cli("is-active", "web"), "nothing reached the daemon");
    }

    @Test
    @DisplayName("without a daemon, and with $SVCMGR_RUNTIME_DIR: the same lines and exit codes")
    void withoutADaemon() throws Exception {
        Path none = Files.createTempDirectory("svcmgr-native-none");
        for (String line : List.of("is-active web", "is-system-running", "is-failed web", "start web", "isolate idle.target --no-block")) {
            List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
            DaemonHarness.Cli nat = nativeRun(Map.of("SVCMGR_RUNTIME_DIR", none + "//"), args);
            args.add("--runtime-dir");
            args.add(none.toString());
            java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
            int code = dev.svcmgr.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args.toArray(new String[0]));
            assertEquals(new DaemonHarness.Cli(code, out.toString(), err.toString()), nat, line);
            assertEquals(1, nat.code());
            assertTrue(nat.err().contains("no control socket at " + none.resolve("control.sock")), nat.err());
        }
        Files.delete(none);
    }
}
