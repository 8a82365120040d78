package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one reader of a service's figures: memory in use, task count and how many times the kernel's
 * OOM killer struck, from its cgroups (v2 {@code memory.current}, {@code pids.current},
 * {@code memory.events} in the service's directory where the v2 controller is enabled; on hybrid
 * hosts the v1 {@code memory} and {@code pids} directories the limits set up), and, for
 * {@code status}, from /proc when no cgroup keeps them ({@link #sample}). Any directory may be
 * null; a figure that cannot be read is null. Thread-safe. {@link #of} gives fixed figures (a
 * simulated runtime).
 */
public class ResourceUsage {
    /** Nothing to read from cgroups: {@link #sample} sums the processes' own figures. */
    public static final ResourceUsage NONE = new ResourceUsage(null, null, null, null);

    /** Where the figures of a {@link Sample} came from. */
    public enum Source {
        /** The service's group keeps them (its cgroup; the simulated group's own). */
        CGROUP,
        /** Summed over its processes from /proc: resident memory ({@code VmRSS}) and threads. */
        PROCESSES
    }

    /**
     * A service's figures at one moment, for {@code status}.
     *
     * @param memoryBytes memory in use, or null when unknown
     * @param tasks       tasks (threads included)
     * @param source      where the memory figure came from ({@link Source#PROCESSES} when none did)
     */
    public record Sample(Long memoryBytes, long tasks, Source source) {}

    private final Path v2Memory;
    private final Path v1Memory;
    private final Path pidsDir;
    private final Path v2Dir;

    ResourceUsage(Path v2Memory, Path v1Memory, Path pidsDir, Path v2Dir) {
        this.v2Memory = v2Memory;
        this.v1Memory = v1Memory;
        this.pidsDir = pidsDir;
        this.v2Dir = v2Dir;
    }

    /** Figures given as values instead of read from cgroup files. */
    public static ResourceUsage of(Long memoryBytes, Long tasks, long oomKills) {
        return new ResourceUsage(null, null, null, null) {
            @Override
            public Long memoryBytes() { return memoryBytes; }

            @Override
            public Long tasks() { return tasks; }

            @Override
            public long oomKills() { return oomKills; }
        };
    }

    /** Bytes of memory charged to the service, or null. */
    public Long memoryBytes() {
        if (v2Memory != null) return number(v2Memory.resolve("memory.current"));
        if (v1Memory != null) return number(v1Memory.resolve("memory.usage_in_bytes"));
        return null;
    }

    /** Tasks (threads included) in the service, or null. */
    public Long tasks() {
        if (pidsDir != null) return number(pidsDir.resolve("pids.current"));
        return null;
    }

    /** OOM kills in the service's memory cgroup so far (0 when unknown). */
    public long oomKills() {
        Path f = v2Memory != null ? v2Memory.resolve("memory.events") : v1Memory != null ? v1Memory.resolve("memory.oom_control") : null;
        if (f == null) return 0;
        try {
            for (String l : Files.readAllLines(f)) {
                if (l.startsWith("oom_kill ")) return Long.parseLong(l.substring(9).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * The figures {@code status} shows for a service whose processes are {@code pids}: the group's
     * where it keeps both; otherwise each missing one summed over {@code pids} from
     * {@code /proc/PID/status} (resident memory, threads), a process that ended meanwhile counting
     * nothing. The memory is null when neither source has it.
     */
    public Sample sample(List<Integer> pids) {
        Long mem = memoryBytes();
        Long tasks = tasks();
        if (mem != null && tasks != null) return new Sample(mem, tasks, Source.CGROUP);
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
        return new Sample(mem != null ? mem : any ? rss : null, tasks != null ? tasks : threads,
                mem != null ? Source.CGROUP : Source.PROCESSES);
    }

    /**
     * CPU time the service used, in nanoseconds: the group's {@code cpu.stat usage_usec} (cgroup v2)
     * where it keeps it, else the user and system time of {@code pids} now alive from
     * {@code /proc/PID/stat} (clock ticks of 10 ms); null when neither can be read.
     */
    public Long cpuNanos(List<Integer> pids) {
        if (v2Dir != null) {
            try {
                for (String l : Files.readAllLines(v2Dir.resolve("cpu.stat"))) {
                    if (l.startsWith("usage_usec ")) return Long.parseLong(l.substring(11).trim()) * 1000;
                }
            } catch (IOException | NumberFormatException e) {
                // no cpu.stat here: the processes' own figures
            }
        }
        long ticks = 0;
        boolean any = false;
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
                any = true;
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        }
        return any ? ticks * 10_000_000L : null;
    }

    /** The directories read, for {@code status} and tests. */
    public List<Path> dirs() {
        return java.util.stream.Stream.of(v2Memory, v1Memory, pidsDir, v2Dir).filter(java.util.Objects::nonNull).distinct().toList();
    }

    private static Long number(Path f) {
        try {
            return Long.parseLong(Files.readString(f).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
