package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The manager's own RLIMIT_NOFILE. Each service holds two of the manager's descriptors (its output
 * FIFOs' read ends), so a manager run as root raises its own limit to the kernel's {@code fs.nr_open}
 * (at most 2^20), as systemd does; the services keep the limit the manager was started with (the
 * spawner sets it for each, {@link #forServices()}), so that raising it changes nothing they see.
 */
public final class DescriptorLimit {
    private DescriptorLimit() {}

    private static final int RLIMIT_NOFILE = 7;
    private static final long MAX = 1L << 20;

    /** {soft, hard} of this process, or null when unknown. */
    static long[] get() {
        Pointer p = Memory.allocateDirect(Native.RT, 16, true);
        if (Native.C.getrlimit(RLIMIT_NOFILE, p) != 0) return null;
        return new long[] {p.getLong(0), p.getLong(8)};
    }

    /** The soft limit of this process, or {@link Integer#MAX_VALUE} when unknown or above it. */
    public static int soft() {
        long[] l = get();
        return l == null || l[0] < 0 || l[0] > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) l[0];
    }

    private static long[] started;
    private static boolean raised;

    /**
     * Once per process: remembers the limit it was started with and, as root, raises its own to
     * {@code fs.nr_open}. True when it raised it.
     */
    static synchronized boolean raiseOnce(boolean root) {
        if (started != null) return raised;
        started = get();
        if (started == null || !root) return false;
        long target = Math.min(MAX, nrOpen());
        if (target <= started[1] && target <= started[0]) return false;
        long soft = Math.max(started[0], target), hard = Math.max(started[1], target);
        Pointer p = Memory.allocateDirect(Native.RT, 16, true);
        p.putLong(0, soft);
        p.putLong(8, hard);
        raised = Native.C.setrlimit(RLIMIT_NOFILE, p) == 0;
        return raised;
    }

    /** The limit services get when their unit sets none ({soft, hard}), or null to inherit the manager's. */
    static synchronized long[] forServices() { return raised ? started.clone() : null; }

    private static long nrOpen() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/fs/nr_open")).trim());
        } catch (IOException | RuntimeException e) {
            return MAX;
        }
    }
}
