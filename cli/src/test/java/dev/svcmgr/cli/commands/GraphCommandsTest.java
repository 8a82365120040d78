package dev.svcmgr.cli.commands;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** plan, list-dependencies, graph and verify's cycles, run through Main with captured writers over real unit files. */
class GraphCommandsTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }

    void unit(String name, String body) throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), body);
    }

    void webSystem() throws IOException {
        unit("web.target", "description: web\nallow-isolate: true\nwants: [api.service]\n");
        unit("api.service", "description: api\nexec: [\"/bin/sleep\", \"60\"]\nrequires: [db.service]\nconflicts: [old.service]\n");
        unit("db.service", "description: db\nexec: [\"/bin/sleep\", \"60\"]\n");
        unit("old.service", "description: old\nexec: [\"/bin/sleep\", \"60\"]\n");
    }

    @Test
    void planShowsWavesReasonsAndWhatStops() throws IOException {
        webSystem();
        Run r = run("plan", "start", "web.target", "--units", dir.toString(), "--assume-active", "old.service");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                start web.target: 4 jobs in 3 waves
                wave 0
                  start        db.service   required by api.service, wanted by web.target
                  stop         old.service  conflicts with api.service, wanted by web.target
                wave 1
                  start        api.service  wanted by web.target
                wave 2
                  start        web.target   requested
                stops: old.service
                """, r.out());
    }

    @Test
    void planJsonHasTheSpecifiedFields() throws IOException {
        webSystem();
        Run r = run("plan", "start", "api", "--json", "--units", dir.toString());
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) doc.get("jobs");
        assertEquals("db.service", jobs.get(0).get("unit"));
        assertEquals("start", jobs.get(0).get("job"));
        assertEquals(0L, ((Number) jobs.get(0).get("wave")).longValue());
        assertEquals("required by api.service", jobs.get(0).get("reason"));
        assertEquals(1L, ((Number) jobs.get(1).get("wave")).longValue());
    }

    @Test
    void aRejectedPlanExitsOneWithErrorAndCycle() throws IOException {
        unit("a.service", "exec: [\"/bin/true\"]\nrequires: [b.service]\n");
        unit("b.service", "exec: [\"/bin/true\"]\nafter: [a.service]\n");
        Run r = run("plan", "start", "a", "--json", "--units", dir.toString());
        assertEquals(1, r.code());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        assertEquals(List.of("a.service", "b.service", "a.service"), doc.get("cycle"));
        assertTrue(((String) doc.get("error")).contains("b.service.yaml:2:9 (after)"), (String) doc.get("error"));
        Run h = run("plan", "start", "a", "--units", dir.toString());
        assertEquals(1, h.code());
        assertEquals("", h.out());
        assertEquals(1, h.err().lines().count(), h.err());
        assertTrue(h.err().startsWith("svcmgr plan: rejected: ordering cycle"), h.err());
    }

    @Test
    void anUnknownUnitExitsFourAndABadVerbTwo() throws IOException {
        webSystem();
        Run r = run("plan", "start", "nope", "--units", dir.toString());
        assertEquals(4, r.code());
        assertEquals("svcmgr: unit nope.service not found\n", r.err());
        assertEquals(2, run("plan", "jump", "api", "--units", dir.toString()).code());
        assertEquals(2, run("plan", "start", "api", "--job-mode", "sideways", "--units", dir.toString()).code());
        assertEquals(0, run("plan", "start", "api", "--job-mode", "fail", "--units", dir.toString()).code());
        assertEquals(2, run("graph", "--format", "png", "--units", dir.toString()).code());
        assertEquals(0, run("graph", "--format", "JSON", "--units", dir.toString()).code());
        assertEquals(4, run("list-dependencies", "nope", "--units", dir.toString()).code());
        assertEquals(4, run("graph", "nope", "--units", dir.toString()).code());
    }

    @Test
    void listDependenciesDrawsATreeAndMarksRepeatedSubtrees() throws IOException {
        unit("web.target", "wants: [a.service, b.service]\n");
        unit("a.service", "exec: [\"/bin/true\"]\nrequires: [base.target]\n");
        unit("b.service", "exec: [\"/bin/true\"]\nrequires: [base.target]\n");
        unit("base.target", "wants: [x.service]\n");
        unit("x.service", "exec: [\"/bin/true\"]\n");
        Run r = run("list-dependencies", "web.target", "--all", "--units", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                ● web.target
                ● ├─a.service
                ● │ └─base.target
                ● │   └─x.service
                ● └─b.service
                ●   └─base.target (shown above)
                """, r.out());
        Run rev = run("list-dependencies", "x", "--reverse", "--units", dir.toString());
        assertEquals("""
                ● x.service
                ● └─base.target
                ●   ├─a.service
                ●   └─b.service
                """, rev.out());
        Run js = run("list-dependencies", "base.target", "--json", "--units", dir.toString());
        assertEquals("{\"unit\":\"base.target\",\"active\":\"inactive\",\"children\":[{\"unit\":\"x.service\",\"active\":\"inactive\",\"children\":[]}]}",
                js.out().trim());
    }

    @Test
    void graphPrintsDotAndJsonAndSaysClearlyWhenSvgCannotBeMade() throws IOException {
        webSystem();
        Run dot = run("graph", "api", "--units", dir.toString());
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().contains("\"api.service\" -> \"db.service\" [ label=\"requires\" style=\"solid\" ]"), dot.out());
        assertTrue(dot.out().contains("\"api.service\" -> \"db.service\" [ label=\"after\" style=\"dashed\""), dot.out());
        Run json = run("graph", "--format", "json", "--units", dir.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(json.out());
        assertEquals(4, ((List<?>) doc.get("nodes")).size());
        assertTrue(((List<?>) doc.get("edges")).contains(Map.of("from", "api.service", "to", "old.service", "kind", "conflicts")));
        Run svg = run("graph", "--format", "svg", "--units", dir.toString());
        if (GraphCommand.findOnPath("dot") == null) {
            assertEquals(1, svg.code());
            assertTrue(svg.err().contains("needs Graphviz's 'dot' program"), svg.err());
        } else {
            assertEquals(0, svg.code(), svg.err());
            assertTrue(svg.out().contains("<svg"), svg.out());
        }
    }

    @Test
    void graphOfOneUnitHasItsConflictsEdgesInJsonAndDot() throws IOException {
        webSystem();
        Run json = run("graph", "web.target", "--format", "json", "--units", dir.toString());
        assertEquals(0, json.code(), json.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(json.out());
        assertTrue(((List<?>) doc.get("edges")).contains(Map.of("from", "api.service", "to", "old.service", "kind", "conflicts")),
                json.out());
        assertTrue(((List<?>) doc.get("nodes")).contains(Map.of("unit", "old.service", "type", "service", "active", "inactive")),
                json.out());
        Run dot = run("graph", "api", "--units", dir.toString());
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().contains("\"api.service\" -> \"old.service\" [ label=\"conflicts\" style=\"dotted\" color=\"red\" ]"),
                dot.out());
    }

    @Test
    void planRestartRestartsTheActiveUnitsBoundToIt() throws IOException {
        unit("base.service", "exec: [\"/bin/sleep\", \"60\"]\n");
        unit("bound.service", "exec: [\"/bin/sleep\", \"60\"]\nbinds-to: [base.service]\n");
        unit("loose.service", "exec: [\"/bin/sleep\", \"60\"]\nbinds-to: [{unit: base.service, ordered: false}]\n");
        Run r = run("plan", "restart", "base", "--units", dir.toString(), "--assume-active", "base,bound,loose");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                restart base.service: 6 jobs in 4 waves
                wave 0
                  stop         bound.service  binds to base.service
                  stop         loose.service  binds to base.service
                wave 1
                  stop         base.service   requested
                  start        loose.service  binds to base.service
                wave 2
                  start        base.service   requested
                wave 3
                  start        bound.service  binds to base.service
                restarts: base.service, bound.service, loose.service
                stops nothing
                """, r.out());
        Run j = run("plan", "restart", "base", "--json", "--units", dir.toString(), "--assume-active", "base,bound,loose");
        assertEquals(0, j.code(), j.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(j.out());
        assertEquals(List.of("base.service", "bound.service", "loose.service"), doc.get("restarted"));
        assertEquals(List.of(), doc.get("stopped"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) doc.get("jobs");
        assertEquals(Map.of("unit", "bound.service", "job", "start", "wave", 3L, "reason", "binds to base.service",
                "after", List.of("base.service", "bound.service")), jobs.get(5), "waits for base's start and its own stop half");
    }

    @Test
    void aUnitOrderedAfterItselfIsAnOrderingCycleForVerifyAndPlan() throws IOException {
        unit("a.service", "exec: [\"/bin/true\"]\nafter: [a.service]\n");
        unit("b.service", "exec: [\"/bin/true\"]\nrequires: [b.service]\n");
        unit("web.target", "wants: [a.service]\n");
        Run r = run("verify", "--units", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error: ordering cycle: a.service -> a.service\n"
                + "  a.service after a.service (" + dir.resolve("a.service.yaml") + ":2:9 (after))\n"), r.err());
        assertTrue(r.err().contains("error: ordering cycle: b.service -> b.service\n"
                + "  b.service after b.service (" + dir.resolve("b.service.yaml") + ":2:12 (requires), implied by requires)\n"), r.err());
        assertFalse(r.err().contains("itself"), r.err());
        Run j = run("verify", "--json", "--units", dir.toString());
        assertEquals(1, j.code());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(j.out());
        assertEquals(List.of(List.of("a.service", "a.service"), List.of("b.service", "b.service")), doc.get("cycles"));
        assertEquals(List.of(), doc.get("warnings"));
        Run p = run("plan", "start", "web.target", "--json", "--units", dir.toString());
        assertEquals(1, p.code(), p.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> rej = (Map<String, Object>) Json.parse(p.out());
        assertEquals(List.of("a.service", "a.service"), rej.get("cycle"));
        assertTrue(((String) rej.get("error")).startsWith("ordering cycle among the start jobs of 'start web.target': a.service -> a.service ("
                + "a.service after a.service (" + dir.resolve("a.service.yaml") + ":2:9 (after)))"), (String) rej.get("error"));
    }

    @Test
    void verifyReportsEveryOrderingCycleWithEdgeOriginsAndFails() throws IOException {
        unit("a.service", "exec: [\"/bin/true\"]\nafter: [b.service]\n");
        unit("b.service", "exec: [\"/bin/true\"]\nafter: [a.service, c.service]\n");
        unit("c.service", "exec: [\"/bin/true\"]\nbefore: [b.service]\nafter: [b.service]\n");
        Run r = run("verify", "--units", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: ordering cycle: a.service -> b.service -> a.service\n"), r.err());
        assertTrue(r.err().contains("error: ordering cycle: b.service -> c.service -> b.service\n"), r.err());
        assertTrue(r.err().contains("  a.service after b.service (" + dir.resolve("a.service.yaml") + ":2:9 (after))"), r.err());
        Run j = run("verify", "--json", "--units", dir.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(j.out());
        assertEquals(List.of(List.of("a.service", "b.service", "a.service"), List.of("b.service", "c.service", "b.service")),
                doc.get("cycles"));
        assertFalse(j.out().contains("\n{"), "one document");
    }
}
