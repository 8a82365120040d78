package dev.svcmgr.units.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/units.md quotes the reference generated from the schema table, exactly. */
class SchemaReferenceTest {
    @Test
    void docsQuoteTheGeneratedReference() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        String doc = Files.readString(p.resolve("docs/units.md"));
        int a = doc.indexOf("<!-- schema:begin -->\n");
        int b = doc.indexOf("<!-- schema:end -->");
        assertTrue(a >= 0 && b > a, "docs/units.md lacks the schema:begin/schema:end markers");
        String quoted = doc.substring(a + "<!-- schema:begin -->\n".length(), b);
        assertEquals(SchemaReference.markdown(), quoted,
                "docs/units.md is stale: paste the output of dev.svcmgr.units.load.SchemaReference between the markers");
        assertTrue(quoted.contains("| `restart` | services |") && quoted.contains("| `limits.memory` | services |"));
    }
}
