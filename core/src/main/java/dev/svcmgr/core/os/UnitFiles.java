package dev.svcmgr.core.os;

import dev.svcmgr.units.load.UnitFileReader;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The daemon's way of reading unit files: it cannot hang on a FIFO.
 *
 * <p>The file is opened with {@code O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC} (symlinks followed: a unit
 * file may legitimately be one), so opening a FIFO returns at once instead of waiting for a writer;
 * then {@code fstat} on the opened descriptor says what was really opened, and anything but a regular
 * file is closed unread. Checking the path before opening cannot do that: the file can be swapped
 * between the check and the open (issue 11, defect 7). A regular file ignores {@code O_NONBLOCK}, so
 * its reads behave as usual.
 */
public final class UnitFiles {
    private UnitFiles() {}

    private static final int O_NOCTTY = 0x100;
    private static volatile POSIX posix;

    /** The non-blocking reader, for {@code UnitLoader.load(dirs, reader)}. */
    public static final UnitFileReader READER = UnitFiles::read;

    static byte[] read(Path path, int max) throws IOException {
        String p = path.toString();
        int fd = KernelFiles.open(p, Native.O_RDONLY | Native.O_NONBLOCK | Native.O_CLOEXEC | O_NOCTTY);
        try {
            long size = regularFileSize(fd, p);
            if (size < 0) throw new UnitFileReader.NotRegularFileException(p);
            return KernelFiles.readFd(fd, p, max, size);
        } finally {
            Native.C.close(fd);
        }
    }

    /**
     * The size of the file open on {@code fd}, or -1 when it is not a regular file: the attributes of
     * {@code /proc/self/fd/FD}, which name the opened file itself (as {@code fstat} does), read without
     * jnr-posix, whose set-up cost about 0.1 s of the daemon's start (docs/benchmarks.md, issue 13);
     * jnr-posix's {@code fstat} where /proc is not mounted.
     */
    private static long regularFileSize(int fd, String p) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = java.nio.file.Files.readAttributes(Path.of("/proc/self/fd/" + fd), java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException noProc) {
            FileStat st;
            try {
                POSIX px = posix;
                if (px == null) posix = px = POSIXFactory.getNativePOSIX();
                st = px.fstat(fd);
            } catch (RuntimeException e) {
                throw new FileSystemException(p, null, "fstat failed: " + e.getMessage());
            }
            return st != null && st.isFile() ? Math.max(st.st_size(), 0) : -1;
        }
        return a.isRegularFile() ? a.size() : -1;
    }
}
