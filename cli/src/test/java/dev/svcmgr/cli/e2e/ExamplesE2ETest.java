package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example system (examples/units) booted by the real daemon, unit by unit. */
class ExamplesE2ETest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p.resolve("examples/units");
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> states() {
        DaemonHarness.Cli c = h.cli("list-units", "--all", "--json");
        assertEquals(0, c.code(), c.toString());
        Map<String, String> m = new TreeMap<>();
        for (Object o : (List<Object>) Json.parse(c.out())) {
            Map<String, Object> u = (Map<String, Object>) o;
            m.put((String) u.get("unit"), u.get("active") + "/" + u.get("sub"));
        }
        return m;
    }

    @Test
    @DisplayName("examples/units boots to multi-user with every unit in its expected state, isolates to rescue and back, and shuts down clean")
    void exampleSystem() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-examples-"));
        h.startWithArgs(List.of("daemon", "--units", examples().toString(), "--runtime-dir", h.runtime.toString(),
                "--log-dir", h.logs.toString(), "--state-dir", h.state.toString()));
        DaemonHarness.Cli running = h.cli("is-system-running", "--wait");
        assertEquals("running\n", running.out(), running + DaemonHarness.read(h.stdout) + DaemonHarness.read(h.stderr));
        Map<String, String> expected = new HashMap<>();
        for (String s : List.of("api", "cache", "database", "log-shipper", "web", "worker@1", "worker@2")) {
            expected.put(s + ".service", "active/running");
        }
        expected.put("migrate.service", "active/exited");
        for (String t : List.of("sysinit", "basic", "network", "multi-user", "workers")) expected.put(t + ".target", "active/active");
        for (String s : List.of("alert", "backup", "metrics")) expected.put(s + ".service", "inactive/dead");
        for (String t : List.of("graphical", "halt", "poweroff", "reboot", "rescue", "shutdown")) expected.put(t + ".target", "inactive/dead");
        Map<String, String> actual = states();
        String flaky = actual.remove("flaky.service");
        assertTrue(Set.of("active/running", "starting/auto-restart", "starting/start").contains(flaky), flaky);
        // flaky crashes one run in three after a second, which starts alert (a oneshot) when this look is late
        String alert = actual.remove("alert.service");
        expected.remove("alert.service");
        assertTrue(Set.of("inactive/dead", "starting/start").contains(alert), "alert.service " + alert);
        assertEquals(new TreeMap<>(expected), actual);
        assertEquals("condition\n", resultOf("metrics"));
        DaemonHarness.Cli iso = h.cli("isolate", "rescue.target");
        assertEquals(0, iso.code(), iso.toString());
        assertEquals("inactive\n", h.cli("is-active", "web").out());
        DaemonHarness.Cli back = h.cli("isolate", "multi-user.target");
        assertEquals(0, back.code(), back.toString());
        assertEquals("active\n", h.cli("is-active", "web").out());
        long daemonPid = h.process().pid();
        assertEquals(0, h.terminate());
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.parent().map(q -> q.pid() == daemonPid).orElse(false)),
                "a service process outlived the daemon");
        assertTrue(DaemonHarness.read(h.stdout).contains("[  OK  ] Stopped database.service"));
    }

    private String resultOf(String unit) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(h.cli("status", unit, "--json").out());
        return m.get("result") + "\n";
    }
}
