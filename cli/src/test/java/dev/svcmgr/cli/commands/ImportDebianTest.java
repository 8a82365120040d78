package dev.svcmgr.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.svcmgr.cli.Main;
import dev.svcmgr.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svcmgr import} on the unit files of real Debian packages (redis-server, nginx, postgresql,
 * memcached, openssh-server, cron; .ci/run installs them): each converts with exit 0, {@code verify}
 * (the command users run) accepts the output with no error, and the warnings name what did not carry
 * over. A package that is not installed is skipped, saying so.
 */
class ImportDebianTest {
    private static final Path SYSTEMD = Path.of("/lib/systemd/system");

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Imports the package's files (skipping the test when the package is missing) and checks verify; returns import's run. */
    private Run importAndVerify(String pkg, String... files) throws IOException {
        List<String> args = new ArrayList<>(List.of("import"));
        for (String f : files) {
            Path p = SYSTEMD.resolve(f);
            if (!Files.exists(p)) System.out.println("ImportDebianTest: " + p + " missing (package " + pkg + " not installed): skipped");
            assumeTrue(Files.exists(p), pkg + " not installed (" + p + " missing): skipped");
            args.add(p.toString());
        }
        Path out = tmp.resolve("units");
        args.addAll(List.of("--output", out.toString()));
        Run imp = run(args.toArray(new String[0]));
        assertEquals(0, imp.code(), imp.toString());
        for (String f : files) assertTrue(Files.isRegularFile(out.resolve(f + ".yaml")), f + ".yaml written: " + imp);
        Path std = standardTargets();
        Run v = run("verify", "--units", out.toString(), "--units", std.toString(), "--json");
        @SuppressWarnings("unchecked") Map<String, Object> doc = (Map<String, Object>) Json.parse(v.out());
        assertEquals(List.of(), doc.get("errors"), "verify accepts the converted " + pkg + " units:\n" + v.out());
        assertEquals(0, v.code(), v.toString());
        return imp;
    }

    /** The targets examples/units ships, plus network-online.target (a systemd name these units use; the user may define it). */
    private Path standardTargets() throws IOException {
        Path std = Files.createDirectories(tmp.resolve("std"));
        for (String t : List.of("multi-user", "network", "network-online", "sockets"))
            Files.writeString(std.resolve(t + ".target.yaml"), "description: " + t + "\n");
        return std;
    }

    private static void hasWarning(Run r, String file, String key, String text) {
        Pattern p = Pattern.compile("(?m)^" + Pattern.quote(SYSTEMD.resolve(file).toString()) + ":[0-9]+: " + Pattern.quote(key + "= " + text));
        assertTrue(p.matcher(r.err()).find(), "warning '" + key + "= " + text + "' for " + file + " in:\n" + r.err());
    }

    private String unit(String f) throws IOException {
        return Files.readString(tmp.resolve("units").resolve(f + ".yaml"));
    }

    @Test
    @DisplayName("redis-server: notify, user redis, /run/redis as runtime-directory, its sandbox settings warned one by one")
    void redis() throws IOException {
        Run r = importAndVerify("redis-server", "redis-server.service", "redis-server@.service");
        String y = unit("redis-server.service");
        for (String line : List.of("type: notify\n", "exec: [/usr/bin/redis-server, /etc/redis/redis.conf, --supervised, systemd, --daemonize, \"no\"]\n",
                "user: redis\n", "group: redis\n", "runtime-directory: [redis]\n", "directory-mode: \"2755\"\n", "umask: \"0007\"\n",
                "timeout-stop: infinity\n", "restart: always\n", "aliases: [redis.service]\n", "  nofile: 65535\n", "  private-tmp: true\n"))
            assertTrue(y.contains(line), line + " in\n" + y);
        assertTrue(!y.contains("pid-file"), y);
        hasWarning(r, "redis-server.service", "PIDFile", "not supported: svcmgr reads pid-file for type: forking only; type: notify");
        hasWarning(r, "redis-server.service", "ProtectSystem", "not supported: use sandbox: {read-only-paths: [/usr, /boot, /etc]}");
        hasWarning(r, "redis-server.service", "SystemCallFilter", "not supported: svcmgr's sandbox has no-new-privileges");
        hasWarning(r, "redis-server.service", "ReadWritePaths", "not supported: ");
        assertTrue(unit("redis-server@.service").contains("%i"), unit("redis-server@.service"));
    }

    @Test
    @DisplayName("nginx: forking with its pid file, the '-' of ExecStop= as ignore-failure, KillMode=mixed warned, restart: no as in systemd")
    void nginx() throws IOException {
        Run r = importAndVerify("nginx", "nginx.service");
        String y = unit("nginx.service");
        for (String line : List.of("type: forking\n", "pid-file: /run/nginx.pid\n", "restart: \"no\"\n", "timeout-stop: 5s\n",
                "exec: [/usr/sbin/nginx, -g, \"daemon on; master_process on;\"]\n", "    ignore-failure: true\n",
                "wants: [network-online.target]\n"))
            assertTrue(y.contains(line), line + " in\n" + y);
        hasWarning(r, "nginx.service", "KillMode", "not supported: svcmgr stops every process of the service (control-group); for mixed");
    }

