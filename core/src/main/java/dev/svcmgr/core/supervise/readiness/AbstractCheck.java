package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.loop.Loop;

import java.time.Duration;

/** A check with its context, its listener and at most one poll timer; {@link #cancel()} silences it. */
abstract class AbstractCheck implements ReadinessCheck {
    final ReadinessContext ctx;
    private final Listener listener;
    private Loop.Cancellable timer;
    boolean cancelled;

    AbstractCheck(ReadinessContext ctx, Listener listener) {
        this.ctx = ctx;
        this.listener = listener;
    }

    /** Runs {@code r} after {@code ms} unless cancelled by then (replaces the pending poll). */
    final void later(long ms, Runnable r) {
        if (cancelled) return;
        if (timer != null) timer.cancel();
        timer = ctx.loop().schedule(Duration.ofMillis(ms), () -> {
            timer = null;
            if (!cancelled) r.run();
        });
    }

    final void ready() {
        if (!cancelled) listener.ready();
    }

    final void foundMain(int pid) {
        if (!cancelled) listener.foundMain(pid);
    }

    final void failed(String detail) {
        if (!cancelled) listener.failed(detail);
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (timer != null) timer.cancel();
        timer = null;
    }
}
