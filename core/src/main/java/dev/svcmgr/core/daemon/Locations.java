package dev.svcmgr.core.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where things live by default (cli.md "Where things live"): root (uid 0) uses system directories,
 * other users their home and runtime directories, honouring {@code $HOME} and the XDG base directory
 * variables. A relative XDG value is ignored, as the XDG specification says. Each method takes the
 * environment to read; the no-argument forms read {@link System#getenv()}.
 */
public final class Locations {
    private Locations() {}

    /** True when running as root: the numeric uid is 0 (never decided by the user name). */
    public static boolean isRoot() {
        Integer u = numericUid();
        return u != null ? u == 0 : "root".equals(System.getProperty("user.name"));
    }

    /** This process's uid, read as the owner of {@code /proc/self}; null when that cannot be read. */
    private static Integer numericUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (Exception e) {
            return null;
        }
    }

    private static String uid() {
        Integer u = numericUid();
        return u != null ? u.toString() : System.getProperty("user.name");
    }

    /** The runtime dir: {@code SVCMGR_RUNTIME_DIR}, else {@code /run/svcmgr} (root), else {@code $XDG_RUNTIME_DIR/svcmgr} or {@code /tmp/svcmgr-$UID}. */
    public static Path runtimeDir(Map<String, String> env) {
        String e = env.get("SVCMGR_RUNTIME_DIR");
        if (e != null && !e.isEmpty()) return Path.of(e);
        if (isRoot()) return Path.of("/run/svcmgr");
        return userRuntimeDir(env);
    }

    /** {@code /var/log/svcmgr} (root) or {@link #userLogDir}. */
    public static Path logDir(Map<String, String> env) {
        return isRoot() ? Path.of("/var/log/svcmgr") : userLogDir(env);
    }

    /** {@link #logDir(Map)} of this process's environment. */
    public static Path logDir() { return logDir(System.getenv()); }

    /** {@code /var/lib/svcmgr} (root) or {@link #userStateDir}. */
    public static Path stateDir(Map<String, String> env) {
        return isRoot() ? Path.of("/var/lib/svcmgr") : userStateDir(env);
    }

    /** {@link #stateDir(Map)} of this process's environment. */
    public static Path stateDir() { return stateDir(System.getenv()); }

    /** A non-root user's runtime dir: {@code $XDG_RUNTIME_DIR/svcmgr}, else {@code /tmp/svcmgr-$UID}. */
    static Path userRuntimeDir(Map<String, String> env) {
        String x = absolute(env, "XDG_RUNTIME_DIR");
        return x != null ? Path.of(x, "svcmgr") : Path.of("/tmp/svcmgr-" + uid());
    }

    /** A non-root user's log dir: {@code $XDG_STATE_HOME/svcmgr/log}, else {@code $HOME/.local/state/svcmgr/log}. */
    static Path userLogDir(Map<String, String> env) {
        return userStateDir(env).resolve("log");
    }

    /** A non-root user's state dir: {@code $XDG_STATE_HOME/svcmgr}, else {@code $HOME/.local/state/svcmgr}. */
    static Path userStateDir(Map<String, String> env) {
        String x = absolute(env, "XDG_STATE_HOME");
        return (x != null ? Path.of(x) : home(env).resolve(".local/state")).resolve("svcmgr");
    }

    /** {@code $HOME} when set, else the {@code user.home} property. */
    static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h != null && !h.isEmpty() ? h : System.getProperty("user.home"));
    }

    private static String absolute(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && v.startsWith("/") ? v : null;
    }
}