    @Test
    @DisplayName("postgresql: the template keeps %i, %I is warned, '-' on ExecStart= and RequiresMountsFor= are warned")
    void postgresql() throws IOException {
        Run r = importAndVerify("postgresql", "postgresql.service", "postgresql@.service");
        String t = unit("postgresql@.service");
        assertTrue(t.contains("exec: [/usr/bin/pg_ctlcluster, --skip-systemctl-redirect, \"%i\", start]\n"), t);
        assertTrue(t.contains("pid-file: /run/postgresql/%i.pid\n") && t.contains("timeout-start: infinity\n"), t);
        assertTrue(unit("postgresql.service").contains("remain-after-exit: true\n"), unit("postgresql.service"));
        hasWarning(r, "postgresql@.service", "AssertPathExists", "%I (the unescaped instance) is written as %i");
        hasWarning(r, "postgresql@.service", "RequiresMountsFor", "not supported: svcmgr has no mount units");
        hasWarning(r, "postgresql@.service", "ExecStart", "not supported: the '-' prefix on ExecStart");
        hasWarning(r, "postgresql@.service", "OOMScoreAdjust", "not supported: ");
    }

    @Test
    @DisplayName("memcached: simple with restart always; PIDFile= of a simple service and its sandbox settings warned")
    void memcached() throws IOException {
        Run r = importAndVerify("memcached", "memcached.service");
        String y = unit("memcached.service");
        assertTrue(y.contains("restart: always\n") && y.contains("  no-new-privileges: true\n"), y);
        hasWarning(r, "memcached.service", "PIDFile", "not supported: svcmgr reads pid-file for type: forking only; type: simple");
        hasWarning(r, "memcached.service", "PrivateDevices", "not supported: ");
    }

    @Test
    @DisplayName("openssh-server: $SSHD_OPTS through /bin/sh -c, two ExecReload= chained, the socket on :22, the rescue target")
    void ssh() throws IOException {
        Run r = importAndVerify("openssh-server", "ssh.service", "ssh.socket", "rescue-ssh.target");
        String y = unit("ssh.service");
        assertTrue(y.contains("exec: [/bin/sh, -c, \"exec /usr/sbin/sshd -D $SSHD_OPTS\"]\n"), y);
        assertTrue(y.contains("exec-reload: [/bin/sh, -c, \"/usr/sbin/sshd -t && /bin/kill -HUP $MAINPID\"]\n"), y);
        assertTrue(y.contains("environment-file: [\"-/etc/default/ssh\"]\n") && y.contains("path-exists-not: [/etc/ssh/sshd_not_to_be_run]"), y);
        assertTrue(unit("ssh.socket").contains("  - tcp: \":22\"\n"), unit("ssh.socket"));
        assertTrue(unit("rescue-ssh.target").contains("allow-isolate: true\n"), unit("rescue-ssh.target"));
        hasWarning(r, "ssh.service", "ExecStart", "svcmgr does not expand $SSHD_OPTS: the command runs as /bin/sh -c");
        hasWarning(r, "ssh.service", "RestartPreventExitStatus", "not supported: ");
        hasWarning(r, "ssh.service", "KillMode", "not supported: ");
    }

    @Test
    @DisplayName("cron: $EXTRA_OPTS through /bin/sh -c with the optional environment file; IgnoreSIGPIPE= warned")
    void cron() throws IOException {
        Run r = importAndVerify("cron", "cron.service");
        String y = unit("cron.service");
        assertTrue(y.contains("exec: [/bin/sh, -c, \"exec /usr/sbin/cron -f $EXTRA_OPTS\"]\n") && y.contains("restart: on-failure\n"), y);
        hasWarning(r, "cron.service", "IgnoreSIGPIPE", "not supported: ");
    }

    @Test
    @DisplayName("--dry-run prints each file headed by its path and writes nothing; an existing file is kept without --force")
    void dryRunAndForce() throws IOException {
        Path src = Files.writeString(tmp.resolve("a.service"), "[Service]\nExecStart=/bin/true\n");
        Path out = tmp.resolve("out");
        Run d = run("import", src.toString(), "--output", out.toString(), "--dry-run");
        assertEquals(0, d.code(), d.toString());
        assertEquals("# " + out.resolve("a.service.yaml") + "\n# converted by svcmgr import from " + src + "\nexec: [/bin/true]\nrestart: \"no\"\n",
                d.out());
        assertTrue(!Files.exists(out), "nothing written");
        assertEquals(0, run("import", src.toString(), "--output", out.toString()).code());
        Files.writeString(out.resolve("a.service.yaml"), "edited\n");
        Run again = run("import", src.toString(), "--output", out.toString());
        assertEquals(1, again.code());
        assertEquals("svcmgr import: " + out.resolve("a.service.yaml") + " exists; not overwritten (use --force to replace it)\n", again.err());
        assertEquals("edited\n", Files.readString(out.resolve("a.service.yaml")));
        assertEquals(0, run("import", src.toString(), "--output", out.toString(), "--force").code());
        assertTrue(Files.readString(out.resolve("a.service.yaml")).contains("exec: [/bin/true]"));
        Run bad = run("import", tmp.resolve("nope.service").toString(), "--output", out.toString());
        assertEquals(1, bad.code());
        assertEquals("svcmgr import: " + tmp.resolve("nope.service") + ": cannot read: no such file\n", bad.err());
        assertEquals(2, run("import").code(), "no FILE is a usage error");
    }
}
