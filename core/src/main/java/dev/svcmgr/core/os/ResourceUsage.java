package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one service's figures from its cgroups: memory in use, task count and
 * how many times the kernel's OOM killer struck (v2 {@code memory.events}
 * {@code oom_kill}, v1 {@code memory.oom_control} {@code oom_kill}). Any
 * directory may be null; a figure that cannot be read is null. Thread-safe. {@link #of} gives
 * fixed figures (a simulated runtime).
 */
public class ResourceUsage {
    /** Nothing to read. */
    public static final ResourceUsage NONE = new ResourceUsage(null, null, null, null);

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
