package dev.svcmgr.core.loop;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link Loop} on a real thread with the real clocks: the one thread that owns all unit state. Supervisors, the reaper, timers and
 * control-socket clients post work here; nothing else touches unit state.
 * Exceptions thrown by posted work are reported to the error handler and never
 * kill the loop (the daemon never dies on an error after start-up).
 */
public final class ThreadLoop implements Loop, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;
    private final Consumer<Throwable> onError;

    public ThreadLoop(String name, Consumer<Throwable> onError) {
        this.onError = onError;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable r) {
        executor.execute(guard(r));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable r) {
        ScheduledFuture<?> f = executor.schedule(guard(r), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inLoop() { return Thread.currentThread() == thread; }

    /** Runs {@code r} on the loop and waits for it (for tests and shutdown paths; never call from the loop). */
    public void runAndWait(Runnable r) throws InterruptedException {
        if (inLoop()) { r.run(); return; }
        BlockingQueue<Object> done = new ArrayBlockingQueue<>(1);
        executor.execute(() -> {
            try { r.run(); } catch (Throwable t) { onError.accept(t); } finally { done.add(Boolean.TRUE); }
        });
        done.take();
    }

    /** Runs {@code f} on the loop and returns its value (never call from the loop). */
    public <T> T call(java.util.function.Supplier<T> f) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<T> v = new java.util.concurrent.atomic.AtomicReference<>();
        runAndWait(() -> v.set(f.get()));
        return v.get();
    }

    /** False once the loop was closed. */
    public boolean isAlive() { return !executor.isShutdown(); }

    private Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (Throwable t) {
                onError.accept(t);
            }
        };
    }

    @Override
    public java.time.Instant now() { return java.time.Instant.now(); }

    @Override
    public long nanos() { return System.nanoTime(); }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
