package dev.svcmgr.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.svcmgr.cli.Main;
import dev.svcmgr.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Debian's own redis-server and nginx unit files, converted by {@code svcmgr import} as users run it and
 * kept exactly as written, run under a real daemon (issue 15's done-when): redis as user redis with
 * /run/redis made for it, active only once it says READY=1 over sd_notify; nginx forking, its main PID the
 * one in its pid file. Ports and the nginx configuration are adapted through drop-ins only. Skipped,
 * saying so, without the packages or without root (user: redis needs it).
 */
class ImportRunTest {
    private static final Duration T = Duration.ofSeconds(60);
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private static void need(boolean ok, String why) {
        if (!ok) System.out.println("ImportRunTest: skipped: " + why);
        assumeTrue(ok, why);
    }

    private static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code svcmgr import FILE --output DIR} through Main, as users run it; the converted file's text. */
    private String importUnit(String file) throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "import", file, "--output", h.units.toString());
        assertEquals(0, code, out + "\n" + err);
        return Files.readString(h.units.resolve(Path.of(file).getFileName() + ".yaml"));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "(timed out)";
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private Map<String, Object> status(String unit) {
        DaemonHarness.Cli s = h.cli("status", unit, "--json");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(s.out());
        return m;
    }

    private static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    private static String statusLine(long pid, String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (l.startsWith(field + ":")) return l.substring(field.length() + 1).trim();
        return null;
    }

    @Test
    @DisplayName("Debian's redis-server.service converted runs as user redis, /run/redis made for it, ready by sd_notify, answers PING, stops cleanly")
    void redisRunsAsConverted() throws Exception {
        Path unit = Path.of("/lib/systemd/system/redis-server.service");
        need(Files.exists(unit) && Files.isExecutable(Path.of("/usr/bin/redis-server")) && Files.isExecutable(Path.of("/usr/bin/redis-cli")),
                "redis-server and redis-tools not installed");
        need(root(), "not root (the unit runs as user redis)");
        need(!Files.exists(Path.of("/run/redis")), "/run/redis exists: a redis may be running here; not touching it");
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-import-redis-"));
        String yaml = importUnit(unit.toString());
        assertTrue(yaml.contains("type: notify\n") && yaml.contains("runtime-directory: [redis]\n") && yaml.contains("user: redis\n"), yaml);
        int port = freePort();
        Path sock = Path.of("/run/redis/svcmgr-test-" + port + ".sock");
        // the packaged command line, plus a free port and a socket of the test's own (not the standard 6379) and no saving
        Files.createDirectories(h.units.resolve("redis-server.service.d"));
        Files.writeString(h.units.resolve("redis-server.service.d/test-port.yaml"),
                "exec: [/usr/bin/redis-server, /etc/redis/redis.conf, --supervised, systemd, --daemonize, \"no\", --port, \"" + port
                        + "\", --unixsocket, " + sock + ", --save, \"\", --appendonly, \"no\", --logfile, \"\"]\n"
                        // LimitNOFILE=65535 as converted, unless this machine's hard limit is lower (a container's): as high as it allows
                        + (hardNofile() < 65535 ? "limits: {nofile: " + hardNofile() + "}\n" : ""));
        h.start("--no-boot");

        DaemonHarness.Cli start = h.cli("start", "redis-server");
        assertEquals(0, start.code(), start + DaemonHarness.read(h.stderr) + log(h));
        // start returns when the job is done: for type notify, on READY=1, so redis answers at once
        assertEquals("PONG", run("redis-cli", "-s", sock.toString(), "ping"));
        assertEquals("PONG", run("redis-cli", "-p", String.valueOf(port), "ping"));
        Map<String, Object> st = status("redis-server");
        assertEquals("active", st.get("active"), st.toString());
        long pid = ((Number) st.get("main-pid")).longValue();
        String uid = run("id", "-u", "redis");
        assertTrue(statusLine(pid, "Uid").startsWith(uid + "\t"), "main process runs as redis: " + statusLine(pid, "Uid"));
        assertEquals(uid, String.valueOf(Files.getAttribute(Path.of("/run/redis"), "unix:uid")), "/run/redis owned by redis");
        String log = DaemonHarness.read(h.logs.resolve("redis-server.service.log"));
        assertTrue(log.contains("Supervised by systemd"), "redis saw NOTIFY_SOCKET and chose sd_notify: " + log);
        assertTrue(!log.contains("systemd supervision error"), "every sd_notify reached the manager: " + log);
        assertEquals(0, h.cli("is-active", "redis.service").code(), "the alias from [Install] Alias=");

        DaemonHarness.Cli stop = h.cli("stop", "redis-server");
        assertEquals(0, stop.code(), stop.toString());
        DaemonHarness.await("redis's main process to exit", T, () -> !alive(pid));
        assertEquals("inactive\n", h.cli("is-active", "redis-server").out());
        assertTrue(log(h).contains("ready to exit, bye bye") || log(h).contains("Redis is now ready to exit"), log(h));
        DaemonHarness.await("/run/redis removed after the stop", T, () -> !Files.exists(Path.of("/run/redis")));
        assertEquals(0, h.terminate());
    }

    /** This process's hard limit of open files (an unprivileged container caps it; even root cannot raise it). */
    private static long hardNofile() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/limits")))
            if (l.startsWith("Max open files")) {
                String[] f = l.substring("Max open files".length()).trim().split("\\s+");
                return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
            }
        return Long.MAX_VALUE;
    }

    private static String log(DaemonHarness h) {
        return DaemonHarness.read(h.logs.resolve("redis-server.service.log"));
    }

    @Test
    @DisplayName("Debian's nginx.service converted runs forking with its pid file (main PID = the file's), serves a request, stops by its ExecStop")
    void nginxRunsAsConverted() throws Exception {
        Path unit = Path.of("/lib/systemd/system/nginx.service");
        need(Files.exists(unit) && Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx not installed");
        need(root(), "not root (nginx binds and drops privileges as root)");
        need(!Files.exists(Path.of("/run/nginx.pid")), "/run/nginx.pid exists: an nginx may be running here; not touching it");
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-import-nginx-"));
        String yaml = importUnit(unit.toString());
        assertTrue(yaml.contains("type: forking\n") && yaml.contains("pid-file: /run/nginx.pid\n"), yaml);
        int port = freePort();
        Path conf = h.base.resolve("nginx.conf");
        Files.writeString(conf, "pid /run/nginx.pid;\nerror_log " + h.base.resolve("nginx-error.log") + ";\nworker_processes 1;\n"
                + "events { worker_connections 64; }\nhttp {\n  access_log off;\n  server {\n    listen 127.0.0.1:" + port + ";\n"
                + "    location / { return 200 \"svcmgr imported nginx\\n\"; }\n  }\n}\n");
        // the packaged commands with '-c' for the test's configuration: the list reset first (systemd's empty ExecStartPre=), then set
        Path d = Files.createDirectories(h.units.resolve("nginx.service.d"));
        Files.writeString(d.resolve("10-reset.yaml"), "exec-start-pre: []\n");
        String g = "\"daemon on; master_process on;\"";
        Files.writeString(d.resolve("20-config.yaml"), "exec-start-pre: [[/usr/sbin/nginx, -t, -q, -c, " + conf + ", -g, " + g + "]]\n"
                + "exec: [/usr/sbin/nginx, -c, " + conf + ", -g, " + g + "]\n"
                + "exec-reload: [/usr/sbin/nginx, -c, " + conf + ", -g, " + g + ", -s, reload]\n");
        h.start("--no-boot");

        DaemonHarness.Cli start = h.cli("start", "nginx");
        assertEquals(0, start.code(), start + DaemonHarness.read(h.stderr) + DaemonHarness.read(h.logs.resolve("nginx.service.log")));
        Map<String, Object> st = status("nginx");
        assertEquals("active", st.get("active"), st.toString());
        assertNotNull(st.get("main-pid"), st.toString());
        long pid = ((Number) st.get("main-pid")).longValue();
        assertEquals(Files.readString(Path.of("/run/nginx.pid")).trim(), String.valueOf(pid), "main PID is the pid file's");
        assertTrue(run("cat", "/proc/" + pid + "/cmdline").startsWith("nginx: master process"), "the master is the main process");

        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        assertEquals(200, c.getResponseCode());
        assertEquals("svcmgr imported nginx\n", new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        assertEquals(0, h.cli("reload", "nginx").code(), "ExecReload= as converted");
        assertEquals("active\n", h.cli("is-active", "nginx").out());
        assertEquals(pid, ((Number) status("nginx").get("main-pid")).longValue(), "a reload keeps the master");

        DaemonHarness.Cli stop = h.cli("stop", "nginx");
        assertEquals(0, stop.code(), stop.toString());
        DaemonHarness.await("nginx's master to exit", T, () -> !alive(pid));
        assertEquals("inactive\n", h.cli("is-active", "nginx").out());
        DaemonHarness.await("the port closed", T, () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
        assertTrue(!Files.exists(Path.of("/run/nginx.pid")), "nginx removed its pid file on the QUIT from ExecStop");
        assertEquals(0, h.terminate());
    }
}
