package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code svcmgr adopt PID --unit NAME} (cli.md "More commands", issue 14): a process started by
 * someone else (here: this test) becomes a service's main process; its death is seen at once and the
 * unit's restart policy starts the unit's own command.
 */
class AdoptTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;
    private Process outsider;

    @AfterEach
    void stop() throws Exception {
        if (outsider != null) outsider.destroyForcibly();
        if (h != null) h.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String unit) {
        return (Map<String, Object>) Json.parse(h.cli("status", unit, "--json").out());
    }

    private long mainPid(String unit) {
        Object p = status(unit).get("main-pid");
        return p instanceof Number n ? n.longValue() : -1;
    }

    @Test
    @DisplayName("an outside process adopted: active with its PID, in the unit's cgroup; killed, it is restarted from the unit's exec")
    void anAdoptedProcessIsSupervised() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-adopt-"));
        h.unit("legacy.service.yaml", "exec: [/bin/sleep, '1001']\nrestart: on-failure\nrestart-delay: 100ms\n");
        h.start("--no-boot");
        outsider = new ProcessBuilder("/bin/sleep", "2002").start();
        long pid = outsider.pid();

        DaemonHarness.Cli a = h.cli("adopt", String.valueOf(pid), "--unit", "legacy");
        assertEquals(0, a.code(), a + DaemonHarness.read(h.stderr));
        assertEquals("active\n", h.cli("is-active", "legacy").out());
        assertEquals(pid, mainPid("legacy.service"));
        boolean cgroups = !DaemonHarness.read(h.stderr).contains("not by cgroup");
        if (cgroups) {
            String cg = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            assertTrue(cg.contains("legacy.service"), "moved into the unit's cgroup: " + cg);
        }

        DaemonHarness.Cli again = h.cli("adopt", String.valueOf(pid), "--unit", "legacy");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already the main process of legacy.service"), again.err());
        assertEquals(4, h.cli("adopt", String.valueOf(pid), "--unit", "nosuch").code());
        assertEquals(2, h.cli("adopt", "1", "--unit", "legacy").code());

        outsider.destroyForcibly(); // SIGKILL: a failure, and restart: on-failure applies
        DaemonHarness.await("legacy.service restarted from its own exec", T, () -> {
            long now = mainPid("legacy.service");
            return now > 0 && now != pid && "active".equals(status("legacy.service").get("active"));
        });
        long restarted = mainPid("legacy.service");
        assertNotEquals(pid, restarted);
        assertTrue(Files.readString(Path.of("/proc/" + restarted + "/cmdline")).contains("1001"), "runs the unit's exec");
        assertEquals(1L, ((Number) status("legacy.service").get("restarts")).longValue());

        DaemonHarness.Cli busy = h.cli("adopt", String.valueOf(ProcessHandle.current().pid()), "--unit", "legacy");
        assertEquals(1, busy.code());
        assertTrue(busy.err().contains("the service is active (stop it first)"), busy.err());
        assertEquals(0, h.terminate());
    }
}
