package dev.svcmgr.core.os;

import jnr.ffi.LibraryLoader;

/**
 * reboot(2), the final action of an init (PID 1). In a PID namespace the kernel
 * ends the namespace's init instead of the machine: its parent sees it killed by
 * SIGHUP (restart) or SIGINT (power off/halt).
 */
public final class Reboot {
    /** The three actions svcmgr's final step may take. */
    public enum Action { POWEROFF, REBOOT, HALT }

    /** The part of glibc this class needs. */
    public interface Sys {
        int reboot(int cmd);

        void sync();
    }

    private static final int LINUX_REBOOT_CMD_RESTART = 0x01234567;
    private static final int LINUX_REBOOT_CMD_HALT = 0xCDEF0123;
    private static final int LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;

    private Reboot() {}

    /** Syncs file systems and calls reboot(2); returns only when the kernel refuses (errno message). */
    public static String perform(Action a) {
        Sys s = LibraryLoader.create(Sys.class).load("c");
        s.sync();
        int cmd = switch (a) {
            case POWEROFF -> LINUX_REBOOT_CMD_POWER_OFF;
            case REBOOT -> LINUX_REBOOT_CMD_RESTART;
            case HALT -> LINUX_REBOOT_CMD_HALT;
        };
        int rc = s.reboot(cmd);
        if (rc == 0) return null;
        return "reboot(2) failed with errno " + jnr.ffi.Runtime.getRuntime(s).getLastError();
    }
}
