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
        Run r = capture(pb);
        return new DaemonHarness.Cli(r.code(), new String(r.out(), StandardCharsets.UTF_8), new String(r.err(), StandardCharsets.UTF_8));
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
                "start web*", "start w?b", "start [w]eb", "start wéb", "start web --job-mode fail", "is-enabled web",
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

    /** A process's exit code and its raw stdout and stderr, as the bytes it wrote. */
    record Run(int code, byte[] out, byte[] err) {
        String text() { return "exit " + code + "\n--- stdout\n" + new String(out, StandardCharsets.UTF_8) + "--- stderr\n" + new String(err, StandardCharsets.UTF_8); }
    }

    /** Runs {@code cmd} with {@code env} over a clean environment's essentials, stdin from /dev/null. */
    private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = pb.environment();
        String path = e.get("PATH");
        String tz = e.get("TZ");
        e.clear();
        e.put("PATH", path);
        if (tz != null) e.put("TZ", tz); // the daemon's, which it renders with
        e.putAll(env);
        return capture(pb);
    }

    /** Starts {@code pb} with stdin from /dev/null and returns its exit code and what it wrote. */
    private static Run capture(ProcessBuilder pb) throws Exception {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not end: " + pb.command());
        return new Run(p.exitValue(), out, err.get());
    }

    /** "since ...; 3s ago" reads the clock: two runs a second apart say 3s and 4s. Everything else is compared as it is. */
    private static String timeless(Run r) {
        return r.text().replaceAll("; (\\d+h )?(\\d+min )?\\d+s ago", "; Ns ago");
    }

    /**
     * {@code line} through the native client (rendered by the daemon) and through a JVM running the Java command
     * (as the launcher runs it with SVCMGR_NATIVE_CLIENT=0), in the environment {@code env}: the same bytes on
     * stdout and stderr, the same exit code. The JVM's run comes first and the native one is retried once when
     * the two differ, in case a unit changed state in between.
     */
    private Run rendered(String line, Map<String, String> env) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
        args.add("--runtime-dir=" + h.runtime);
        List<String> nat = new ArrayList<>(List.of(CLIENT.toString()));
        nat.addAll(args);
        List<String> jvm = DaemonHarness.java();
        jvm.addAll(args);
        Run java = run(jvm, env), n = run(nat, env);
        if (!timeless(java).equals(timeless(n))) n = run(nat, env);
        assertEquals(timeless(java), timeless(n), line + " " + env);
        assertTrue(n.code() != 125, line + ": the daemon rendered it");
        return n;
    }

    @Test
    @DisplayName("status, list-units, why, show, list-dependencies: rendered by the daemon, the same bytes and exit code as the JVM's")
    void rendersTheReadsAsTheJvmDoes() throws Exception {
        system();
        Map<String, String> utf8 = Map.of("LANG", "C.UTF-8");
        Run web = rendered("status web", utf8);
        String text = new String(web.out(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\u25cf web.service - web\n") && text.contains("Active: active (running)"), web.text());
        assertEquals(0, web.code());
        assertEquals(3, rendered("status broken", utf8).code());
        Run some = rendered("status web nope", utf8);
        assertEquals(4, some.code());
        assertEquals("svcmgr: unit nope.service could not be found\n", new String(some.err(), StandardCharsets.UTF_8));
        assertEquals(0, rendered("status -q web", utf8).out().length);
        for (String line : List.of("status", "status nope", "status bad/name", "list-units", "list-units w*", "list-units --no-pager",
                "why web", "why broken", "why nope", "show web", "show web api", "show nope", "show multi-user.target",
                "list-dependencies", "list-dependencies web --reverse", "list-dependencies --all", "list-dependencies nope")) {
            rendered(line, utf8);
        }
        // the C locale's ASCII: the JVM writes each character outside it as '?', and so does the client
        Map<String, String> ascii = Map.of();
        assertTrue(new String(rendered("status web", ascii).out(), StandardCharsets.US_ASCII).startsWith("? web.service"));
        rendered("list-dependencies", ascii);
        rendered("show web", Map.of("LC_ALL", "C"));
    }

    @Test
    @DisplayName("on a terminal the daemon colours what the JVM colours; NO_COLOR turns it off in both")
    void coloursAsTheJvmDoesOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a terminal");
        system();
        for (String line : List.of("status web", "list-dependencies", "status")) {
            String args = line + " --runtime-dir=" + h.runtime;
            // script(1) runs the command on a new terminal (stdin and stdout): System.console() is there
            Run java = run(List.of("/usr/bin/script", "-qec", String.join(" ", DaemonHarness.java()) + " " + args, "/dev/null"),
                    Map.of("LANG", "C.UTF-8"));
            Run nat = run(List.of("/usr/bin/script", "-qec", CLIENT + " " + args, "/dev/null"), Map.of("LANG", "C.UTF-8"));
            assertEquals(timeless(java), timeless(nat), line);
            assertTrue(new String(nat.out(), StandardCharsets.UTF_8).contains("m\u25cf\u001b[0m"), line + ": coloured\n" + nat.text());
            Run plain = run(List.of("/usr/bin/script", "-qec", CLIENT + " " + args, "/dev/null"), Map.of("LANG", "C.UTF-8", "NO_COLOR", "1"));
            assertTrue(!new String(plain.out(), StandardCharsets.UTF_8).contains("\u001b["), line + ": NO_COLOR\n" + plain.text());
        }
    }

    @Test
    @DisplayName("what the daemon does not render (another shape, another TZ, JVM options, colour hints, no daemon) is the JVM's: exit 125, nothing printed")
    void leavesWhatItCannotRenderToTheJvm() throws Exception {
        system();
        String dir = "--runtime-dir=" + h.runtime;
        for (String line : List.of("status web --json", "status --help", "list-units --all", "why", "why a b", "show web --json",
                "show web -p MainPID", "show web --units " + h.units, "list-dependencies a b", "list-dependencies --plain",
                "status web --runtime-dir=/elsewhere", "status wéb")) {
            List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
            args.add(dir);
            assertEquals(new DaemonHarness.Cli(125, "", ""), nativeRun(Map.of(), args), line);
        }
        for (Map<String, String> env : List.of(Map.of("TZ", "Pacific/Auckland"), Map.of("SVCMGR_JAVA_OPTS", "-Dpicocli.ansi=true"),
                Map.of("JAVA_TOOL_OPTIONS", "-Duser.timezone=UTC"), Map.of("CLICOLOR_FORCE", "1"), Map.of("SVCMGR_TIMEOUT", "5s"))) {
            assertEquals(new DaemonHarness.Cli(125, "", ""), nativeRun(env, List.of("status", "web", dir)), env.toString());
        }
        // no daemon: show and list-dependencies read the unit files offline, in the JVM
        Path none = Files.createTempDirectory("svcmgr-native-none");
        assertEquals(new DaemonHarness.Cli(125, "", ""), nativeRun(Map.of(), List.of("show", "web", "--runtime-dir", none.toString())));
        Files.delete(none);
        // the render verb itself renders the reads only: a transaction or a daemon command line is never run by it
        dev.svcmgr.cli.client.Client c = new dev.svcmgr.cli.client.Client(h.runtime);
        for (List<String> argv : List.of(List.of("stop", "web"), List.of("is-active", "web"), List.of("daemon", "--no-boot"),
                List.of("isolate", "idle.target"), List.of("status", "web", "--json"))) {
            dev.svcmgr.core.protocol.Reply.Rendered r = c.call(new dev.svcmgr.core.protocol.Request.Render(argv, false, System.getenv("TZ"), dev.svcmgr.cli.DaemonRendering.BUILD));
            assertEquals(dev.svcmgr.core.protocol.Reply.Rendered.notTaken(), r, argv.toString());
        }
        assertEquals(new DaemonHarness.Cli(0, "active\n", ""), h.cli("is-active", "web"), "nothing was stopped");
        // a client of another build (an upgrade the daemon has not re-executed into): its own JVM renders
        assertEquals(dev.svcmgr.core.protocol.Reply.Rendered.notTaken(), c.call(new dev.svcmgr.core.protocol.Request.Render(
                List.of("status", "web"), false, System.getenv("TZ"), "another build")));
        assertEquals(dev.svcmgr.core.protocol.Reply.Rendered.notTaken(), c.call(new dev.svcmgr.core.protocol.Request.Render(
                List.of("status", "web"), false, System.getenv("TZ"), null)));
        assertTrue(c.call(new dev.svcmgr.core.protocol.Request.Render(List.of("status", "web"), false, System.getenv("TZ"),
                dev.svcmgr.cli.DaemonRendering.BUILD)).taken(), "the same build's is rendered");
    }

    @Test
    @DisplayName("rendered for another user: the daemon asks with that user's rights (its logs are not shown to them)")
    void rendersWithTheClientsRights() throws Exception {
        OtherUser.assumeAvailable();
        system();
        try (OtherUser other = OtherUser.create(null)) {
            Run root = rendered("status web", Map.of("LANG", "C.UTF-8"));
            List<String> asOther = List.of("/usr/bin/setpriv", "--reuid=" + other.uid, "--regid=" + other.uid, "--clear-groups",
                    CLIENT.toString(), "status", "web", "--runtime-dir=" + h.runtime);
            Run theirs = run(asOther, Map.of("LANG", "C.UTF-8"));
            String out = new String(theirs.out(), StandardCharsets.UTF_8);
            assertEquals(0, theirs.code(), theirs.text());
            assertTrue(out.contains("Logs not shown: ") && out.contains("(you are not one of them)"), theirs.text());
            assertTrue(!new String(root.out(), StandardCharsets.UTF_8).contains("Logs not shown"), root.text());
            // show reads the unit files: for them, in their own JVM with their own rights
            List<String> show = new ArrayList<>(asOther.subList(0, asOther.size() - 3));
            show.addAll(List.of("show", "web", "--runtime-dir=" + h.runtime));
            Run theirShow = run(show, Map.of("LANG", "C.UTF-8"));
            assertEquals(125, theirShow.code(), theirShow.text());
            assertEquals(0, theirShow.out().length + theirShow.err().length, theirShow.text());
        }
    }

    /** A daemon of one reply: answers the first request on {@code dir/control.sock} with {@code reply}; returns the request. */
    private static CompletableFuture<String> oneReply(Path dir, String reply) throws Exception {
        java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("control.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (server; java.nio.channels.SocketChannel c = server.accept()) {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        java.nio.channels.Channels.newInputStream(c), StandardCharsets.UTF_8));
                String request = in.readLine();
                c.write(java.nio.ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
                return request;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    @DisplayName("a rendering's text is written as the JVM writes it: NUL bytes kept, a lone surrogate as '?', exit codes above 124 left to the JVM")
    void writesTheRenderedTextAsTheJvmWould() throws Exception {
        Path dir = Files.createTempDirectory("svcmgr-native-fake");
        String text = "a\u0000b \u25cf \ud83d\ude00 lone \ud800 end\n";
        String json = dev.svcmgr.core.json.Json.write(text);
        for (String lang : List.of("C.UTF-8", "C")) {
            CompletableFuture<String> asked = oneReply(dir, "{\"ok\":true,\"taken\":true,\"exit\":3,\"output\":[{\"stream\":\"out\",\"text\":"
                    + json + "},{\"stream\":\"err\",\"text\":\"e\\n\"}]}");
            Run r = run(List.of(CLIENT.toString(), "status", "web", "--runtime-dir", dir.toString()), Map.of("LANG", lang));
            java.nio.charset.Charset cs = lang.equals("C") ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8;
            assertEquals(3, r.code(), r.text());
            assertEquals(java.util.HexFormat.of().formatHex(text.getBytes(cs)), java.util.HexFormat.of().formatHex(r.out()), lang);
            assertEquals("e\n", new String(r.err(), StandardCharsets.UTF_8));
            String request = asked.get(30, TimeUnit.SECONDS);
            assertTrue(request.startsWith("{\"v\":1,\"verb\":\"render\",\"argv\":[\"status\",\"web\",\"--runtime-dir\","), request);
            assertTrue(request.contains("\"build\":\""), "the client's build goes with it: " + request);
            Files.delete(dir.resolve("control.sock"));
        }
        for (String exit : List.of("125", "126", "255", "-1", "1.5", "\"0\"")) {
            CompletableFuture<String> asked = oneReply(dir, "{\"ok\":true,\"taken\":true,\"exit\":" + exit
                    + ",\"output\":[{\"stream\":\"out\",\"text\":\"x\\n\"}]}");
            Run r = run(List.of(CLIENT.toString(), "status", "web", "--runtime-dir", dir.toString()), Map.of("LANG", "C.UTF-8"));
            assertEquals("exit 125\n--- stdout\n--- stderr\n", r.text(), "exit " + exit);
            asked.get(30, TimeUnit.SECONDS);
            Files.delete(dir.resolve("control.sock"));
        }
        // a daemon that does not know render (older than the client), or says it does not take this one
        for (String reply : List.of("{\"ok\":false,\"error\":\"bad request: unknown verb \\\"render\\\"\",\"error-kind\":\"bad-request\"}",
                "{\"ok\":true,\"taken\":false}", "not json")) {
            CompletableFuture<String> asked = oneReply(dir, reply);
            Run r = run(List.of(CLIENT.toString(), "why", "web", "--runtime-dir", dir.toString()), Map.of("LANG", "C.UTF-8"));
            assertEquals("exit 125\n--- stdout\n--- stderr\n", r.text(), reply);
            asked.get(30, TimeUnit.SECONDS);
            Files.delete(dir.resolve("control.sock"));
        }
        Files.delete(dir);
    }

    @Test
    @DisplayName("stdout and stderr in one pipe: the same interleaving as the JVM's (its stdout is flushed at each println)")
    void interleavesAsTheJvmDoes() throws Exception {
        system();
        for (String line : List.of("status web nope api", "status nope web")) {
            String args = line + " --runtime-dir=" + h.runtime;
            Run java = run(List.of("/bin/sh", "-c", String.join(" ", DaemonHarness.java()) + " " + args + " 2>&1"), Map.of("LANG", "C.UTF-8"));
            Run nat = run(List.of("/bin/sh", "-c", CLIENT + " " + args + " 2>&1"), Map.of("LANG", "C.UTF-8"));
            assertEquals(timeless(java), timeless(nat), line);
            assertEquals(4, nat.code());
        }
    }
}
