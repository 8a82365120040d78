package dev.svcmgr.units.load;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the loader reads the bytes of one unit file or drop-in (a path that may be a symlink to the file).
 *
 * <p>{@link #PLAIN} uses Java's files API, which cannot open without blocking: it checks "regular file"
 * and then opens, so a file swapped for a FIFO in between makes its {@code open} wait for a writer,
 * forever. The daemon passes a reader that opens with {@code O_NONBLOCK} and checks what it opened with
 * {@code fstat} ({@code dev.svcmgr.core.os.UnitFiles}); that reader cannot hang on a FIFO.
 */
@FunctionalInterface
public interface UnitFileReader {
    /**
     * Reads at most {@code max} bytes of the regular file at {@code path} (symlinks followed).
     *
     * @throws NotRegularFileException when what was opened is not a regular file (a FIFO, a device, a directory)
     * @throws IOException             when it cannot be opened or read, with the OS's reason
     */
    byte[] read(Path path, int max) throws IOException;

    /** Java's files API: "regular file" checked before the open (see the type's comment for the race). */
    UnitFileReader PLAIN = (path, max) -> {
        if (!Files.isRegularFile(path)) throw new NotRegularFileException(path.toString());
        try (var in = Files.newInputStream(path)) {
            return in.readNBytes(max);
        }
    };

    /** What was opened at a unit file's path is not a regular file. */
    final class NotRegularFileException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        public NotRegularFileException(String file) { super(file, null, "not a regular file"); }
    }
}
