package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.StartLimit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often one service may start and how long it waits before an automatic restart: the
 * start limit, the backoff and its reset. Pure: every time is an argument ({@code now}, in
 * nanoseconds of a monotonic clock), the jitter too; no loop, no clock, no I/O.
 *
 * <ul>
 * <li><b>Start limit.</b> Every start is counted; a start when {@code start-limit.burst} starts
 *     already happened within {@code start-limit.interval} is refused, and stays refused until
 *     {@link #clear()} ({@code reset-failed}).</li>
 * <li><b>Backoff.</b> With {@code failures} consecutive failures, the least time between two starts
 *     is {@code min(restart-delay x 2^(failures-1), restart-max-delay) x jitter}, counted from the
 *     previous start: a service that ran longer than that restarts at once.</li>
 * <li><b>Reset.</b> {@code failures} starts again from 1 once the service had been ready for
 *     {@code restart-reset-after}; a start asked for by someone resets it too.</li>
 * </ul>
 */
final class RestartBudget {
    /** "Long ago": a start this far back leaves no wait. */
    static final long LONG_AGO = 3_600_000_000_000L;

    private final Deque<Long> starts = new ArrayDeque<>();
    private boolean limitHit;
    private int failures;
    private long lastStart;
    private long readySince = -1;
    private int restarts;

    /**
     * Counts a start at {@code now}, or refuses it (false) when the start limit is hit. A start
     * that is not {@code automatic} (someone asked for it) clears the consecutive failures first.
     */
    boolean admit(StartLimit sl, boolean automatic, long now) {
        if (!automatic) failures = 0;
        if (limited(sl, now)) {
            limitHit = true;
            return false;
        }
        starts.addLast(now);
        lastStart = now;
        readySince = -1;
        return true;
    }

    private boolean limited(StartLimit sl, long now) {
        if (sl == null || sl.burst() <= 0 || sl.interval().isZero()) return false;
        long window = sl.interval().toNanos();
        while (!starts.isEmpty() && now - starts.peekFirst() > window) starts.removeFirst();
        return starts.size() >= sl.burst();
    }

    /** The service became ready at {@code now} (the first time in this run counts). */
    void ready(long now) {
        if (readySince < 0) readySince = now;
    }

    /**
     * A failure (or an exit that {@code restart: always} restarts) at {@code now}: counts it, after
     * clearing the count when the service had been ready for {@code restart-reset-after}, and returns
     * how long to wait before the restart.
     */
    long failed(ServiceConfig c, long now, java.util.function.DoubleSupplier jitter) {
        if (readySince >= 0 && now - readySince >= c.restartResetAfter().toNanos()) failures = 0;
        failures++;
        // a run that lasted longer than the longest jittered gap restarts at once, whatever the jitter: no random number
        // drawn (the usual case of a crash after a long run; the factor is at most 1.1)
        if (now - lastStart >= 2 * Math.min(waitNanos(c, failures, 0, 0, 1.0), Long.MAX_VALUE / 4)) return 0;
        return waitNanos(c, failures, lastStart, now, jitter.getAsDouble());
    }

    /** The automatic restart is due (counted in {@link #restarts()}). */
    void restartDue() { restarts++; }

    /** {@code reset-failed}: the start limit and the backoff start over. */
    void clear() {
        starts.clear();
        limitHit = false;
        failures = 0;
    }

    /** Taken over from a former manager's record at {@code now}: the run it recorded started and was ready then. */
    void restore(int restarts, int failures, boolean limitHit, long now) {
        this.restarts = restarts;
        this.failures = failures;
        this.limitHit = limitHit;
        this.lastStart = now;
        this.readySince = now;
    }

    /** The failure the record already counted is counted again by the next {@link #failed}. */
    void uncountLastFailure() { failures = Math.max(0, failures - 1); }

    /** The last start is long past (it happened under a former manager): no extra wait before a restart. */
    void startedLongAgo(long now) { lastStart = now - LONG_AGO; }

    boolean limitHit() { return limitHit; }

    int failures() { return failures; }

    int restarts() { return restarts; }

    /** The delay before the next automatic start, per the backoff rule. */
    static long waitNanos(ServiceConfig c, int failures, long lastStart, long now, double jitter) {
        long base = c.restartDelay().toNanos();
        long max = Durations.isInfinite(c.restartMaxDelay()) ? Long.MAX_VALUE : c.restartMaxDelay().toNanos();
        long gap = base;
        for (int i = 1; i < failures && gap < max; i++) gap = gap > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : gap * 2;
        gap = Math.min(Math.min(gap, max), Long.MAX_VALUE / 4); // no overflow for "infinity"
        gap = (long) (gap * jitter);
        return Math.max(0, gap - (now - lastStart));
    }

    /**
     * Whether a run that ended with {@code result} (null: clean) is restarted: the table of
     * docs/supervision.md; never after {@code exec} or {@code start-limit}; a oneshot only after a failure.
     */
    static boolean shouldRestart(RestartPolicy p, ServiceType type, Result result) {
        if (type == ServiceType.ONESHOT && (result == null || !result.isFailure())) return false;
        Result r = result == null ? Result.SUCCESS : result;
        if (r == Result.EXEC || r == Result.START_LIMIT) return false;
        return switch (p) {
            case NO -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> r == Result.EXIT_CODE || r == Result.SIGNAL || r == Result.TIMEOUT || r == Result.WATCHDOG
                    || r == Result.OOM_KILL;
            case ON_ABNORMAL -> r == Result.SIGNAL || r == Result.TIMEOUT || r == Result.WATCHDOG || r == Result.OOM_KILL;
        };
    }
}
