package dev.svcmgr.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/man matches the commands (the build regenerates it), and every command documents its exit codes. */
class ManPagesTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p;
    }

    @Test
    void docsManIsUpToDateAndComplete() throws IOException {
        Map<String, String> pages = ManPages.pages();
        Path man = root().resolve("docs/man");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path f = man.resolve(e.getKey());
            if (!Files.exists(f) || !Files.readString(f).equals(e.getValue())) stale.add(e.getKey());
            if (e.getKey().endsWith(".1") && !e.getKey().equals("svcmgr-analyze.1")) {
                assertTrue(e.getValue().contains(".SH EXIT STATUS"), e.getKey() + " lists no exit codes");
            }
        }
        assertEquals(List.of(), stale, "docs/man is stale: run 'mvn -pl cli -am package -DskipTests' and commit docs/man");
        assertTrue(pages.containsKey("svcmgr-start.1") && pages.containsKey("svcmgr-analyze-plot.1"));
        assertTrue(pages.keySet().stream().noneMatch(k -> k.contains("__")), "a hidden command has a page: " + pages.keySet());
    }

    @Test
    void svcmgrOneHasExamplesFilesAndEnvironment() {
        String page = ManPages.pages().get("svcmgr.1");
        for (String s : List.of(".SH EXAMPLES", ".SH FILES", ".SH ENVIRONMENT", ".SH SEE ALSO", "SVCMGR_RUNTIME_DIR", "SVCMGR_JAVA_OPTS",
                "NOTIFY_SOCKET", "LISTEN_FDS", "/etc/svcmgr/units", "/var/log/svcmgr", "/var/lib/svcmgr", "svcmgr.unit\\fR(5)"))
            assertTrue(page.contains(s), "svcmgr.1 lacks " + s);
        assertTrue(!page.contains("__complete"), "svcmgr.1 lists the hidden __complete");
    }

    @Test
    void theUnitPageDocumentsEveryKeyOfTheSchema() {
        String page = ManPages.pages().get("svcmgr.unit.5");
        assertTrue(page.startsWith(".TH SVCMGR.UNIT 5 "), page.lines().findFirst().orElse(""));
        for (String s : List.of(".SH DROP-INS", ".SH TEMPLATES", ".SH KEYS", ".SH EXAMPLES", ".SS Services", ".SS Timers"))
            assertTrue(page.contains(s), "svcmgr.unit.5 lacks " + s);
        for (dev.svcmgr.units.load.SchemaReference.Row r : dev.svcmgr.units.load.SchemaReference.rows())
            assertTrue(page.contains(".TP\n\\fB" + r.key().replace("-", "\\-") + "\\fR\n"), "svcmgr.unit.5 lacks the key " + r.key());
        assertTrue(!page.contains("@KEYS@"));
    }
}
