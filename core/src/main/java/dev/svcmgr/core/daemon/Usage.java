package dev.svcmgr.core.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory and task figures of one service for {@code status}: from its cgroup
 * where the kernel keeps them (v2 {@code memory.current}/{@code pids.current} in
 * the service's directory; on hybrid hosts the v1 memory and pids hierarchies at
 * the same relative path), else summed over its processes from /proc.
 *
 * @param memoryBytes memory in use, or null when unknown
 * @param tasks       tasks (threads included)
 * @param source      where the figures came from: {@code cgroup} or {@code processes}
 */
record Usage(Long memoryBytes, long tasks, String source) {

    /** Figures for a service tracked as {@code tracking} (e.g. {@code cgroup /sys/fs/cgroup/x.service}) with {@code pids}. */
    static Usage of(String tracking, List<Integer> pids) {
        Long mem = null;
        Long tasks = null;
        if (tracking != null && tracking.startsWith("cgroup ")) {
            Path dir = Path.of(tracking.substring("cgroup ".length()));
            mem = number(dir.resolve("memory.current"));
            tasks = number(dir.resolve("pids.current"));
            Path rel = relativeToMount(dir);
            if (rel != null) {
                if (mem == null) mem = number(Path.of("/sys/fs/cgroup/memory").resolve(rel).resolve("memory.usage_in_bytes"));
                if (tasks == null) tasks = number(Path.of("/sys/fs/cgroup/pids").resolve(rel).resolve("pids.current"));
            }
        }
        if (mem != null && tasks != null) return new Usage(mem, tasks, "cgroup");
        long rss = 0;
        long threads = 0;
        boolean any = false;
        for (int pid : pids) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                    if (l.startsWith("VmRSS:")) {
                        rss += Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                        any = true;
                    } else if (l.startsWith("Threads:")) {
                        threads += Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException gone) {
                // the process ended meanwhile
            }
        }
        return new Usage(mem != null ? mem : any ? rss : null, tasks != null ? tasks : threads,
                mem != null ? "cgroup" : "processes");
    }

    /** {@code svcmgr-x/a.service} for {@code /sys/fs/cgroup/unified/svcmgr-x/a.service} (or pure v2 {@code /sys/fs/cgroup/...}). */
    private static Path relativeToMount(Path dir) {
        for (String root : new String[] {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
            Path r = Path.of(root);
            if (dir.startsWith(r)) return r.relativize(dir);
        }
        return null;
    }

    private static Long number(Path f) {
        try {
            return Long.parseLong(Files.readString(f).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** {@code 12.5M} style, 1024-based like the unit files' sizes. */
    static String human(long bytes) {
        String[] u = {"B", "K", "M", "G", "T"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", v, u[i]);
    }
}
