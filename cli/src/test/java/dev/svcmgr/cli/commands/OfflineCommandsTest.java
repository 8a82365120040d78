package dev.svcmgr.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify, cat and show run offline through Main with captured writers, over real unit files. */
class OfflineCommandsTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }

    void unit(String file, String body) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, body);
    }

    @Nested
    class Verify {
        @Test
        void theExampleSystemVerifiesCleanly() {
            Run r = run("verify", "--units", "../examples/units");
            assertEquals("", r.err);
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.matches("\\d+ units in \\.\\./examples/units: 0 errors, 0 warnings\\n"), r.out);
            assertEquals(0, run("verify", "--units", "../examples/units/real").code);
        }

        @Test
        void anErrorPrintsOneLocatedLineAndExitsOne() throws IOException {
            unit("api.service.yaml", "description: API\nexec: /bin/true\n\n\n\nafter: []\nrestat: always\n");
            Run r = run("verify", "--units", dir.toString());
            assertEquals(1, r.code);
            assertEquals(dir + "/api.service.yaml:7:1: error: unknown key 'restat' (did you mean 'restart'?)\n", r.err);
            assertEquals("1 unit in " + dir + ": 1 error, 0 warnings\n", r.out);
        }

        @Test
        void warningsAloneExitZero() throws IOException {
            unit("a.service.yaml", "exec: /bin/true\nwants: [nothing.service]\n");
            Run r = run("verify", "--units", dir.toString());
            assertEquals(0, r.code);
            assertEquals(dir + "/a.service.yaml:2:9: warning: wants: unit 'nothing.service' not found"
                    + " (no unit file defines it and no unit provides it); ignored\n", r.err);
        }

        @Test
        void jsonHasErrorsWarningsAndCyclesWithExactFields() throws IOException {
            unit("a.service.yaml", "exec: /bin/true\nrestart: sometimes\nwants: [nothing.service]\n");
            Run r = run("verify", "--json", "--units", dir.toString());
            assertEquals(1, r.code);
            assertEquals("", r.err);
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out);
            assertEquals(List.of("errors", "warnings", "cycles"), List.copyOf(doc.keySet()));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("unit", "a.service");
            e.put("file", dir + "/a.service.yaml");
            e.put("line", 2L);
            e.put("column", 10L);
            e.put("message", "restart: expected one of no, on-failure, on-abnormal, always, got 'sometimes'");
            assertEquals(List.of(e), doc.get("errors"));
            assertEquals(1, ((List<?>) doc.get("warnings")).size());
            assertEquals(List.of(), doc.get("cycles"));
        }

        @Test
        void aMissingUnitsDirectoryIsAUsageError() {
            Run r = run("verify", "--units", dir.resolve("absent").toString());
            assertEquals(2, r.code);
            assertTrue(r.err.startsWith("svcmgr: --units " + dir.resolve("absent") + ": no such directory"), r.err);
        }
    }

    @Nested
    class Cat {
        @Test
        void printsTheFileAndItsDropInsEachHeadedByItsPath() throws IOException {
            unit("api.service.yaml", "exec: /bin/true\n");
            unit("api.service.d/10-env.yaml", "environment: {A: b}\n");
            Run r = run("cat", "api", "--units", dir.toString());
            assertEquals(0, r.code, r.err);
            assertEquals("# " + dir + "/api.service.yaml\nexec: /bin/true\n\n# " + dir + "/api.service.d/10-env.yaml\nenvironment: {A: b}\n", r.out);
        }

        @Test
        void anAliasShowsTheUnitItNames() {
            Run r = run("cat", "default.target", "--units", "../examples/units");
            assertEquals(0, r.code);
            assertTrue(r.out.startsWith("# ../examples/units/multi-user.target.yaml\n"), r.out);
        }

        @Test
        void anUnknownUnitIsOneLineOnStderrAndExitFour() {
            Run r = run("cat", "nope", "--units", dir.toString());
            assertEquals(4, r.code);
            assertEquals("", r.out);
            assertEquals("svcmgr: unit nope.service not found\n", r.err);
        }

        @Test
        void anInvalidNameNeverReadsOutsideTheUnitDirectories() {
            Run r = run("cat", "../../etc/passwd", "--units", dir.toString());
            assertEquals(4, r.code);
            assertEquals("", r.out);
            assertTrue(r.err.startsWith("svcmgr: invalid unit name '../../etc/passwd'"), r.err);
        }

        @Test
        void jsonListsTheFiles() throws IOException {
            unit("a.service.yaml", "exec: /bin/true\n");
            Run r = run("cat", "--json", "a.service", "--units", dir.toString());
            assertEquals(Map.of("unit", "a.service", "files", List.of(Map.of("path", dir + "/a.service.yaml", "text", "exec: /bin/true\n"))),
                    Json.parse(r.out));
        }
    }

    @Nested
    class Show {
        @Test
        void printsKeyValueLines() throws IOException {
            unit("a.service.yaml", "description: The A\nexec: [/bin/sleep, \"1 2\"]\nrestart: no\nrequires: [b.service]\n");
            unit("b.service.yaml", "exec: /bin/true\n");
            Run r = run("show", "a", "--units", dir.toString());
            assertEquals(0, r.code, r.err);
            List<String> lines = Arrays.asList(r.out.split("\n"));
            for (String l : List.of("Id=a.service", "LoadState=loaded", "ActiveState=inactive", "SubState=dead", "Description=The A",
                    "FragmentPath=" + dir + "/a.service.yaml", "Requires=b.service", "Restart=no", "ExecStart=/bin/sleep '1 2'",
                    "TimeoutStopSec=10s", "KillSignal=SIGTERM"))
                assertTrue(lines.contains(l), l + " in\n" + r.out);
            assertTrue(lines.stream().allMatch(l -> l.matches("[A-Za-z]+=.*")), r.out);
        }

        @Test
        void jsonHasTheFieldsOfTheContract() throws IOException {
            unit("a.service.yaml", "description: The A\nexec: /bin/true\n");
            Run r = run("show", "a.service", "--json", "--units", dir.toString());
            assertEquals(0, r.code, r.err);
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out);
            assertEquals(List.of("unit", "load", "active", "sub", "result", "main-pid", "since", "description", "fragment-path"),
                    List.copyOf(doc.keySet()).subList(0, 9));
            assertEquals("a.service", doc.get("unit"));
            assertEquals("loaded", doc.get("load"));
            assertEquals("inactive", doc.get("active"));
            assertEquals("dead", doc.get("sub"));
            assertEquals(null, doc.get("result"));
            assertEquals(null, doc.get("main-pid"));
            assertEquals(null, doc.get("since"));
            assertEquals("The A", doc.get("description"));
            assertEquals(dir + "/a.service.yaml", doc.get("fragment-path"));
        }

        @Test
        void aBadUnitIsShownWithItsLoadError() throws IOException {
            unit("a.service.yaml", "exec: /bin/true\nrestart: sometimes\n");
            Run r = run("show", "a", "--units", dir.toString());
            assertEquals(0, r.code);
            assertTrue(r.out.contains("LoadState=bad-setting\n"), r.out);
            assertTrue(r.out.contains("LoadError=restart: expected one of no, on-failure, on-abnormal, always, got 'sometimes'\n"), r.out);
        }

        @Test
        void anUnknownUnitExitsFour() {
            Run r = run("show", "ghost", "--units", dir.toString());
            assertEquals(4, r.code);
            assertEquals("svcmgr: unit ghost.service not found\n", r.err);
        }

        @Test
        void aTemplateInstanceIsMadeOnDemand() throws IOException {
            unit("getty@.service.yaml", "description: Getty %i\nexec: /sbin/agetty %i\n");
            Run r = run("show", "getty@tty3", "--units", dir.toString());
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains("Description=Getty tty3\n"), r.out);
        }
    }
}
