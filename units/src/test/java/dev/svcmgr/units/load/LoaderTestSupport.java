package dev.svcmgr.units.load;

import dev.svcmgr.units.Problem;
import dev.svcmgr.units.UnitSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes unit files into a temporary directory and loads them. */
final class LoaderTestSupport {
    private LoaderTestSupport() {}

    static Path write(Path dir, String relative, String text) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static UnitSet load(Path... dirs) { return UnitLoader.load(List.of(dirs)); }

    /** Every problem formatted, one per line. */
    static List<String> messages(UnitSet set) { return set.problems().stream().map(Problem::format).toList(); }
}
