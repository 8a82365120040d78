package dev.svcmgr.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code show} and {@code cat} with a running daemon: its unit directories, its live states. */
class ShowCatDaemonTest {
    private DaemonHarness d;

    @AfterEach
    void stop() throws Exception {
        if (d != null) d.close();
    }

    @Test
    void showTakesTheLiveStateAndCatTheDaemonsFilesWithoutUnitsOption() throws Exception {
        d = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-show-"));
        d.unit("sleeper.service.yaml", "description: sleeps\nexec: [/bin/sleep, '2147483647']\n");
        d.unit("idle.service.yaml", "description: never started\nexec: /bin/true\n");
        d.unit("up.target.yaml", "wants: [sleeper.service]\n");
        d.start("--target", "up.target");
        assertEquals(0, d.cli("is-system-running", "--wait").code());

        DaemonHarness.Cli show = d.cli("show", "sleeper", "--json");
        assertEquals(0, show.code(), show.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(show.out());
        assertEquals("sleeper.service", doc.get("unit"));
        assertEquals("active", doc.get("active"));
        assertEquals("running", doc.get("sub"));
        assertNotNull(doc.get("main-pid"), show.out());
        assertNotNull(doc.get("since"), show.out());
        assertEquals(d.units.resolve("sleeper.service.yaml").toString(), doc.get("fragment-path"));

        DaemonHarness.Cli idle = d.cli("show", "idle");
        assertTrue(idle.out().contains("ActiveState=inactive\n") && idle.out().contains("MainPID=\n"), idle.toString());

        DaemonHarness.Cli cat = d.cli("cat", "idle");
        assertEquals(0, cat.code(), cat.toString());
        assertEquals("# " + d.units.resolve("idle.service.yaml") + "\ndescription: never started\nexec: /bin/true\n", cat.out());

        DaemonHarness.Cli ghost = d.cli("show", "ghost");
        assertEquals(4, ghost.code(), ghost.toString());
        assertEquals("svcmgr: unit ghost.service not found\n", ghost.err());
    }
}
