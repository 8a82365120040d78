package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, the files half: each defect attacked through a real daemon with real second accounts
 * (made here with {@code useradd} and removed with {@code userdel -r}; processes run as them through
 * {@code setpriv}), checking that the attack fails and everything else keeps running.
 * docs/security.md describes the rules these tests hold the daemon to.
 */
class SecurityFilesTest {
    /** A throw-away account. */
    record Account(String name, int uid, int gid) {}

    /** In the default log group {@code adm}. */
    static Account member;
    /** The user a unit runs as; in no extra group. */
    static Account runner;
    /** The test classpath, copied where other users may read it (jars in /root/.m2 are root's alone). */
    static Path sharedClasspath;
    static final int NOBODY = 65534;

    @BeforeAll
    static void accounts() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root to make accounts and run processes as them");
        for (String tool : List.of("/usr/bin/setpriv", "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/python3")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool);
        }
        member = account("-G", "adm");
        runner = account();
        sharedClasspath = copyClasspath();
    }

    @AfterAll
    static void removeAccounts() throws Exception {
        for (Account a : new Account[] {member, runner}) {
            if (a != null) run(List.of("/usr/sbin/userdel", "-r", a.name()), Duration.ofSeconds(30));
        }
        if (sharedClasspath != null) deleteTree(sharedClasspath.getParent());
    }

    private static Account account(String... extra) throws Exception {
        String name = "svct" + (100000 + ThreadLocalRandom.current().nextInt(900000));
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/useradd", "-m", "-s", "/bin/sh"));
        cmd.addAll(List.of(extra));
        cmd.add(name);
        Result r = run(cmd, Duration.ofSeconds(30));
        assertEquals(0, r.code(), "useradd: " + r);
        int uid = Integer.parseInt(run(List.of("id", "-u", name), Duration.ofSeconds(10)).out().trim());
        int gid = Integer.parseInt(run(List.of("id", "-g", name), Duration.ofSeconds(10)).out().trim());
        return new Account(name, uid, gid);
    }

    private static Path copyClasspath() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-cp-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : DaemonHarness.classpath().split(":")) {
            Path src = Path.of(e);
            if (!Files.exists(src) || e.contains("junit") || e.contains("opentest4j") || e.contains("apiguardian")) continue;
            Path dst = base.resolve((i++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        run(List.of("chmod", "-R", "a+rX", base.toString()), Duration.ofSeconds(30));
        return writeCp(base, entries);
    }

    private static Path writeCp(Path base, List<String> entries) throws IOException {
        Path f = base.resolve("classpath");
        Files.writeString(f, String.join(":", entries));
        return f;
    }

    private static String classpathForOthers() throws IOException { return Files.readString(sharedClasspath); }

    // ------------------------------------------------------------ processes

    record Result(int code, String out, String err) {
        @Override
        public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    static Result run(List<String> cmd, Duration limit) throws Exception {
        return run(cmd, limit, Map.of());
    }

    static Result run(List<String> cmd, Duration limit, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + limit.toSeconds() + "s: " + cmd);
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String slurp(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code setpriv} arguments that make the rest run as {@code a} (with its groups). */
    static List<String> as(Account a) {
        return List.of("/usr/bin/setpriv", "--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups");
    }

    static List<String> asNobody() {
        return List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
    }

    /** The svcmgr CLI, run as another user ({@code who} is a setpriv prefix). */
    static Result cliAs(List<String> who, Path runtime, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(who);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classpathForOthers(), "dev.svcmgr.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--runtime-dir", runtime.toString()));
        return run(cmd, Duration.ofSeconds(60));
    }

    private static final String PY = "import socket,sys\n"
            + "s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b'\\n')\n"
            + "sys.stdout.write(s.makefile().read())\n";

    /** One request over the socket from another user; every reply line. */
    static List<Map<String, Object>> requestAs(List<String> who, Path runtime, String request) throws Exception {
        List<String> cmd = new ArrayList<>(who);
        cmd.addAll(List.of("/usr/bin/python3", "-c", PY, runtime.resolve("control.sock").toString(), request));
        Result r = run(cmd, Duration.ofSeconds(30));
        assertEquals(0, r.code(), r.toString());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : r.out().split("\n")) if (!l.isBlank()) out.add(Json.parseObject(l));
        return out;
    }

    /** One request over the socket from this process; the first reply line. */
    static Map<String, Object> request(Path runtime, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(runtime.resolve("control.sock")));
            c.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            return Json.parseObject(in.readLine());
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String group(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName();
    }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(x);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    static DaemonHarness harness(String name) throws IOException {
        return new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sec-" + name + "-"));
    }

    /** Runs {@code svcmgr daemon} with {@code args} and waits for it to end (a refusal ends it at once). */
    static Result daemonRefusal(List<String> prefix, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", prefix.isEmpty() ? DaemonHarness.classpath()
                        : classpathForOthers(), "dev.svcmgr.cli.Main"));
        cmd.addAll(args);
        return run(cmd, Duration.ofSeconds(60), env);
    }

    /** The daemon's error: exactly one line, naming {@code dir} and saying {@code why}. */
    static void refusedNaming(Result r, Path dir, String why) {
        assertEquals(1, r.code(), r.toString());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + r);
        assertTrue(err.startsWith("svcmgr: refusing ") && err.contains(dir.toString()) && err.contains(why), r.toString());
    }

    // ------------------------------------------------------------ defect 1

    @Nested
    @DisplayName("runtime, state and log dirs another user could write are refused (defect 1)")
    class Directories {
        @Test
        @DisplayName("a runtime dir owned by another user: exit 1 with one line naming it; the planted .tmp symlink is not written through")
        void aRuntimeDirOwnedByAnotherUserIsRefused() throws Exception {
            try (DaemonHarness h = harness("owner")) {
                h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
                Files.createDirectory(h.runtime);
                Files.setAttribute(h.runtime, "unix:uid", runner.uid());
                Path victim = Files.writeString(h.base.resolve("victim"), "untouched\n");
                Files.createSymbolicLink(h.runtime.resolve(".state.json.tmp"), victim);
                Result r = daemonRefusal(List.of(), h.daemonArgs(), Map.of());
                refusedNaming(r, h.runtime, "owned by uid " + runner.uid() + ", not by this daemon's uid 0");
                assertEquals("untouched\n", Files.readString(victim));
                assertFalse(Files.exists(h.runtime.resolve("control.sock")));
            }
        }

        @Test
        @DisplayName("a runtime dir that is a symlink, and group- or other-writable state and log dirs, are refused")
        void symlinksAndWritableDirsAreRefused() throws Exception {
            try (DaemonHarness h = harness("modes")) {
                h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
                Path elsewhere = Files.createDirectory(h.base.resolve("elsewhere"));
                Files.createSymbolicLink(h.runtime, elsewhere);
                refusedNaming(daemonRefusal(List.of(), h.daemonArgs(), Map.of()), h.runtime, "it is a symbolic link");
                Files.delete(h.runtime);

                Files.createDirectory(h.state);
                Files.setPosixFilePermissions(h.state, PosixFilePermissions.fromString("rwxrwxr-x"));
                refusedNaming(daemonRefusal(List.of(), h.daemonArgs(), Map.of()), h.state, "writable by group");
                Files.setPosixFilePermissions(h.state, PosixFilePermissions.fromString("rwx------"));

                Files.createDirectory(h.logs);
                Files.setPosixFilePermissions(h.logs, PosixFilePermissions.fromString("rwxr-xrwx"));
                refusedNaming(daemonRefusal(List.of(), h.daemonArgs(), Map.of()), h.logs, "writable by others");
                Files.setPosixFilePermissions(h.logs, PosixFilePermissions.fromString("rwxr-x---"));

                h.start(); // the same dirs, now safe: the daemon runs
                assertEquals(0, h.cli("start", "a").code());
                assertEquals("active\n", h.cli("is-active", "a").out());
                assertEquals(0, h.terminate());
            }
        }

        @Test
        @DisplayName("a non-root daemon refuses /tmp/svcmgr-$UID made first by another user, and makes its own 0755 otherwise")
        void anUnprivilegedDaemonRefusesAPreMadeDefaultRuntimeDir() throws Exception {
            Path units = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sec-units-");
            Path rt = Path.of("/tmp/svcmgr-" + runner.uid());
            Process daemon = null;
            try {
                Files.setPosixFilePermissions(units, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.writeString(units.resolve("a.service.yaml"), "exec: [/bin/sleep, '1000']\n");
                Files.writeString(units.resolve("default.target.yaml"), "wants: [a.service]\n");
                Map<String, String> env = Map.of("HOME", "/home/" + runner.name(), "XDG_RUNTIME_DIR", "", "SVCMGR_RUNTIME_DIR", "");
                List<String> args = List.of("env", "-u", "XDG_RUNTIME_DIR", "-u", "SVCMGR_RUNTIME_DIR", "-u", "XDG_STATE_HOME");
                deleteTree(rt);
                Files.createDirectory(rt); // the attacker (root here, but "another uid" all the same) was first
                Files.setPosixFilePermissions(rt, PosixFilePermissions.fromString("rwxr-xr-x"));
                List<String> prefix = new ArrayList<>(as(runner));
                prefix.addAll(args);
                Result r = daemonRefusal(prefix, List.of("daemon", "--units", units.toString()), env);
                refusedNaming(r, rt, "owned by uid 0, not by this daemon's uid " + runner.uid());
                assertFalse(Files.exists(rt.resolve("control.sock")));

                deleteTree(rt); // now the name is free: the daemon makes it, its own, 0755
                List<String> cmd = new ArrayList<>(prefix);
                cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classpathForOthers(), "dev.svcmgr.cli.Main",
                        "daemon", "--units", units.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(units.resolve("daemon.out").toFile());
                pb.environment().putAll(env);
                daemon = pb.start();
                Process d = daemon;
                DaemonHarness.await("the unprivileged daemon's socket", Duration.ofSeconds(60), () -> {
                    if (!d.isAlive()) throw new AssertionError("daemon exited: " + DaemonHarness.read(units.resolve("daemon.out")));
                    try {
                        return Boolean.TRUE.equals(request(rt, "{\"v\":1,\"verb\":\"ping\"}").get("ok"));
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                });
                assertEquals(runner.uid(), Files.getAttribute(rt, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                assertEquals("rwxr-xr-x", mode(rt));
                assertEquals("rw-rw-rw-", mode(rt.resolve("control.sock")));
                Path state = Path.of("/home/" + runner.name() + "/.local/state/svcmgr");
                assertEquals("rwx------", mode(state));
                assertEquals("rwxr-x---", mode(state.resolve("log")));
                daemon.destroy(); // SIGTERM
                assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, daemon.exitValue(), DaemonHarness.read(units.resolve("daemon.out")));
            } finally {
                if (daemon != null && daemon.isAlive()) daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                deleteTree(rt);
                deleteTree(units);
            }
        }

        @Test
        @DisplayName("state, records and choices are replaced through fresh temporary files: symlinks at the old names are not followed")
        void temporaryFilesNeverWriteThroughSymlinks() throws Exception {
            try (DaemonHarness h = harness("tmp")) {
                h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
                h.unit("default.target.yaml", "wants: [a.service]\n");
                h.start();
                DaemonHarness.await("state.json", Duration.ofSeconds(30), () -> Files.exists(h.runtime.resolve("state.json")));
                Path v1 = Files.writeString(h.base.resolve("victim1"), "untouched\n");
                Path v2 = Files.writeString(h.base.resolve("victim2"), "untouched\n");
                Path v3 = Files.writeString(h.base.resolve("victim3"), "untouched\n");
                Path v4 = Files.writeString(h.base.resolve("victim4"), "untouched\n");
                Files.createSymbolicLink(h.runtime.resolve(".state.json.tmp"), v1);
                DaemonHarness.await("the records journal", Duration.ofSeconds(30), () -> Files.exists(h.runtime.resolve("services/journal")));
                Files.delete(h.runtime.resolve("services/journal"));
                Files.createSymbolicLink(h.runtime.resolve("services/journal"), v2);
                Files.createSymbolicLink(h.state.resolve(".choices.json.tmp"), v3);
                Files.delete(h.runtime.resolve("state.json"));
                Files.createSymbolicLink(h.runtime.resolve("state.json"), v4);
                assertEquals(0, h.cli("restart", "a").code());
                assertEquals(0, h.cli("disable", "a").code());
                DaemonHarness.await("state.json written again", Duration.ofSeconds(30),
                        () -> !Files.isSymbolicLink(h.runtime.resolve("state.json")) && Files.exists(h.runtime.resolve("state.json")));
                for (Path v : List.of(v1, v2, v3, v4)) assertEquals("untouched\n", Files.readString(v), v.toString());
                assertEquals("rw-------", mode(h.runtime.resolve("state.json")));
                DaemonHarness.await("the journal written again", Duration.ofSeconds(30),
                        () -> !Files.isSymbolicLink(h.runtime.resolve("services/journal")) && Files.exists(h.runtime.resolve("services/journal")));
                assertEquals("rw-------", mode(h.runtime.resolve("services/journal")));
                assertEquals("rw-------", mode(h.state.resolve("choices.json")));
                assertEquals("active\n", h.cli("is-active", "a").out());
                assertEquals(0, h.terminate());
            }
        }
    }

    // ------------------------------------------------------------ defect 6

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("logs and unit-file problems reach only those who may read them (defect 6)")
    class WhoReadsWhat {
        DaemonHarness h;

        @BeforeAll
        void start() throws Exception {
            h = harness("logs");
            h.unit("secret.service.yaml", "exec: [/bin/sh, -c, 'echo TOPSECRET-LOG; exec sleep 1000']\n");
            h.unit("mine.service.yaml", "exec: [/bin/sh, -c, 'echo RUNNER-LOG; exec sleep 1000']\nuser: " + runner.name() + "\n");
            // a link to the unit's own file elsewhere (same name), a file only root may read
            Path secret = Files.writeString(Files.createDirectory(h.base.resolve("private")).resolve("c.service.yaml"),
                    "password: hunter2\nrestart: sometimes\nexec: /bin/true\n");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.createSymbolicLink(h.units.resolve("c.service.yaml"), secret);
            h.unit("default.target.yaml", "wants: [secret.service, mine.service]\n");
            h.start();
            DaemonHarness.await("both logs", Duration.ofSeconds(30), () -> h.cli("logs", "secret").out().contains("TOPSECRET-LOG")
                    && h.cli("logs", "mine").out().contains("RUNNER-LOG"));
        }

        @AfterAll
        void stop() throws Exception {
            if (h != null) h.close();
        }

        private List<Map<String, Object>> logs(List<String> who, String unit) throws Exception {
            return requestAs(who, h.runtime, "{\"v\":1,\"verb\":\"logs\",\"units\":[\"" + unit + "\"],\"lines\":10}");
        }

        private void denied(List<Map<String, Object>> reply) {
            assertEquals(Boolean.FALSE, reply.get(0).get("ok"), reply.toString());
            assertTrue(String.valueOf(reply.get(0).get("error")).startsWith("permission denied: the logs of "), reply.toString());
            assertFalse(reply.toString().contains("TOPSECRET") || reply.toString().contains("RUNNER-LOG"), reply.toString());
        }

        @Test
        @DisplayName("nobody cannot read a root service's logs, nor another user's; the unit's own user reads its own")
        void logsOverTheSocket() throws Exception {
            denied(logs(asNobody(), "secret.service"));
            denied(logs(asNobody(), "mine.service"));
            denied(logs(as(runner), "secret.service"));
            assertTrue(logs(as(runner), "mine.service").toString().contains("RUNNER-LOG"));
            assertEquals("active\n", h.cli("is-active", "secret").out());
        }

        @Test
        @DisplayName("a member of the log group (adm) reads every log, over the socket and from the 0640 files directly")
        void theLogGroupReadsEverything() throws Exception {
            assertTrue(logs(as(member), "secret.service").toString().contains("TOPSECRET-LOG"));
            Path f = h.logs.resolve("secret.service.log");
            assertEquals("rw-r-----", mode(f));
            assertEquals("adm", group(f));
            assertEquals("rwxr-x---", mode(h.logs));
            assertEquals("adm", group(h.logs));
            List<String> cat = new ArrayList<>(as(member));
            cat.addAll(List.of("/bin/cat", f.toString()));
            assertTrue(run(cat, Duration.ofSeconds(30)).out().contains("TOPSECRET-LOG"));
            List<String> nobodyCat = new ArrayList<>(asNobody());
            nobodyCat.addAll(List.of("/bin/cat", f.toString()));
            Result r = run(nobodyCat, Duration.ofSeconds(30));
            assertTrue(r.code() != 0 && !r.out().contains("TOPSECRET"), r.toString());
        }

        @Test
        @DisplayName("status shows nobody no log lines (one line says why), and a member of the log group the lines")
        void statusHidesLogLines() throws Exception {
            Result r = cliAs(asNobody(), h.runtime, "status", "secret");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("Active: active"), r.toString());
            assertFalse(r.out().contains("TOPSECRET"), r.toString());
            assertTrue(r.out().contains("Logs not shown:"), r.toString());
            Result m = cliAs(as(member), h.runtime, "status", "secret");
            assertTrue(m.out().contains("TOPSECRET-LOG"), m.toString());
            Result lg = cliAs(asNobody(), h.runtime, "logs", "secret");
            assertEquals(1, lg.code(), lg.toString());
            assertTrue(lg.err().contains("permission denied"), lg.toString());
        }

        @Test
        @DisplayName("a unit symlinked to a root-only file: status to nobody quotes none of its content, root sees it all")
        void problemsOfUnreadableFilesQuoteNothing() throws Exception {
            Result r = cliAs(asNobody(), h.runtime, "status", "c");
            String all = r.out() + r.err();
            for (String secret : List.of("hunter2", "password", "sometimes")) assertFalse(all.contains(secret), all);
            assertTrue(all.contains("details hidden"), all);
            Result json = cliAs(asNobody(), h.runtime, "status", "c", "--json");
            assertFalse(json.out().contains("hunter2") || json.out().contains("password"), json.toString());
            DaemonHarness.Cli root = h.cli("status", "c");
            assertTrue(root.out().contains("unknown key 'password'"), root.toString());
            List<Map<String, Object>> plan = requestAs(asNobody(), h.runtime,
                    "{\"v\":1,\"verb\":\"plan\",\"plan-verb\":\"start\",\"units\":[\"c.service\"]}");
            assertFalse(plan.toString().contains("hunter2") || plan.toString().contains("password"), plan.toString());
        }
    }
}
