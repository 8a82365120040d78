package dev.svcmgr.units;

import java.time.Duration;

/** Duration helpers; {@link #INFINITY} stands for {@code infinity}. */
public final class Durations {
    public static final Duration INFINITY = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);

    private Durations() {}

    public static boolean isInfinite(Duration d) { return d == null || d.compareTo(INFINITY) >= 0; }

    /** {@code 1min 30s}, {@code 100ms}, {@code infinity}. */
    public static String format(Duration d) {
        if (isInfinite(d)) return "infinity";
        long ms = d.toMillis();
        if (ms == 0) return "0";
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000; ms %= 3_600_000;
        long m = ms / 60_000; ms %= 60_000;
        long s = ms / 1000; ms %= 1000;
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(b.length() > 0 ? " " : "").append(m).append("min");
        if (s > 0) b.append(b.length() > 0 ? " " : "").append(s).append('s');
        if (ms > 0) b.append(b.length() > 0 ? " " : "").append(ms).append("ms");
        return b.toString();
    }
}
