package dev.svcmgr.core.daemon;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where things live by default (cli.md "Where things live"): root uses system
 * directories, other users their home and runtime directories.
 */
public final class Locations {
    private Locations() {}

    /** True when running as root (uid 0). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String uid() {
        try {
            Object v = java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(v);
        } catch (Exception e) {
            return System.getProperty("user.name");
        }
    }

    /** The runtime dir: {@code SVCMGR_RUNTIME_DIR}, else {@code /run/svcmgr} (root), else {@code $XDG_RUNTIME_DIR/svcmgr} or {@code /tmp/svcmgr-$UID}. */
    public static Path runtimeDir(Map<String, String> env) {
        String e = env.get("SVCMGR_RUNTIME_DIR");
        if (e != null && !e.isEmpty()) return Path.of(e);
        if (isRoot()) return Path.of("/run/svcmgr");
        String x = env.get("XDG_RUNTIME_DIR");
        if (x != null && !x.isEmpty()) return Path.of(x, "svcmgr");
        return Path.of("/tmp/svcmgr-" + uid());
    }

    private static Path home() { return Path.of(System.getProperty("user.home")); }

    /** {@code /var/log/svcmgr} (root) or {@code ~/.local/state/svcmgr/log}. */
    public static Path logDir() {
        return isRoot() ? Path.of("/var/log/svcmgr") : home().resolve(".local/state/svcmgr/log");
    }

    /** {@code /var/lib/svcmgr} (root) or {@code ~/.local/state/svcmgr}. */
    public static Path stateDir() {
        return isRoot() ? Path.of("/var/lib/svcmgr") : home().resolve(".local/state/svcmgr");
    }
}
