package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies {@code limits.memory}, {@code limits.cpu} and {@code limits.pids} to a
 * service, choosing per controller, in this order:
 * <ol>
 * <li>the cgroup v2 controller ({@code memory.max}, {@code cpu.max}, {@code pids.max})
 *     when the manager's v2 directory can enable it in its {@code cgroup.subtree_control};</li>
 * <li>the cgroup v1 hierarchy of that controller (hybrid hosts): a per-service
 *     directory {@code <mount>/<manager's path>/<name>/<unit>} that the service
 *     joins before exec ({@code memory.limit_in_bytes} (+ {@code memsw}),
 *     {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, {@code pids.max});</li>
 * <li>an rlimit where one fits ({@code RLIMIT_AS} for memory), with a warning
 *     saying it is weaker;</li>
 * <li>else a warning. Never a silent no-op.</li>
 * </ol>
 * Instances are immutable and thread-safe once built.
 */
public final class ResourceLimits {
    /** The CFS period used for {@code cpu}: 100 ms, as systemd. */
    static final long CPU_PERIOD_US = 100_000;

    private final Path v2Base;
    private final Set<String> v2Enabled;
    private final Map<String, Path> v1Bases;

    /**
     * What a service's limits turned into.
     *
     * @param joinDirs    v1 directories the service must join (write its PID into {@code cgroup.procs}) before exec
     * @param prlimitArgs extra {@code prlimit} options (fallbacks), e.g. {@code --as=536870912:536870912}
     * @param usage       where to read memory, task and OOM figures
     */
    public record Setup(List<Path> joinDirs, List<String> prlimitArgs, ResourceUsage usage) {}

    ResourceLimits(Path v2Base, Set<String> v2Enabled, Map<String, Path> v1Bases) {
        this.v2Base = v2Base;
        this.v2Enabled = Set.copyOf(v2Enabled);
        this.v1Bases = Map.copyOf(v1Bases);
    }

    /**
     * Finds what this host offers for a manager whose service cgroups live in {@code v2Base}
     * (null when services are not tracked by cgroup v2): enables memory, cpu and pids in
     * {@code v2Base/cgroup.subtree_control} where offered, and finds the writable v1
     * hierarchies of the others. Service directories are named {@code <name>/<unit>}.
     */
    public static ResourceLimits detect(String name, Path v2Base) {
        List<String> mountinfo = Cgroups.lines("/proc/self/mountinfo");
        List<String> self = Cgroups.lines("/proc/self/cgroup");
        Set<String> enabled = new TreeSet<>();
        if (v2Base != null) {
            try {
                List<String> offered = List.of(Files.readString(v2Base.resolve("cgroup.controllers")).trim().split("\\s+"));
                for (String c : List.of("memory", "cpu", "pids")) {
                    if (!offered.contains(c)) continue;
                    try {
                        Files.writeString(v2Base.resolve("cgroup.subtree_control"), "+" + c);
                        enabled.add(c);
                    } catch (IOException e) {
                        // not delegated to us: the v1 hierarchy or a fallback is used
                    }
                }
            } catch (IOException e) {
                // no controllers file: nothing enabled
            }
        }
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (String c : List.of("memory", "cpu", "pids")) {
            if (enabled.contains(c)) continue;
            Cgroups.Hierarchy h = Cgroups.v1(mountinfo, self, c);
            if (h != null && Files.isWritable(h.own())) v1.put(c, h.own().resolve(name));
        }
        return new ResourceLimits(v2Base, enabled, v1);
    }

    /** One line: which controller is used from where, e.g. {@code memory: v1 /sys/fs/cgroup/memory/svcmgr}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (String c : List.of("memory", "cpu", "pids")) {
            if (v2Enabled.contains(c)) parts.add(c + ": v2 " + v2Base);
            else if (v1Bases.containsKey(c)) parts.add(c + ": v1 " + v1Bases.get(c));
            else parts.add(c + ": none");
        }
        return String.join(", ", parts);
    }

    /**
     * Sets the limits up for one run of {@code unit} whose v2 directory is {@code v2Dir}
     * (created already; null without cgroup tracking). Anything that cannot be applied
     * adds one line to {@code warnings}. A null limit is left alone.
     */
    public Setup setUp(String unit, Path v2Dir, Long memory, Integer cpuPercent, Long pids, List<String> warnings) {
        List<Path> join = new ArrayList<>();
        List<String> prlimit = new ArrayList<>();
        Map<String, Path> v1Dirs = new LinkedHashMap<>();
        // a v1 directory is created (and joined) only for a limit that uses it: each costs a mkdir and a join per start
        for (Map.Entry<String, Path> e : v1Bases.entrySet()) {
            boolean wanted = switch (e.getKey()) {
                case "memory" -> memory != null;
                case "cpu" -> cpuPercent != null;
                default -> pids != null;
            };
            if (!wanted) continue;
            try {
                Path d = LinuxProcessRuntime.cgroupDir(e.getValue().resolve(unit));
                v1Dirs.put(e.getKey(), d);
                join.add(d);
            } catch (IOException | RuntimeException ex) {
                warnings.add("limits." + e.getKey() + " not applied: cannot create " + e.getValue().resolve(unit)
                        + " (" + ex.getMessage() + ")");
            }
        }
        boolean v2 = v2Dir != null;
        if (memory != null) {
            if (v2 && v2Enabled.contains("memory")) {
                set(v2Dir.resolve("memory.max"), Long.toString(memory), "limits.memory", warnings);
                set(v2Dir.resolve("memory.swap.max"), "0", null, warnings);
            } else if (v1Dirs.containsKey("memory")) {
                Path d = v1Dirs.get("memory");
                if (set(d.resolve("memory.limit_in_bytes"), Long.toString(memory), "limits.memory", warnings)
                        && Files.exists(d.resolve("memory.memsw.limit_in_bytes"))) {
                    set(d.resolve("memory.memsw.limit_in_bytes"), Long.toString(memory), null, warnings);
                }
            } else {
                prlimit.add("--as=" + memory + ":" + memory);
                warnings.add("limits.memory applied as RLIMIT_AS (address space per process, not resident memory):"
                        + " no memory cgroup controller available");
            }
        }
        if (cpuPercent != null) {
            long quota = Math.max(1000, cpuPercent * CPU_PERIOD_US / 100);
            if (v2 && v2Enabled.contains("cpu")) {
                set(v2Dir.resolve("cpu.max"), quota + " " + CPU_PERIOD_US, "limits.cpu", warnings);
            } else if (v1Dirs.containsKey("cpu")) {
                Path d = v1Dirs.get("cpu");
                if (set(d.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US), "limits.cpu", warnings)) {
                    set(d.resolve("cpu.cfs_quota_us"), Long.toString(quota), "limits.cpu", warnings);
                }
            } else {
                warnings.add("limits.cpu not applied: no cpu cgroup controller available and no rlimit fits");
            }
        }
        if (pids != null) {
            if (v2 && v2Enabled.contains("pids")) {
                set(v2Dir.resolve("pids.max"), Long.toString(pids), "limits.pids", warnings);
            } else if (v1Dirs.containsKey("pids")) {
                set(v1Dirs.get("pids").resolve("pids.max"), Long.toString(pids), "limits.pids", warnings);
            } else {
                warnings.add("limits.pids not applied: no pids cgroup controller available"
                        + " (RLIMIT_NPROC counts every process of the user, so it is not used)");
            }
        }
        Path v2Mem = v2 && v2Enabled.contains("memory") ? v2Dir : null;
        Path v2Pids = v2 && v2Enabled.contains("pids") ? v2Dir : null;
        return new Setup(List.copyOf(join), List.copyOf(prlimit),
                new ResourceUsage(v2Mem, v1Dirs.get("memory"), v2Pids != null ? v2Pids : v1Dirs.get("pids"), v2Dir));
    }

    private static boolean set(Path file, String value, String key, List<String> warnings) {
        try {
            CgroupGroup.write(file, value);
            return true;
        } catch (IOException e) {
            if (key != null) warnings.add(key + " not applied: writing " + value + " to " + file + " failed (" + e.getMessage() + ")");
            return false;
        }
    }

    /** Removes the per-manager v1 directories (call when every service is gone). */
    public void close() {
        for (Path base : v1Bases.values()) {
            if (!Files.isDirectory(base)) continue;
            try (var s = Files.list(base)) {
                for (Path d : s.filter(Files::isDirectory).toList()) Files.deleteIfExists(d);
            } catch (IOException e) {
                // still populated: kept
            }
            try {
                Files.deleteIfExists(base);
            } catch (IOException e) {
                // still populated: kept
            }
        }
    }
}
