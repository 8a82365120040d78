package dev.svcmgr.core.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerbTest {
    @Test
    void everyVerbIsFoundByItsWordAndNothingElseIs() {
        for (Verb v : Verb.values()) assertSame(v, Verb.of(v.word()));
        assertEquals(Verb.values().length, Arrays.stream(Verb.values()).map(Verb::word).distinct().count());
        assertNull(Verb.of("frobnicate"));
        assertNull(Verb.of("START"));
        assertNull(Verb.of(null));
        // commands of the CLI are not verbs of the wire
        assertNull(Verb.of("status"));
        assertNull(Verb.of("is-active"));
    }

    @Test
    void onlyEventsAndLogsStream() {
        assertEquals(Set.of(Verb.EVENTS, Verb.LOGS),
                Arrays.stream(Verb.values()).filter(Verb::streams).collect(Collectors.toSet()));
    }

    @Test
    void theReadVerbsAreTheOnesDocsProtocolNames() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/protocol.md"))) root = root.getParent();
        String doc = Files.readString(root.resolve("docs/protocol.md")).replaceAll("\\s+", " ");
        Matcher m = Pattern.compile("Others may use only the read verbs \\(([^)]*)\\)").matcher(doc);
        assertTrue(m.find(), "docs/protocol.md lists the read verbs");
        Set<String> documented = new TreeSet<>();
        Matcher w = Pattern.compile("`([a-z-]+)`").matcher(m.group(1));
        while (w.find()) documented.add(w.group(1));
        Set<String> readOnly = Arrays.stream(Verb.values()).filter(Verb::readOnly).map(Verb::word)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(documented, readOnly);
    }

    @Test
    void errorKindsHaveWordsThatReadBack() {
        for (ErrorKind k : ErrorKind.values()) assertSame(k, ErrorKind.of(k.word()));
        assertEquals("not-found", ErrorKind.NOT_FOUND.word());
        assertSame(ErrorKind.FAILED, ErrorKind.of("something-newer"));
        assertSame(ErrorKind.FAILED, ErrorKind.of(null));
    }
}
