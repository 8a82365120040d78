package dev.svcmgr.units;

/** Rotation of a unit's log: rotate at {@code maxSize} bytes, keep {@code keep} rotated files. */
public record LogConfig(long maxSize, int keep) {
    public static final LogConfig DEFAULT = new LogConfig(10L * 1024 * 1024, 5);
}
