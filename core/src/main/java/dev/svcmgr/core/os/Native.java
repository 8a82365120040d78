package dev.svcmgr.core.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The loaded C library and small helpers for building C arguments. */
final class Native {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RT = Runtime.getRuntime(C);

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int F_SETFD = 2;
    static final int F_SETPIPE_SZ = 1031;
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_CLOSE_RANGE = 436;
    static final long SYS_PIDFD_GETFD = 438;
    static final int CLOSE_RANGE_CLOEXEC = 4;
    static final int EEXIST = 17;
    static final int EINTR = 4;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int X_OK = 1;
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    private Native() {}

    static int errno() { return RT.getLastError(); }

    static String strerror(int errno) { return C.strerror(errno); }

    /** A NULL-terminated {@code char *[]}; the returned memory keeps the strings alive through {@code keep}. */
    static Pointer cStrings(List<String> strings, List<Object> keep) {
        int ps = RT.addressSize();
        Pointer array = Memory.allocateDirect(RT, (strings.size() + 1) * ps, true);
        for (int i = 0; i < strings.size(); i++) {
            byte[] b = strings.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer s = Memory.allocateDirect(RT, b.length + 1, true);
            s.put(0, b, 0, b.length);
            s.putByte(b.length, (byte) 0);
            keep.add(s);
            array.putPointer((long) i * ps, s);
        }
        array.putAddress((long) strings.size() * ps, 0L);
        keep.add(array);
        return array;
    }
}
