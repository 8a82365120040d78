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
            if (!e.getKey().equals("svcmgr-analyze.1")) {
                assertTrue(e.getValue().contains(".SH EXIT STATUS"), e.getKey() + " lists no exit codes");
            }
        }
        assertEquals(List.of(), stale, "docs/man is stale: run 'mvn -pl cli -am package -DskipTests' and commit docs/man");
        assertTrue(pages.containsKey("svcmgr-start.1") && pages.containsKey("svcmgr-analyze-plot.1"));
    }
}
