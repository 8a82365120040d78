package dev.svcmgr.units.load;

import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.svcmgr.units.load.LoaderTestSupport.load;
import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Problems that quote a unit file not every user may read carry a kind without its contents
 * (cli.md: a message never quotes the contents of a file its reader could not read).
 */
class RestrictedFilesTest {
    @TempDir Path tmp;

    private Path dir() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp;
    }

    @Test
    @DisplayName("a file every user may read keeps its messages as they are")
    void worldReadableFilesAreQuotedAsBefore() throws IOException {
        Path d = dir();
        Path f = write(d, "a.service.yaml", "exec: /bin/true\nrestart: sometimes\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        UnitSet set = load(d);
        for (Problem p : set.problems()) assertNull(p.kind(), p.format());
        assertEquals(set.lookup("a.service").firstError(), set.lookup("a.service").firstErrorWithoutContent());
    }

    @Test
    @DisplayName("a unit symlinked to a root-only file: its problems without the file's contents show location and kind only")
    void restrictedFilesGetKindsWithoutContent() throws IOException {
        Path d = dir();
        Path secret = write(d, "secret.txt", "password: hunter2\nrestart: sometimes\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(d.resolve("units"));
        Files.createSymbolicLink(d.resolve("units/c.service.yaml"), secret);
        UnitSet set = load(d.resolve("units"));
        List<Problem> ps = set.problems();
        assertFalse(ps.isEmpty());
        for (Problem p : ps) {
            String shown = p.formatWithoutContent();
            assertFalse(shown.contains("hunter2") || shown.contains("password") || shown.contains("sometimes"), shown);
            assertTrue(shown.contains("details hidden"), shown);
            assertTrue(shown.startsWith(d.resolve("units/c.service.yaml") + ":"), shown);
        }
        assertTrue(ps.stream().anyMatch(p -> p.format().contains("'password'")), "the full form still says what is wrong");
        Unit c = set.lookup("c.service");
        assertFalse(c.firstErrorWithoutContent().contains("hunter2") || c.firstErrorWithoutContent().contains("password"));
        assertTrue(ps.stream().anyMatch(p -> p.formatWithoutContent().contains("error: invalid setting 'restart'")),
                ps.stream().map(Problem::formatWithoutContent).toList().toString());
    }

    @Test
    @DisplayName("a YAML syntax error in a restricted file quotes nothing of it")
    void syntaxErrorsOfRestrictedFiles() throws IOException {
        Path d = dir();
        Path f = write(d, "b.service.yaml", "exec: [/bin/true\ntoken: 's3cr3t\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        UnitSet set = load(d);
        Problem p = set.problems().get(0);
        assertEquals("YAML syntax error", p.kind());
        assertFalse(p.formatWithoutContent().contains("s3cr3t"), p.formatWithoutContent());
    }
}
