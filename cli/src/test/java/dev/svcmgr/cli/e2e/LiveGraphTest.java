package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** plan, list-dependencies and graph against the daemon's live state; graph --diff between unit sets. */
class LiveGraphTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    @Test
    @DisplayName("plan sees what runs, list-dependencies and graph show live states, masked units are refused")
    @SuppressWarnings("unchecked")
    void liveState() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-live-"));
        h.unit("db.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [db.service]\n");
        h.unit("extra.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("multi-user.target.yaml", "wants: [api.service]\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "api").code());
        DaemonHarness.Cli offline = h.cli("plan", "stop", "db", "--units", h.units.toString(), "--json");
        List<Map<String, Object>> offJobs = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(offline.out())).get("jobs");
        assertTrue(offJobs.isEmpty(), "offline every unit is inactive: nothing to stop: " + offline.out());
        DaemonHarness.Cli live = h.cli("plan", "stop", "db", "--json");
        assertEquals(0, live.code(), live.toString());
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(live.out())).get("jobs");
        assertEquals(List.of("api.service", "db.service"), jobs.stream().map(j -> j.get("unit")).toList(), live.out());
        assertEquals(0L, jobs.get(0).get("wave"));
        assertEquals(1L, jobs.get(1).get("wave"));
        DaemonHarness.Cli tree = h.cli("list-dependencies", "multi-user.target", "--json");
        Map<String, Object> root = (Map<String, Object>) Json.parse(tree.out());
        Map<String, Object> api = ((List<Map<String, Object>>) root.get("children")).get(0);
        assertEquals("api.service", api.get("unit"));
        assertEquals("active", api.get("active"), tree.out());
        DaemonHarness.Cli graph = h.cli("graph", "--format", "json");
        Map<String, Object> g = (Map<String, Object>) Json.parse(graph.out());
        for (Map<String, Object> n : (List<Map<String, Object>>) g.get("nodes")) {
            String expect = List.of("api.service", "db.service").contains(n.get("unit")) ? "active" : "inactive";
            assertEquals(expect, n.get("active"), n.toString());
        }
        assertEquals(0, h.cli("mask", "extra").code());
        DaemonHarness.Cli masked = h.cli("plan", "start", "extra");
        assertEquals(1, masked.code(), masked.toString());
        assertTrue(masked.err().contains("mask"), masked.err());
    }

    @Test
    @DisplayName("graph --diff names units and edges added, removed and changed")
    @SuppressWarnings("unchecked")
    void graphDiff() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-diff-");
        h = new DaemonHarness(base);
        h.unit("db.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("api.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [db.service]\n");
        Path other = Files.createDirectories(base.resolve("other"));
        Files.writeString(other.resolve("db.service.yaml"), "exec: [/bin/sleep, '2000']\n");
        Files.writeString(other.resolve("api.service.yaml"), "exec: [/bin/sleep, '1000']\nrequires: [db.service, cache.service]\n");
        Files.writeString(other.resolve("cache.service.yaml"), "exec: [/bin/sleep, '1000']\n");
        DaemonHarness.Cli d = h.cli("graph", "--units", h.units.toString(), "--diff", other.toString(), "--format", "json");
        assertEquals(1, d.code(), d.toString());
        Map<String, Object> m = (Map<String, Object>) Json.parse(d.out());
        Map<String, Object> units = (Map<String, Object>) m.get("units");
        assertEquals(List.of("cache.service"), units.get("added"));
        assertEquals(List.of(), units.get("removed"));
        assertEquals(Map.of("api.service", List.of("dependencies"), "db.service", List.of("service")), units.get("changed"));
        List<Map<String, Object>> added = (List<Map<String, Object>>) ((Map<String, Object>) m.get("edges")).get("added");
        assertTrue(added.contains(Map.of("from", "api.service", "to", "cache.service", "kind", "requires")), d.out());
        DaemonHarness.Cli same = h.cli("graph", "--units", h.units.toString(), "--diff", h.units.toString());
        assertEquals(0, same.code(), same.toString());
        assertEquals("no differences\n", same.out());
    }
}
