package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * Small files read with one {@code open}, a few {@code read}s into the calling thread's own native
 * buffer, and {@code close}: the kernel's files the manager reads per service ({@code cgroup.procs},
 * {@code cgroup.events}, {@code /proc/PID/stat}) and unit files.
 *
 * <p>{@code Files.readAllLines} allocates a 16 KiB reader (8 KiB of chars, 8 KiB of bytes) for each
 * call: stopping 1,000 services read ~3,000 such files, 44 of the 94 MB the stop allocated, and the
 * young collections and full collections this forced were a third of the stop's time (issue 13).
 * The unit-file reader allocated 64 KiB of heap and 64 KiB of native memory per file (74 of the
 * 197 MB a boot of 1,000 allocated). Here each thread has one 16 KiB native buffer for its life;
 * a call allocates the bytes it returns and nothing else.
 */
final class KernelFiles {
    private KernelFiles() {}

    private static final int CHUNK = 16 * 1024;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ELOOP = 40;

    private static final ThreadLocal<Pointer> BUFFER = ThreadLocal.withInitial(() -> Memory.allocateDirect(Native.RT, CHUNK, false));

    /** The file's bytes, as Latin-1 (the kernel's files are ASCII): for parsing. */
    static String read(String path) throws IOException {
        int fd = open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        try {
            return new String(readFd(fd, path, Integer.MAX_VALUE, 64), StandardCharsets.ISO_8859_1);
        } finally {
            Native.C.close(fd);
        }
    }

    /** Opens {@code path}, or throws what an NIO call would ({@link NoSuchFileException} for ENOENT, ...). */
    static int open(String path, int flags) throws IOException {
        int fd = Native.C.open(path, flags, 0);
        if (fd < 0) {
            int e = Native.errno();
            if (e == ENOENT) throw new NoSuchFileException(path);
            if (e == EACCES) throw new AccessDeniedException(path);
            throw new FileSystemException(path, null, e == ELOOP ? "Too many levels of symbolic links" : Native.strerror(e));
        }
        return fd;
    }

    /**
     * At most {@code max} bytes from {@code fd} until end of file. {@code sizeHint} sizes the first
     * array (a regular file's size: the bytes come back in an array of exactly that size when it did
     * not change meanwhile).
     */
    static byte[] readFd(int fd, String path, int max, long sizeHint) throws IOException {
        Pointer buf = BUFFER.get();
        byte[] out = new byte[(int) Math.max(0, Math.min(max, Math.min(sizeHint, Integer.MAX_VALUE - 8)))];
        int len = 0;
        while (len < max) {
            long n = Native.C.read(fd, buf, Math.min(CHUNK, max - len));
            if (n < 0) {
                int e = Native.errno();
                if (e == Native.EINTR) continue;
                throw new FileSystemException(path, null, Native.strerror(e));
            }
            if (n == 0) break;
            if (len + n > out.length) out = Arrays.copyOf(out, (int) Math.min(max, Math.max(len + n, 2L * out.length + 64)));
            buf.get(0, out, len, (int) n);
            len += (int) n;
        }
        return len == out.length ? out : Arrays.copyOf(out, len);
    }
}
