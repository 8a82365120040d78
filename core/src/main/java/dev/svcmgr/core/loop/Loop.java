package dev.svcmgr.core.loop;

import java.time.Duration;
import java.time.Instant;

/**
 * The event loop as the engine and the supervisors see it: run work on the loop thread, run it later,
 * and read the time. Nothing above the OS adapter reads {@code System.nanoTime()} or
 * {@code Instant.now()} itself, so the same code runs on a real thread ({@link ThreadLoop}) and on a
 * manual clock ({@link ManualLoop}), where a 90 s timeout passes in no time.
 */
public interface Loop {
    /** Runs {@code r} on the loop thread, after the work already posted. Callable from any thread. */
    void execute(Runnable r);

    /** Runs {@code r} on the loop after {@code delay}; the handle cancels it. */
    Cancellable schedule(Duration delay, Runnable r);

    /** True when called on the loop thread. */
    boolean inLoop();

    /** The wall-clock time (what timestamps show). */
    Instant now();

    /** A monotonic time in nanoseconds (what timeouts and rate limits measure); only differences mean anything. */
    long nanos();

    /** A scheduled task that may be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
