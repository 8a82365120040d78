package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the cgroup hierarchies from /proc/self/mountinfo and /proc/self/cgroup:
 * the cgroup v2 mount (at /sys/fs/cgroup on pure v2 hosts, /sys/fs/cgroup/unified
 * on hybrid ones) and, for hybrid hosts, the v1 {@code pids} hierarchy.
 */
final class Cgroups {
    /** A mount point and the manager's own path inside it. */
    record Hierarchy(Path mount, String selfPath) {
        Path own() { return selfPath.equals("/") ? mount : mount.resolve(selfPath.substring(1)); }
    }

    private Cgroups() {}

    /** The v2 hierarchy, or null. */
    static Hierarchy v2(List<String> mountinfo, List<String> selfCgroup) {
        String self = null;
        for (String l : selfCgroup) if (l.startsWith("0::")) self = l.substring(3);
        if (self == null) return null;
        for (String l : mountinfo) {
            int dash = l.indexOf(" - ");
            if (dash < 0) continue;
            String[] after = l.substring(dash + 3).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2")) {
                return new Hierarchy(Path.of(unescape(l.substring(0, dash).split(" ")[4])), self);
            }
        }
        return null;
    }

    /** The v1 hierarchy of one controller (e.g. {@code pids}), or null. */
    static Hierarchy v1(List<String> mountinfo, List<String> selfCgroup, String controller) {
        String self = null;
        for (String l : selfCgroup) {
            String[] f = l.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) self = f[2];
        }
        if (self == null) return null;
        for (String l : mountinfo) {
            int dash = l.indexOf(" - ");
            if (dash < 0) continue;
            String[] after = l.substring(dash + 3).split(" ");
            if (after.length >= 3 && after[0].equals("cgroup") && List.of(after[2].split(",")).contains(controller)) {
                return new Hierarchy(Path.of(unescape(l.substring(0, dash).split(" ")[4])), self);
            }
        }
        return null;
    }

    static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
