package dev.svcmgr.cli.e2e;

import dev.svcmgr.cli.Main;
import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code svcmgr simulate}, as a user drives it: offline with {@code --units}, and against a running
 * daemon, whose loaded definitions and current states it starts from and whose services it never touches.
 */
class SimulateTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private void units() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-simulate-"));
        h.unit("db.service.yaml", "exec: [/bin/sh, -c, 'echo >&3; exec sleep 1000']\nready: {fd: 3}\n"
                + "timeout-start: 90s\ntimeout-stop: 5s\n");
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [db.service]\nafter: [db.service]\n");
        h.unit("web.target.yaml", "wants: [api.service]\nafter: [api.service]\nallow-isolate: true\n");
    }

    private DaemonHarness.Cli offline(String... args) {
        List<String> a = new ArrayList<>(List.of("simulate"));
        a.addAll(List.of(args));
        a.add("--units");
        a.add(h.units.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), a.toArray(new String[0]));
        return new DaemonHarness.Cli(code, out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(DaemonHarness.Cli c) { return (Map<String, Object>) Json.parse(c.out()); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobOf(Map<String, Object> report, String unit, String job) {
        for (Object o : (List<Object>) report.get("jobs")) {
            Map<String, Object> j = (Map<String, Object>) o;
            if (unit.equals(j.get("unit")) && job.equals(j.get("job"))) return j;
        }
        throw new AssertionError("no " + job + " job of " + unit + " in " + report);
    }

    @Test
    @DisplayName("offline: a hanging database fails at its 90 s timeout at once in wall time, and the exit code says the request fails")
    void offlineHangAndExitCodes() throws Exception {
        units();
        long t0 = System.nanoTime();
        DaemonHarness.Cli c = offline("start", "api", "--hang", "db", "--json");
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, c.code(), c.toString());
        Map<String, Object> r = json(c);
        assertEquals(List.of("request", "ok", "finished", "duration-ms", "jobs", "failures", "final", "critical-chain", "gave-up"),
                new ArrayList<>(r.keySet()));
        assertEquals("start api.service", r.get("request"));
        assertEquals(false, r.get("ok"));
        assertEquals(95_000L, r.get("duration-ms"), "timeout-start 90 s, then SIGTERM ignored for timeout-stop 5 s");
        assertEquals("timeout", jobOf(r, "db.service", "start").get("result"));
        assertEquals(95_000L, jobOf(r, "db.service", "start").get("end-ms"));
        assertEquals("dependency", jobOf(r, "api.service", "start").get("result"));
        assertTrue(wallMs < 95_000, "simulated time, not wall time: " + wallMs + " ms");

        DaemonHarness.Cli ok = offline("start", "web.target", "--slow", "db=40s");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("Critical chain: web.target <- api.service <- db.service"), ok.out());
        assertTrue(ok.out().contains("Total: 40s 5ms"), ok.out()); // the fd readiness is polled every 5 ms
        assertTrue(ok.out().contains("The request would succeed."), ok.out());

        DaemonHarness.Cli fail = offline("start", "api", "--fail", "db=exec");
        assertEquals(1, fail.code(), fail.toString());
        assertTrue(fail.out().contains("db.service: exec (Stage: executing command / Error: No such file or directory"), fail.out());

        assertEquals(4, offline("start", "nope").code());
        assertEquals(4, offline("start", "api", "--hang", "nope").code());
        DaemonHarness.Cli bad = offline("start", "api", "--fail", "db=bogus");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("expected one of exec, exit-code, oom-kill, signal, timeout, watchdog"), bad.err());
        assertEquals(2, offline("start", "api", "--slow", "db").code());
        assertEquals(2, offline("reload", "api").code());
        DaemonHarness.Cli impossible = offline("start", "api", "--fail", "api=timeout");
        assertEquals(2, impossible.code(), impossible.toString());
        assertEquals("svcmgr simulate: refused: cannot simulate that: api.service cannot fail with timeout: a simple service"
                + " without ready: is up once spawned\n", impossible.err());
    }

    @Test
    @DisplayName("against a daemon: from its current state and loaded definitions; its own services are not touched")
    void againstADaemon() throws Exception {
        units();
        h.start("--target", "web.target");
        DaemonHarness.await("api active", java.time.Duration.ofSeconds(30),
                () -> h.cli("is-active", "api").code() == 0 && h.cli("is-active", "db").code() == 0);
        Object dbPid = json(h.cli("status", "db", "--json")).get("main-pid");
        Object apiPid = json(h.cli("status", "api", "--json")).get("main-pid");
        // edited on disk, not reloaded: the simulation uses what the daemon loaded (api requires db)
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\n");

        DaemonHarness.Cli c = h.cli("simulate", "restart", "db", "--hang", "db", "--json");
        assertEquals(1, c.code(), c.toString());
        Map<String, Object> r = json(c);
        assertEquals(0L, jobOf(r, "api.service", "stop").get("end-ms"), "api is active in the daemon: the restart stops it first");
        assertEquals("timeout", jobOf(r, "db.service", "start").get("result"));
        assertEquals("dependency", jobOf(r, "api.service", "start").get("result"));

        // nothing happened for real
        assertEquals(dbPid, json(h.cli("status", "db", "--json")).get("main-pid"));
        assertEquals(apiPid, json(h.cli("status", "api", "--json")).get("main-pid"));
        assertEquals(0, h.cli("is-active", "api").code());

        // the same with --units reads the edited files: api no longer needs db
        DaemonHarness.Cli off = offline("restart", "db", "--hang", "db", "--assume-active", "api", "--json");
        Map<String, Object> ro = json(off);
        assertFalse(off.out().contains("\"dependency\""), off.out());
        assertEquals("timeout", jobOf(ro, "db.service", "start").get("result"));

        DaemonHarness.Cli none = h.cli("simulate", "start", "ghost");
        assertEquals(4, none.code(), none.toString());
        assertEquals("svcmgr: unit ghost.service not found\n", none.err());
        DaemonHarness.Cli iso = h.cli("simulate", "isolate", "api");
        assertEquals(1, iso.code(), iso.toString());
        assertTrue(iso.err().contains("may not be isolated"), iso.err());
    }
}
