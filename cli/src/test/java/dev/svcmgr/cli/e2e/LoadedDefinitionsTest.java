package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * plan, graph and list-dependencies against a running daemon answer from the definitions it has
 * loaded (its plan, graph and dependencies verbs), not from the unit files, which may have been
 * edited since; and they print exactly what the offline path prints for the same units.
 */
class LoadedDefinitionsTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    /** Command lines whose output the daemon path and the offline path must share. */
    private static final List<List<String>> SAME = List.of(
            List.of("plan", "start", "web.target"),
            List.of("plan", "start", "web.target", "--json"),
            List.of("plan", "stop", "db", "--assume-active", "api,db"),
            List.of("plan", "isolate", "web.target", "--json"),
            List.of("plan", "start", "nope"),
            List.of("graph"),
            List.of("graph", "--format", "json"),
            List.of("graph", "api"),
            List.of("graph", "nope", "--json"),
            List.of("list-dependencies", "web.target"),
            List.of("list-dependencies", "web.target", "--json"),
            List.of("list-dependencies", "db", "--reverse", "--all"),
            List.of("list-dependencies", "nope"));

    private DaemonHarness.Cli cli(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return h.cli(all.toArray(new String[0]));
    }

    private DaemonHarness.Cli offline(List<String> args) { return cli(args, "--units", h.units.toString()); }

    private void assertSameAsOffline() {
        for (List<String> args : SAME) {
            DaemonHarness.Cli live = cli(args);
            DaemonHarness.Cli off = offline(args);
            assertEquals(off.toString(), live.toString(), "svcmgr " + String.join(" ", args));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> planned(DaemonHarness.Cli c) {
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(c.out())).get("jobs");
        return jobs.stream().map(j -> (String) j.get("unit")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> nodes(DaemonHarness.Cli c) {
        List<Map<String, Object>> ns = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(c.out())).get("nodes");
        return ns.stream().map(n -> (String) n.get("unit")).toList();
    }

    @Test
    @DisplayName("unit files edited but not reloaded: plan, graph and list-dependencies answer from the loaded definitions")
    void answersFromTheLoadedDefinitions() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-loaded-"));
        h.unit("db.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [db.service]\nafter: [db.service]\n");
        h.unit("web.target.yaml", "wants: [api.service]\nallow-isolate: true\n");
        h.start("--no-boot");

        // nothing runs: the daemon's answers are the offline ones, byte for byte, exit codes included
        assertSameAsOffline();
        assertEquals(List.of("db.service", "api.service", "web.target"), planned(cli(List.of("plan", "start", "web.target", "--json"))));

        // the files change on disk: api needs cache instead of db, and a new unit appears
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [cache.service]\nafter: [cache.service]\n");
        h.unit("cache.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("new.service.yaml", "exec: [/bin/sleep, '1000']\n");

        DaemonHarness.Cli plan = cli(List.of("plan", "start", "web.target", "--json"));
        assertEquals(0, plan.code(), plan.toString());
        assertEquals(List.of("db.service", "api.service", "web.target"), planned(plan), "the loaded api.service still requires db");
        assertEquals(List.of("cache.service", "api.service", "web.target"),
                planned(offline(List.of("plan", "start", "web.target", "--json"))), "the files say cache.service");

        DaemonHarness.Cli graph = cli(List.of("graph", "--format", "json"));
        assertEquals(0, graph.code(), graph.toString());
        assertEquals(List.of("api.service", "db.service", "web.target"), nodes(graph));
        assertTrue(nodes(offline(List.of("graph", "--format", "json"))).contains("cache.service"));
        assertTrue(cli(List.of("graph", "api")).out().contains("\"api.service\" -> \"db.service\""), cli(List.of("graph", "api")).out());

        DaemonHarness.Cli tree = cli(List.of("list-dependencies", "api"));
        assertEquals(0, tree.code(), tree.toString());
        assertEquals("● api.service\n● └─db.service\n", tree.out());
        assertEquals("● api.service\n● └─cache.service\n", offline(List.of("list-dependencies", "api")).out());

        // a unit the daemon has not loaded is no unit for it, whatever the files say
        for (List<String> args : List.of(List.of("plan", "start", "new"), List.of("graph", "new"), List.of("list-dependencies", "new"))) {
            DaemonHarness.Cli c = cli(args);
            assertEquals(4, c.code(), c.toString());
            assertEquals("svcmgr: unit new.service not found\n", c.err(), c.toString());
            assertEquals(0, offline(args).code(), offline(args).toString());
        }

        // after daemon-reload the daemon and the files agree again
        assertEquals(0, h.cli("daemon-reload").code());
        assertSameAsOffline();
        assertNotEquals(planned(plan), planned(cli(List.of("plan", "start", "web.target", "--json"))));
    }

    @Test
    @DisplayName("the daemon's answers carry live states; a refused plan reads as offline")
    void liveStatesAndRefusals() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-loaded-"));
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [b.service]\nafter: [b.service]\n");
        h.unit("b.service.yaml", "exec: [/bin/sleep, '1000']\nafter: [a.service]\n");
        h.unit("c.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        // an ordering cycle: refused the same way, text and JSON
        for (List<String> args : List.of(List.of("plan", "start", "a"), List.of("plan", "start", "a", "--json"))) {
            DaemonHarness.Cli live = cli(args);
            assertEquals(1, live.code(), live.toString());
            assertEquals(offline(args).toString(), live.toString());
        }
        assertTrue(cli(List.of("plan", "start", "a")).err().startsWith("svcmgr plan: rejected: "));
        assertEquals(0, h.cli("start", "c").code());
        DaemonHarness.Cli tree = cli(List.of("list-dependencies", "c", "--json"));
        assertEquals("{\"unit\":\"c.service\",\"active\":\"active\",\"children\":[]}\n", tree.out());
        assertFalse(offline(List.of("list-dependencies", "c", "--json")).out().contains("\"active\":\"active\""));
        DaemonHarness.Cli stop = cli(List.of("plan", "stop", "c", "--json"));
        assertEquals(List.of("c.service"), planned(stop));
    }
}
