package dev.svcmgr.core.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A {@link Loop} whose clock moves only when told to, run on the caller's thread (dinit's mock event
 * loop, in Java). Posted work waits until {@link #runUntilIdle()}; {@link #advance(Duration)} moves the
 * clock, running every timer that falls due on the way at its own time, in due order (ties in the order
 * they were scheduled). Engine and supervisor tests use it with a fake OS: deterministic, and a 90 s
 * timeout takes no wall time. {@code svcmgr simulate} runs the real engine on it.
 *
 * <p>The loop thread is the thread that made it. {@link #execute} may be called from any thread.
 */
public final class ManualLoop implements Loop {
    private final Instant epoch;
    private final Thread owner = Thread.currentThread();
    private final Consumer<Throwable> onError;
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long nanos;
    private long seq;

    private final class Timer implements Comparable<Timer>, Cancellable {
        final long due;
        final long order = seq++;
        final Runnable task;
        boolean cancelled;

        Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            synchronized (ManualLoop.this) {
                cancelled = true;
                timers.remove(this);
            }
        }
    }

    /** A loop whose clock starts at {@code epoch}; an exception thrown by a task is given to {@code onError}. */
    public ManualLoop(Instant epoch, Consumer<Throwable> onError) {
        this.epoch = epoch;
        this.onError = onError;
    }

    /** A loop starting at 2026-01-01T00:00:00Z that rethrows what a task throws (tests). */
    public ManualLoop() {
        this(Instant.parse("2026-01-01T00:00:00Z"), t -> {
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        });
    }

    @Override
    public void execute(Runnable r) { ready.add(r); }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable r) {
        Timer t = new Timer(later(delay), r);
        timers.add(t);
        return t;
    }

    @Override
    public boolean inLoop() { return Thread.currentThread() == owner; }

    @Override
    public synchronized Instant now() { return epoch.plusNanos(nanos).plus(wallOffset); }

    private Duration wallOffset = Duration.ZERO;

    /**
     * Sets the wall clock by {@code d} (negative: backwards), as an administrator or NTP would: the
     * monotonic time, and with it every scheduled task, stays where it is.
     */
    public synchronized void setWallClockBy(Duration d) { wallOffset = wallOffset.plus(d); }

    @Override
    public synchronized long nanos() { return nanos; }

    /** How far the clock has moved since the loop was made. */
    public synchronized Duration elapsed() { return Duration.ofNanos(nanos); }

    /** Runs posted work (and whatever it posts) until none is left, without moving the clock; returns how many tasks ran. */
    public int runUntilIdle() {
        int n = 0;
        for (Runnable r; (r = ready.poll()) != null; n++) run(r);
        return n;
    }

    /** Moves the clock by {@code d}, running posted work and each timer that falls due on the way at its time. */
    public void advance(Duration d) {
        long target;
        synchronized (this) { target = later(d); }
        runUntilIdle();
        while (fireNext(target)) runUntilIdle();
        synchronized (this) { nanos = Math.max(nanos, target); }
    }

    /**
     * Runs posted work and moves the clock from timer to timer until {@code done} holds or nothing is left
     * to do within {@code limit} from now; true when {@code done} holds. {@code done} is checked after every
     * task, so a condition that also watches a wall-clock deadline stops even a loop of work that keeps
     * posting more. The clock stops at the last timer run (it does not jump to the limit).
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        long target;
        synchronized (this) { target = later(limit); }
        while (!done.getAsBoolean()) {
            Runnable r = ready.poll();
            if (r != null) run(r);
            else if (!fireNext(target)) return done.getAsBoolean();
        }
        return true;
    }

    /** Runs posted work, then timers one after another until nothing is left at all; false when more than {@code limit} would pass. */
    public boolean runUntilQuiet(Duration limit) {
        return runUntil(() -> ready.isEmpty() && pendingTimers() == 0, limit);
    }

    /** When the next timer falls due, or null when none is scheduled. */
    public synchronized Duration nextTimer() {
        Timer t = timers.peek();
        return t == null ? null : Duration.ofNanos(t.due - nanos);
    }

    /** True when posted work waits to run (at the current time). */
    public boolean hasReadyWork() { return !ready.isEmpty(); }

    /** Timers not yet run nor cancelled. */
    public synchronized int pendingTimers() { return timers.size(); }

    /** The clock {@code d} from now; "infinity" (or anything past the end of a long) stays at the end of time. */
    private long later(Duration d) {
        long n = Math.max(0, d.toNanos());
        return n > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : nanos + n;
    }

    private boolean fireNext(long limit) {
        Timer t;
        synchronized (this) {
            t = timers.peek();
            if (t == null || t.due > limit) return false;
            timers.poll();
            nanos = Math.max(nanos, t.due);
        }
        run(t.task);
        return true;
    }

    private void run(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            onError.accept(t);
        }
    }
}
