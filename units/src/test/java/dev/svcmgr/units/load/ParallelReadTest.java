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
import java.util.ArrayList;
import java.util.List;

import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader reads and parses a large directory's files on several threads (UnitLoader.readAhead):
 * the set it builds is the one a load that reads them in turn builds, problems, hidden contents,
 * aliases, masks, templates and drop-ins included.
 */
class ParallelReadTest {
    @TempDir Path tmp;

    @Test
    @DisplayName("a directory of 300 files, some bad, some closed to other users: the same units and problems read on 4 threads as on 1")
    void parallelReadingBuildsTheSameSet() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path d = Files.createDirectories(tmp.resolve("units"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String n = "s" + i + ".service";
            names.add(n);
            String body = switch (i % 10) {
                case 3 -> "exec: /bin/true\nrestart: sometimes\n";            // a bad value
                case 5 -> "exec: [/bin/true\n";                               // a YAML syntax error
                case 7 -> "exec: /bin/sleep 1\nrequires: [s" + (i - 1) + ".service]\n";
                default -> "description: service " + i + "\nexec: /bin/sleep " + i + "\n";
            };
            Path f = write(d, n + ".yaml", body);
            if (i % 30 == 3) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        write(d, "web@.service.yaml", "exec: /bin/echo %i\n");
        write(d, "s1.service.d/10-more.yaml", "description: more\n");
        Files.createSymbolicLink(d.resolve("alias.service.yaml"), d.resolve("s2.service.yaml"));
        Files.delete(d.resolve("s6.service.yaml"));
        Files.createSymbolicLink(d.resolve("s6.service.yaml"), Path.of("/dev/null"));
        write(d, "all.target.yaml", "wants: [" + String.join(", ", names) + "]\n");

        UnitSet serial = UnitLoader.load(List.of(d), UnitFileReader.PLAIN, 1);
        UnitSet parallel = UnitLoader.load(List.of(d), UnitFileReader.PLAIN, 4);

        assertEquals(text(serial), text(parallel));
        assertEquals(serial.problems().stream().map(Problem::formatWithoutContent).toList(),
                parallel.problems().stream().map(Problem::formatWithoutContent).toList());
        assertTrue(serial.problems().stream().anyMatch(p -> p.kind() != null), "a closed file's problems carry a kind");
        assertEquals(serial.lookup("web@x.service").service().exec(), parallel.lookup("web@x.service").service().exec());
        assertEquals("more", parallel.lookup("s1.service").description());
        assertEquals("s2.service", parallel.canonical("alias.service"));
    }

    private static List<String> text(UnitSet set) {
        List<String> out = new ArrayList<>();
        for (Unit u : set.units().values()) out.add(u.toString());
        for (Problem p : set.problems()) out.add(p.format());
        return out;
    }
}
