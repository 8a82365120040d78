package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.units.Durations;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A running service's watchdog ({@code watchdog: D}, docs/readiness-limits.md): a check at most one
 * period after the last {@code WATCHDOG=1}; when a whole period passed without one, the supervisor is
 * told (with the failure's detail), which makes it a {@code WATCHDOG_MISSED} event. Loop thread only.
 */
final class Watchdog {
    private final Loop loop;
    private final Consumer<String> missed;
    private Duration period;
    private long lastPing;
    private Loop.Cancellable timer;

    Watchdog(Loop loop, Consumer<String> missed) {
        this.loop = loop;
        this.missed = missed;
    }

    /** The service became active: the period counts from now. Nothing happens for no (zero, infinite) watchdog. */
    void start(Duration d) {
        lastPing = loop.nanos();
        arm(d);
    }

    /** {@code WATCHDOG=1}. */
    void ping() { lastPing = loop.nanos(); }

    /** Checks again one period after the last ping (back to running after a reload). */
    void arm(Duration d) {
        cancel();
        if (d == null || d.isZero() || Durations.isInfinite(d)) return;
        period = d;
        long due = lastPing + d.toNanos() - loop.nanos();
        Loop.Cancellable[] self = new Loop.Cancellable[1];
        self[0] = timer = loop.schedule(Duration.ofNanos(Math.max(1_000_000, due)), () -> {
            if (timer != self[0]) return; // cancelled or replaced
            timer = null;
            if (loop.nanos() - lastPing >= period.toNanos()) missed.accept("no WATCHDOG=1 within " + Durations.format(period));
            else arm(period);
        });
    }

    /** No more checks (the run is over). */
    void cancel() {
        if (timer != null) timer.cancel();
        timer = null;
    }
}
