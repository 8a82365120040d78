package dev.svcmgr.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a unit's conditions ask of the file system, the engine's one port to it (STYLE habit 9): the
 * {@link StartGate} decides {@code path-exists}, {@code path-exists-not} and {@code file-not-empty}
 * through it. {@link #REAL} asks the host; tests and simulations may pass their own. Called on the
 * loop thread, once per condition of a start.
 */
public interface FileProbe {
    /** True when {@code path} names something (symbolic links followed). */
    boolean exists(String path);

    /** True when {@code path} is a regular file (links followed) of at least one byte. */
    boolean isNonEmptyFile(String path);

    /** True when {@code path} is a directory (links followed) holding at least one entry. */
    boolean isNonEmptyDirectory(String path);

    /** The host's file system. */
    FileProbe REAL = new FileProbe() {
        @Override
        public boolean exists(String path) { return Files.exists(Path.of(path)); }

        @Override
        public boolean isNonEmptyDirectory(String path) {
            try (var s = Files.newDirectoryStream(Path.of(path))) {
                return s.iterator().hasNext();
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public boolean isNonEmptyFile(String path) {
            Path p = Path.of(path);
            try {
                return Files.isRegularFile(p) && Files.size(p) > 0;
            } catch (IOException e) {
                return false;
            }
        }
    };
}
