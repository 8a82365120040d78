package dev.svcmgr.units;

/**
 * Resource limits; null fields are unset.
 *
 * @param memory     bytes
 * @param cpuPercent percent of one CPU (150 = one and a half CPUs)
 * @param pids       most tasks
 * @param nofile     RLIMIT_NOFILE
 * @param core       RLIMIT_CORE, bytes
 */
public record Limits(Long memory, Integer cpuPercent, Long pids, Long nofile, Long core) {
    public static final Limits NONE = new Limits(null, null, null, null, null);

    public boolean isEmpty() { return memory == null && cpuPercent == null && pids == null && nofile == null && core == null; }
}
