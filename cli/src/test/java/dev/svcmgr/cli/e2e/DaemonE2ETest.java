package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager end to end: a real daemon process, real services, the real CLI. */
class DaemonE2ETest {
    private DaemonHarness d;

    private DaemonHarness harness() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-e2e-");
        d = new DaemonHarness(base);
        return d;
    }

    @AfterEach
    void stop() throws Exception {
        if (d != null) d.close();
    }

    /** A service that records its start (exec-start-pre) and stop (exec-stop) in {@code trace}, then sleeps. */
    private static String traced(Path trace, String name, String extra) {
        return "description: traced " + name + "\n"
                + "exec-start-pre: [[/bin/sh, -c, 'echo start " + name + " >> " + trace + "']]\n"
                + "exec: [/bin/sleep, '2147483647']\n"
                + "exec-stop: [[/bin/sh, -c, 'echo stop " + name + " >> " + trace + "; kill $MAINPID']]\n"
                + extra;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(DaemonHarness.Cli c) {
        return (Map<String, Object>) Json.parse(c.out());
    }

    @Test
    @DisplayName("boot brings the target up, status and list-units show it, SIGTERM stops every unit in reverse order")
    void bootAndOrderedShutdown() throws Exception {
        DaemonHarness h = harness();
        Path trace = h.base.resolve("trace");
        // db <- cache, db <- api <- web ; log is independent
        h.unit("db.service.yaml", traced(trace, "db", ""));
        h.unit("cache.service.yaml", traced(trace, "cache", "requires: [db.service]\n"));
        h.unit("api.service.yaml", traced(trace, "api", "requires: [db.service, cache.service]\n"));
        h.unit("web.service.yaml", traced(trace, "web", "requires: [api.service]\n"));
        h.unit("log.service.yaml", traced(trace, "log", ""));
        h.unit("multi-user.target.yaml", "description: Multi-user\nwants: [web.service, log.service]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.Cli running = h.cli("is-system-running", "--wait");
        assertEquals(0, running.code(), running.toString());
        assertEquals("running\n", running.out());
        for (String u : List.of("db", "cache", "api", "web", "log")) {
            DaemonHarness.Cli c = h.cli("is-active", u);
            assertEquals("active\n", c.out(), u + ": " + c);
        }
        DaemonHarness.Cli list = h.cli("list-units", "--json");
        assertEquals(0, list.code());
        List<Object> units = (List<Object>) Json.parse(list.out());
        assertEquals(6, units.size(), list.out());
        DaemonHarness.Cli st = h.cli("status", "api", "--json");
        Map<String, Object> api = json(st);
        for (String k : List.of("unit", "load", "active", "sub", "result", "main-pid", "since", "description", "fragment-path")) {
            assertTrue(api.containsKey(k), "status --json lacks " + k + ": " + st.out());
        }
        assertEquals("running", api.get("sub"));
        assertTrue(api.get("main-pid") instanceof Long);
        assertTrue(((Number) api.get("memory-bytes")).longValue() > 0, st.out());
        assertTrue(((Number) api.get("tasks")).longValue() >= 1, st.out());
        assertTrue(h.cli("status", "api").out().contains("     Memory: "), h.cli("status", "api").out());
        assertEquals(0, h.terminate());
        List<String> lines = Files.readAllLines(trace);
        assertOrdered(lines, "start db", "start cache", "start api", "start web");
        assertOrdered(lines, "stop web", "stop api", "stop cache", "stop db");
        assertTrue(lines.contains("stop log"), lines.toString());
        assertTrue(DaemonHarness.read(h.stdout).contains("[  OK  ] Started api.service - traced api"), DaemonHarness.read(h.stdout));
    }

    private static void assertOrdered(List<String> lines, String... inOrder) {
        int last = -1;
        for (String s : inOrder) {
            int i = lines.indexOf(s);
            assertTrue(i > last, s + " out of order in " + lines);
            last = i;
        }
    }

    private void twoTargets(DaemonHarness h, Path trace) throws Exception {
        h.unit("db.service.yaml", traced(trace, "db", ""));
        h.unit("web.service.yaml", traced(trace, "web", "requires: [db.service]\n"));
        h.unit("sshd.service.yaml", traced(trace, "sshd", ""));
        h.unit("multi-user.target.yaml", "allow-isolate: true\nwants: [web.service, sshd.service]\n");
        h.unit("rescue.target.yaml", "allow-isolate: true\nwants: [sshd.service]\n");
    }

    @Test
    @DisplayName("isolate rescue and back moves only the difference: what stays keeps its process")
    void isolateMovesOnlyTheDifference() throws Exception {
        DaemonHarness h = harness();
        Path trace = h.base.resolve("trace");
        twoTargets(h, trace);
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        Object sshdPid = json(h.cli("status", "sshd", "--json")).get("main-pid");
        DaemonHarness.Cli iso = h.cli("isolate", "rescue.target");
        assertEquals(0, iso.code(), iso.toString());
        assertEquals("inactive\n", h.cli("is-active", "web").out());
        assertEquals("inactive\n", h.cli("is-active", "db").out());
        assertEquals(sshdPid, json(h.cli("status", "sshd", "--json")).get("main-pid"));
        DaemonHarness.Cli back = h.cli("isolate", "multi-user.target");
        assertEquals(0, back.code(), back.toString());
        assertEquals("active\n", h.cli("is-active", "web").out());
        assertEquals(sshdPid, json(h.cli("status", "sshd", "--json")).get("main-pid"));
        List<String> lines = Files.readAllLines(trace);
        assertEquals(1, lines.stream().filter("start sshd"::equals).count(), lines.toString());
        assertEquals(2, lines.stream().filter("start web"::equals).count(), lines.toString());
    }

    @Test
    @DisplayName("a failing requirement fails the start with dependency, names the unit, and why explains it")
    void failurePropagation() throws Exception {
        DaemonHarness h = harness();
        h.unit("db.service.yaml", "type: oneshot\nexec: [/bin/sh, -c, 'exit 3']\n");
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [db.service]\n");
        h.start("--no-boot");
        DaemonHarness.Cli c = h.cli("start", "api");
        assertEquals(1, c.code(), c.toString());
        assertTrue(c.err().contains("db.service"), c.err());
        assertEquals("failed\n", h.cli("is-active", "db").out());
        DaemonHarness.Cli why = h.cli("why", "api", "--json");
        Map<String, Object> w = json(why);
        assertEquals("api.service", w.get("unit"));
        List<Map<String, Object>> chain = (List<Map<String, Object>>) w.get("chain");
        assertEquals("db.service", chain.get(chain.size() - 1).get("unit"), why.out());
        assertTrue(chain.get(0).get("reason").toString().contains("dependency db.service failed"), why.out());
        DaemonHarness.Cli sys = h.cli("is-system-running");
        assertEquals("degraded\n", sys.out());
        assertEquals(1, sys.code());
    }

    @Test
    @DisplayName("two quick isolates end in the second target; the first request says it was replaced")
    void twoQuickIsolates() throws Exception {
        DaemonHarness h = harness();
        Path trace = h.base.resolve("trace");
        h.unit("slow.service.yaml", "exec: [/bin/sleep, '1000']\nready: {path: " + h.base.resolve("never") + "}\ntimeout-start: 60s\n");
        h.unit("a.target.yaml", "allow-isolate: true\nrequires: [slow.service]\n");
        h.unit("sshd.service.yaml", traced(trace, "sshd", ""));
        h.unit("b.target.yaml", "allow-isolate: true\nwants: [sshd.service]\n");
        h.start("--no-boot");
        DaemonHarness.Cli[] first = new DaemonHarness.Cli[1];
        Thread t = new Thread(() -> first[0] = h.cli("isolate", "a.target"));
        t.start();
        DaemonHarness.await("slow.service starting", Duration.ofSeconds(20),
                () -> h.cli("is-active", "slow").out().equals("starting\n"));
        DaemonHarness.Cli second = h.cli("isolate", "b.target");
        t.join(30_000);
        assertEquals(0, second.code(), second.toString());
        assertEquals(1, first[0].code(), first[0].toString());
        assertTrue(first[0].err().contains("canceled: replaced by isolate b.target"), first[0].err());
        assertEquals("inactive\n", h.cli("is-active", "slow").out());
        assertEquals("active\n", h.cli("is-active", "sshd").out());
        assertEquals("active\n", h.cli("is-active", "b.target").out());
    }

    @Test
    @DisplayName("a client without a daemon says so in one line and exits 1 at once")
    void noDaemon() throws Exception {
        DaemonHarness h = harness();
        long t0 = System.nanoTime();
        DaemonHarness.Cli c = h.cli("status");
        assertEquals(1, c.code());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(c.err().contains("no svcmgr daemon"), c.err());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }

    @Test
    @DisplayName("halt outside PID 1 stops every unit, ignore-on-isolate ones included, and the daemon exits 0")
    void haltOutsidePid1() throws Exception {
        DaemonHarness h = harness();
        Path trace = h.base.resolve("trace");
        h.unit("keep.service.yaml", traced(trace, "keep", "ignore-on-isolate: true\n"));
        h.unit("a.service.yaml", traced(trace, "a", ""));
        h.unit("halt.target.yaml", "description: Halt\n");
        h.unit("default.target.yaml", "wants: [keep.service, a.service]\n");
        h.start();
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        DaemonHarness.Cli c = h.cli("halt");
        assertEquals(0, c.code(), c.toString());
        assertTrue(h.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, h.process().exitValue());
        List<String> lines = Files.readAllLines(trace);
        assertTrue(lines.contains("stop keep") && lines.contains("stop a"), lines.toString());
    }

    @Test
    @DisplayName("enable, disable and mask persist across daemon restarts")
    void choicesPersist() throws Exception {
        DaemonHarness h = harness();
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\ninstall:\n  wanted-by: [multi-user.target]\n");
        h.unit("b.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("multi-user.target.yaml", "description: MU\n");
        h.start("--no-boot");
        assertEquals("enabled\n", h.cli("is-enabled", "a").out());
        assertEquals("static\n", h.cli("is-enabled", "b").out());
        assertEquals(0, h.cli("disable", "a").code());
        assertEquals(0, h.cli("mask", "b").code());
        DaemonHarness.Cli masked = h.cli("start", "b");
        assertEquals(1, masked.code(), masked.toString());
        assertEquals(0, h.terminate());
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        DaemonHarness.Cli isEn = h.cli("is-enabled", "a");
        assertEquals("disabled\n", isEn.out());
        assertEquals(1, isEn.code());
        assertEquals("masked\n", h.cli("is-enabled", "b").out());
        assertEquals("inactive\n", h.cli("is-active", "a").out(), "a disabled: not pulled in by the target");
        assertEquals(0, h.cli("enable", "a").code());
        assertEquals(0, h.cli("unmask", "b").code());
        assertEquals(0, h.cli("start", "multi-user.target").code());
        DaemonHarness.Cli b = h.cli("start", "b");
        assertEquals(0, b.code(), b.toString());
    }

    @Test
    @DisplayName("daemon-reload: running services keep running, new units appear, a changed unit says so")
    void daemonReload() throws Exception {
        DaemonHarness h = harness();
        h.unit("a.service.yaml", "description: first\nexec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a").code());
        Object pid = json(h.cli("status", "a", "--json")).get("main-pid");
        h.unit("a.service.yaml", "description: second\nexec: [/bin/sleep, '2000']\n");
        h.unit("new.service.yaml", "exec: [/bin/sleep, '1000']\n");
        Files.setLastModifiedTime(h.units.resolve("a.service.yaml"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
        assertTrue(h.cli("status", "a").out().contains("daemon-reload"));
        DaemonHarness.Cli r = h.cli("daemon-reload");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> a = json(h.cli("status", "a", "--json"));
        assertEquals(pid, a.get("main-pid"));
        assertEquals("second", a.get("description"));
        assertEquals(Boolean.TRUE, a.get("changed-since-start"));
        assertEquals(0, h.cli("start", "new").code());
        assertEquals(0, h.cli("restart", "a").code());
        assertNotEquals(pid, json(h.cli("status", "a", "--json")).get("main-pid"));
        // a running service whose file is removed keeps running and can still be stopped, then leaves
        Files.delete(h.units.resolve("new.service.yaml"));
        assertEquals(0, h.cli("daemon-reload").code());
        assertEquals("active\n", h.cli("is-active", "new").out());
        DaemonHarness.Cli stopGone = h.cli("stop", "new");
        assertEquals(0, stopGone.code(), stopGone.toString());
        DaemonHarness.await("new.service gone from the list", Duration.ofSeconds(10),
                () -> !h.cli("list-units", "--all").out().contains("new.service"));
    }

    @Test
    @DisplayName("events are numbered consecutively and --since replays what a client missed")
    void eventsReplay() throws Exception {
        DaemonHarness h = harness();
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a").code());
        assertEquals(0, h.cli("stop", "a").code());
        DaemonHarness.Cli ev = h.cli("events", "--since", "0", "--no-follow", "--json");
        assertEquals(0, ev.code(), ev.toString());
        List<String> lines = ev.out().lines().toList();
        assertTrue(lines.size() >= 4, ev.out());
        long expect = 1;
        for (String l : lines) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(l);
            assertEquals(expect++, e.get("seq"));
            for (String k : List.of("seq", "time", "unit", "active", "sub", "result")) assertTrue(e.containsKey(k), l);
        }
        DaemonHarness.Cli tail = h.cli("events", "--since", "2", "--no-follow", "--json");
        assertEquals(lines.size() - 2, tail.out().lines().count(), tail.out());
    }

    @Test
    @DisplayName("kill signals every process of the unit; the restart policy applies")
    void killAppliesRestartPolicy() throws Exception {
        DaemonHarness h = harness();
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\nrestart: always\nrestart-delay: 0\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a").code());
        Object pid = json(h.cli("status", "a", "--json")).get("main-pid");
        assertEquals(2, h.cli("kill", "a", "--signal", "NOPE").code());
        assertEquals(0, h.cli("kill", "a", "--signal", "KILL").code());
        DaemonHarness.await("a restarted with a new PID", Duration.ofSeconds(20), () -> {
            Map<String, Object> s = json(h.cli("status", "a", "--json"));
            return "active".equals(s.get("active")) && s.get("main-pid") != null && !s.get("main-pid").equals(pid);
        });
    }

    @Test
    @DisplayName("status of units: exit 3 when one is not active, 4 for an unknown unit, an array in argument order")
    void statusExitCodes() throws Exception {
        DaemonHarness h = harness();
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("b.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a").code());
        assertEquals(0, h.cli("status", "a").code());
        DaemonHarness.Cli two = h.cli("status", "b", "a", "--json");
        assertEquals(3, two.code(), two.toString());
        List<Map<String, Object>> arr = (List<Map<String, Object>>) Json.parse(two.out());
        assertEquals(List.of("b.service", "a.service"), List.of(arr.get(0).get("unit"), arr.get(1).get("unit")));
        assertEquals(4, h.cli("status", "nope").code());
        assertEquals(3, h.cli("is-active", "b").code());
        List<String> args = new ArrayList<>(List.of("is-failed", "a"));
        assertEquals(1, h.cli(args.toArray(new String[0])).code());
        assertFalse(h.cli("status", "a").out().isEmpty());
        // options may stand before the command name too
        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.svcmgr.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter()),
                "--runtime-dir", h.runtime.toString(), "status", "--json", "a");
        assertEquals(0, code);
        assertEquals("a.service", json(new DaemonHarness.Cli(code, out.toString(), "")).get("unit"));
    }

    @Test
    @DisplayName("run: a transient service is supervised, logged, and gone from the list once it ends; --oneshot returns its status")
    void transientRun() throws Exception {
        DaemonHarness h = harness();
        h.unit("dep.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        DaemonHarness.Cli once = h.cli("run", "--oneshot", "--unit", "once", "--", "/bin/sh", "-c", "echo from-transient; exit 7");
        assertEquals(7, once.code(), once.toString());
        // with a wanted unit the plan has two jobs, the wanted one first: the status is the command's own
        DaemonHarness.Cli needs = h.cli("run", "--oneshot", "--unit", "needs", "-p", "wants=[dep.service]", "-p", "after=[dep.service]",
                "--", "/bin/sh", "-c", "exit 5");
        assertEquals(5, needs.code(), needs.toString());
        DaemonHarness.Cli bad = h.cli("run", "-p", "restat=no", "--", "/bin/true");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("did you mean 'restart'"), bad.err());
        DaemonHarness.Cli bg = h.cli("run", "--unit", "bg", "-p", "restart=no", "--", "/bin/sleep", "1000");
        assertEquals(0, bg.code(), bg.toString());
        assertEquals("active\n", h.cli("is-active", "bg").out());
        // the run's output is drained by the output thread after the job has ended
        DaemonHarness.await("the transient's line in its log", Duration.ofSeconds(10),
                () -> DaemonHarness.read(h.logs.resolve("once.service.log")).contains("from-transient"));
        assertEquals(0, h.cli("stop", "bg").code());
        DaemonHarness.await("bg gone from the unit list", Duration.ofSeconds(10),
                () -> !h.cli("list-units", "--all").out().contains("bg.service"));
        assertEquals(4, h.cli("status", "once").code());
    }

    @Test
    @DisplayName("shutdown never waits behind a start that cannot finish: SIGTERM during a hanging boot interrupts it")
    void shutdownInterruptsAHangingStart() throws Exception {
        DaemonHarness h = harness();
        h.unit("stuck.service.yaml", "exec: [/bin/sleep, '1000']\nready: {path: " + h.base.resolve("never") + "}\n"
                + "timeout-start: 300s\n");
        h.unit("default.target.yaml", "requires: [stuck.service]\n");
        h.start();
        DaemonHarness.await("stuck.service starting", Duration.ofSeconds(20),
                () -> h.cli("is-active", "stuck").out().equals("starting\n"));
        assertEquals("starting\n", h.cli("is-system-running").out());
        long t0 = System.nanoTime();
        assertEquals(0, h.terminate());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos(), "shutdown waited for the start");
    }

    @Test
    @DisplayName("an instance of a template can be started by name; the template itself cannot")
    void templateInstancesOnDemand() throws Exception {
        DaemonHarness h = harness();
        h.unit("worker@.service.yaml", "description: worker %i\nexec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        DaemonHarness.Cli c = h.cli("start", "worker@7");
        assertEquals(0, c.code(), c.toString());
        assertEquals("active\n", h.cli("is-active", "worker@7").out());
        assertTrue(h.cli("status", "worker@7").out().contains("worker 7"));
        DaemonHarness.Cli t = h.cli("start", "worker@");
        assertEquals(4, t.code());
        assertTrue(t.err().contains("is a template"), t.err());
        assertEquals(0, h.cli("stop", "worker@7").code());
    }

    @Test
    @DisplayName("a start queued behind a running stop of the same unit waits for it and then runs; nothing hangs")
    void startBehindARunningStop() throws Exception {
        DaemonHarness h = harness();
        Path trapped = h.base.resolve("b-trapped");
        h.unit("b.service.yaml", "exec: [/bin/sh, -c, 'trap \"\" TERM; touch " + trapped + "; while :; do sleep 0.2; done']\ntimeout-stop: 2s\n");
        h.unit("slow.service.yaml", "type: oneshot\nexec: [/bin/sh, -c, 'sleep 1']\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "b").code());
        // a stop that comes before the shell ignores SIGTERM would end it at once
        DaemonHarness.await("b ignoring SIGTERM", Duration.ofSeconds(10), () -> Files.exists(trapped));
        DaemonHarness.Cli[] stop = new DaemonHarness.Cli[1];
        Thread t = new Thread(() -> stop[0] = h.cli("stop", "b"));
        t.start();
        DaemonHarness.await("b stopping", Duration.ofSeconds(10), () -> h.cli("is-active", "b").out().equals("stopping\n"));
        DaemonHarness.Cli start = h.cli("start", "b");
        t.join(30_000);
        assertEquals(0, stop[0].code(), stop[0].toString());
        assertEquals(0, start.code(), start.toString());
        assertEquals("active\n", h.cli("is-active", "b").out());
        DaemonHarness.Cli[] first = new DaemonHarness.Cli[1];
        Thread t2 = new Thread(() -> first[0] = h.cli("start", "slow"));
        t2.start();
        DaemonHarness.await("slow starting", Duration.ofSeconds(10), () -> h.cli("is-active", "slow").out().equals("starting\n"));
        DaemonHarness.Cli restart = h.cli("restart", "slow");
        t2.join(30_000);
        assertEquals(0, restart.code(), restart.toString());
        assertEquals(0, first[0].code(), first[0].toString());
        assertEquals("0", ((Map<String, Object>) Json.parse(h.cli("status", "--json").out())).get("jobs").toString());
    }

    @Test
    @DisplayName("a failed want is reported and ignored (exit 0); why names the failure that stopped a requirer and started on-failure")
    void wantsFailuresAndPropagatedCauses() throws Exception {
        DaemonHarness h = harness();
        h.unit("fail.service.yaml", "type: oneshot\nexec: [/bin/sh, -c, 'exit 1']\n");
        h.unit("w.service.yaml", "exec: [/bin/sleep, '1000']\nwants: [fail.service]\n");
        h.unit("die.service.yaml", "exec: [/bin/sh, -c, 'sleep 0.5; exit 5']\nrestart: 'no'\non-failure: [alert.service]\n");
        h.unit("alert.service.yaml", "type: oneshot\nremain-after-exit: true\nexec: [/bin/true]\n");
        h.unit("rd.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [die.service]\n");
        h.start("--no-boot");
        DaemonHarness.Cli w = h.cli("start", "w");
        assertEquals(0, w.code(), w.toString());
        assertTrue(w.err().contains("note: start fail.service failed"), w.err());
        assertEquals(0, h.cli("start", "rd").code());
        DaemonHarness.await("rd stopped after die failed", Duration.ofSeconds(20),
                () -> h.cli("is-active", "rd").out().equals("inactive\n") && h.cli("is-active", "alert").out().equals("active\n"));
        assertTrue(h.cli("why", "rd").out().contains("stopped because die.service failed: exit-code (required by it)"),
                h.cli("why", "rd").out());
        assertTrue(h.cli("why", "alert").out().contains("started because on-failure of die.service"), h.cli("why", "alert").out());
    }
}
