package dev.svcmgr.core.daemon;

import dev.svcmgr.core.loop.Loop;

import java.time.Duration;

/**
 * Runs a trim of the manager's memory once it has been quiet for {@link #QUIET} after a transaction:
 * a later transaction postpones it, so a busy manager trims once when the work is over, and an idle
 * one is never woken by it. {@link #QUIET} is longer than the 5 s after which HotSpot frees the
 * arena chunks its compiler threads pooled, the bulk of what a trim gives back (docs/manager.md).
 * On the loop.
 */
final class QuietTrim {
    static final Duration QUIET = Duration.ofSeconds(6);

    private final Loop loop;
    private final Runnable trim;
    private Loop.Cancellable pending;

    QuietTrim(Loop loop, Runnable trim) {
        this.loop = loop;
        this.trim = trim;
    }

    /** A transaction ended: trim after {@link #QUIET} without another. */
    void activity() {
        if (pending != null) pending.cancel();
        pending = loop.schedule(QUIET, () -> {
            pending = null;
            trim.run();
        });
    }
}
