package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * units.md "Keys for packaged daemons" through a real daemon running as root: runtime-/state-directory made
 * for a {@code user: nobody} service with its mode and owner and named in its environment, the runtime one
 * gone after the stop and the state one kept; a privileged exec-start-pre runs as uid 0 while the main
 * process runs as the user; ignore-failure lets {@code false} pass; a failing pre without it fails the start;
 * a directory that cannot be made (a file in its place) fails with result exec and the path in status.
 */
class PackagedKeysTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;
    /** A name of this run's own under /run, /var/lib, /var/log and /var/cache (removed afterwards). */
    private String name;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/run")) && Files.isWritable(Path.of("/var/lib")) && isRoot(),
                "needs root (the directories go to /run, /var/lib, ... and the service runs as nobody)");
        name = "svcmgr-e2e-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-keys-"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
        if (name != null) for (String b : List.of("/run", "/var/lib", "/var/log", "/var/cache")) deleteTree(Path.of(b, name));
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String unit) {
        DaemonHarness.Cli c = h.cli("status", unit, "--json");
        return (Map<String, Object>) Json.parse(c.out());
    }

    private static int attr(Path p, String a) throws IOException { return (Integer) Files.getAttribute(p, "unix:" + a, LinkOption.NOFOLLOW_LINKS); }

    private static int uidOf(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Uid:")) return Integer.parseInt(l.split("\\s+")[1]);
        }
        throw new AssertionError("no Uid: line for " + pid);
    }

    @Test
    @DisplayName("a user: nobody service gets its runtime and state directories (owner, mode, environment); the runtime one goes at the stop")
    void directoriesForAUserService() throws Exception {
        h.unit("dirs.service.yaml", """
                user: nobody
                runtime-directory: [%1$s/y]
                state-directory: [%1$s]
                logs-directory: [%1$s]
                cache-directory: [%1$s]
                directory-mode: "0750"
                exec: [/bin/sh, -c, 'echo "$RUNTIME_DIRECTORY|$STATE_DIRECTORY|$LOGS_DIRECTORY|$CACHE_DIRECTORY" > "$STATE_DIRECTORY/env"; touch "$RUNTIME_DIRECTORY/mine"; exec sleep 1000']
                """.formatted(name));
        h.start("--no-boot");
        DaemonHarness.Cli start = h.cli("start", "dirs");
        assertEquals(0, start.code(), start + DaemonHarness.read(h.stderr));
        Path run = Path.of("/run", name, "y"), state = Path.of("/var/lib", name);
        // the shell creates env before it writes into it, and touches mine after: wait for both, whole
        DaemonHarness.await("the service wrote its environment", T,
                () -> DaemonHarness.read(state.resolve("env")).endsWith("\n") && Files.exists(run.resolve("mine")));
        assertEquals("/run/" + name + "/y|/var/lib/" + name + "|/var/log/" + name + "|/var/cache/" + name + "\n",
                Files.readString(state.resolve("env")));
        assertTrue(Files.exists(run.resolve("mine")), "the service could write in its runtime directory");
        for (Path d : List.of(run, state, Path.of("/var/log", name), Path.of("/var/cache", name))) {
            assertEquals(65534, attr(d, "uid"), d + " belongs to nobody");
            assertEquals(0750, attr(d, "mode") & 07777, d + " has directory-mode");
        }
        assertEquals(0, attr(run.getParent(), "uid"), "the parent of a nested name stays root's");
        assertEquals(0755, attr(run.getParent(), "mode") & 07777);
        String show = h.cli("show", "dirs").out();
        assertTrue(show.contains("RuntimeDirectory=" + name + "/y\n") && show.contains("StateDirectory=" + name + "\n")
                && show.contains("DirectoryMode=0750\n"), show);
        long main = ((Number) status("dirs.service").get("main-pid")).longValue();
        assertEquals(65534, uidOf(main), "the main process runs as nobody");

        DaemonHarness.Cli stop = h.cli("stop", "dirs");
        assertEquals(0, stop.code(), stop.toString());
        assertFalse(Files.exists(run, LinkOption.NOFOLLOW_LINKS), "the runtime directory is removed after the stop");
        assertTrue(Files.exists(state.resolve("env")), "the state directory is kept");
        assertTrue(Files.isDirectory(Path.of("/var/cache", name)) && Files.isDirectory(Path.of("/var/log", name)));
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("a sandboxed service can write its state directory below a read-only /var/lib, and its runtime directory")
    void directoriesStayWritableInTheSandbox() throws Exception {
        h.unit("boxed.service.yaml", """
                user: nobody
                runtime-directory: [%1$s]
                state-directory: [%1$s]
                sandbox: {required: true, private-tmp: true, read-only-paths: [/var/lib, /run]}
                exec: [/bin/sh, -c, 'echo s > "$STATE_DIRECTORY/f" && echo r > "$RUNTIME_DIRECTORY/f"; if touch /var/lib/%1$s-x 2>/dev/null; then echo lib-writable; else echo lib-ro; fi > "$STATE_DIRECTORY/g"; exec sleep 1000']
                """.formatted(name));
        h.start("--no-boot");
        DaemonHarness.Cli start = h.cli("start", "boxed");
        if (start.code() != 0 && String.valueOf(status("boxed.service").get("result-detail")).contains("sandbox")) {
            assumeTrue(false, "namespaces refused here: " + status("boxed.service").get("result-detail"));
        }
        assertEquals(0, start.code(), start + DaemonHarness.read(h.stderr));
        Path state = Path.of("/var/lib", name);
        // the shell creates g before it writes into it: wait for the whole line, not for the file
        DaemonHarness.await("the service wrote its files", T, () -> DaemonHarness.read(state.resolve("g")).endsWith("\n"));
        assertEquals("s\n", Files.readString(state.resolve("f")));
        assertEquals("r\n", Files.readString(Path.of("/run", name, "f")));
        assertEquals("lib-ro\n", Files.readString(state.resolve("g")), "the rest of /var/lib stays read-only");
        assertEquals(0, h.terminate());
    }

    @ParameterizedTest(name = "through svcmgr-spawn: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a privileged exec-start-pre runs as uid 0, the main process and a plain pre as the service's user (both spawn paths)")
    void privilegedPreRunsAsRoot(boolean spawner) throws Exception {
        if (!spawner) h.env.put("JAVA_TOOL_OPTIONS", "-Dsvcmgr.spawner=off");
        Path out = Files.createDirectories(h.base.resolve("out"));
        h.unit("priv.service.yaml", """
                user: nobody
                state-directory: [%1$s]
                exec-start-pre:
                  - command: [/bin/sh, -c, 'id -u > %2$s/pre-uid']
                    privileged: true
                  - [/bin/sh, -c, 'id -u > "$STATE_DIRECTORY/plain-uid"']
                exec: [/bin/sh, -c, 'id -u > "$STATE_DIRECTORY/main-uid"; exec sleep 1000']
                """.formatted(name, out));
        h.start("--no-boot", "--debug");
        String how = DaemonHarness.read(h.stderr);
        if (!spawner) assertTrue(how.contains("spawning services with posix_spawn from the manager"), how);
        else assumeTrue(how.contains("spawning services with svcmgr-spawn"), "this build has no svcmgr-spawn: " + how);
        DaemonHarness.Cli start = h.cli("start", "priv");
        assertEquals(0, start.code(), start + DaemonHarness.read(h.stderr));
        Path state = Path.of("/var/lib", name);
        DaemonHarness.await("the main process wrote its uid", T, () -> Files.exists(state.resolve("main-uid")));
        assertEquals("0\n", Files.readString(out.resolve("pre-uid")), "privileged: as root");
        assertTrue(h.cli("show", "priv").out().contains("ExecStartPre={ +/bin/sh -c 'id -u > " + out + "/pre-uid' } { /bin/sh -c"), h.cli("show", "priv").out());
        assertEquals("65534\n", Files.readString(state.resolve("plain-uid")));
        DaemonHarness.await("the main uid written", T, () -> {
            try {
                return Files.readString(state.resolve("main-uid")).equals("65534\n");
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("ignore-failure: a false pre is logged and shown and the service starts; without it the start fails")
    void ignoreFailureAndFailingPres() throws Exception {
        h.unit("ign.service.yaml", """
                exec-start-pre:
                  - {command: /bin/false, ignore-failure: true}
                exec: [/bin/sleep, '1000']
                """);
        h.unit("strict.service.yaml", """
                restart: no
                exec-start-pre: [/bin/false]
                exec: [/bin/sleep, '1000']
                """);
        h.unit("missing.service.yaml", """
                restart: no
                exec-start-pre: [/nonexistent/svcmgr-pre]
                exec: [/bin/sleep, '1000']
                """);
        h.start("--no-boot");
        DaemonHarness.Cli ok = h.cli("start", "ign");
        assertEquals(0, ok.code(), ok + DaemonHarness.read(h.stderr));
        assertEquals("active\n", h.cli("is-active", "ign").out());
        assertEquals(List.of("exec-start-pre /bin/false exited with status 1 (ignored: ignore-failure is true)"),
                status("ign.service").get("warnings"));
        assertTrue(h.cli("status", "ign").out().contains("ignored: ignore-failure is true"), h.cli("status", "ign").out());
        assertTrue(h.cli("logs", "ign").out().contains("exec-start-pre /bin/false exited with status 1 (ignored: ignore-failure is true)"),
                h.cli("logs", "ign").out());

        DaemonHarness.Cli strict = h.cli("start", "strict");
        assertNotEquals(0, strict.code(), strict.toString());
        Map<String, Object> s = status("strict.service");
        assertEquals("failed", s.get("active"));
        assertEquals("exit-code", s.get("result"));
        assertEquals("exec-start-pre /bin/false exited with status 1", s.get("result-detail"));

        DaemonHarness.Cli missing = h.cli("start", "missing");
        assertNotEquals(0, missing.code(), missing.toString());
        Map<String, Object> m = status("missing.service");
        assertEquals("exec", m.get("result"), m.toString());
        assertTrue(String.valueOf(m.get("result-detail")).contains("/nonexistent/svcmgr-pre"), m.toString());
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("a directory that cannot be made (a file in its place) fails the start with result exec and the path in status")
    void aDirectoryThatCannotBeMade() throws Exception {
        Path file = Path.of("/var/lib", name);
        Files.writeString(file, "in the way\n");
        Path pre = h.base.resolve("pre-ran");
        h.unit("blocked.service.yaml", """
                restart: always
                runtime-directory: [%1$s]
                state-directory: [%1$s]
                exec-start-pre: [[/bin/touch, %2$s]]
                exec: [/bin/sleep, '1000']
                """.formatted(name, pre));
        h.start("--no-boot");
        DaemonHarness.Cli start = h.cli("start", "blocked");
        assertNotEquals(0, start.code(), start.toString());
        Map<String, Object> s = status("blocked.service");
        assertEquals("failed", s.get("active"), s.toString());
        assertEquals("exec", s.get("result"));
        assertEquals("Stage: state-directory / Error: something that is not a directory is in its place (" + file + ")",
                s.get("result-detail"));
        String text = h.cli("status", "blocked").out();
        assertTrue(text.contains(file.toString()) && text.contains("state-directory"), text);
        assertFalse(Files.exists(pre), "no command ran");
        assertFalse(Files.exists(Path.of("/run", name)), "the runtime directory made before it is removed again");
        assertEquals("in the way\n", Files.readString(file), "the file is left alone");
        assertEquals(0, h.terminate());
    }
}
