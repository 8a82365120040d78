package dev.svcmgr.units;

import java.time.Duration;

/** More than {@code burst} starts within {@code interval}: the unit fails with {@code start-limit}. */
public record StartLimit(int burst, Duration interval) {
    public static final StartLimit DEFAULT = new StartLimit(5, Duration.ofSeconds(10));
}
