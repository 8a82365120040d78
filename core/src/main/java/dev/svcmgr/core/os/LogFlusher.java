package dev.svcmgr.core.os;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Writes the manager's own lines to services' logs off the event loop, on a thread of its own
 * ({@code svcmgr-logs}): the loop only buffers them ({@code LogFile.appendBuffered}) and hands the flush
 * here, so that making a log file (a crashed quiet service's first line) or a write never delays the
 * restart that follows (issue 13). Tasks run in the order given; the thread ends after a few idle
 * seconds and is started again by the next task. Whoever reads the log files (the {@code logs} verb, a
 * re-execution, the shutdown) first calls {@link #flushNow}, so that every line appended before is in
 * the file.
 */
public final class LogFlusher implements Executor, Runnable {
    /** The daemon's one flusher. */
    public static final LogFlusher SHARED = new LogFlusher();
    private static final long IDLE_MS = 3000;

    private final LinkedHashSet<Runnable> queue = new LinkedHashSet<>();
    /** Held while a task runs: {@link #flushNow} returns only after the one being run is done. */
    private final Object running = new Object();
    private Thread thread;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (thread != null) {
                notifyAll();
                return;
            }
            thread = new Thread(this, "svcmgr-logs");
            thread.setDaemon(true);
            try {
                thread.start();
                return;
            } catch (OutOfMemoryError | RuntimeException e) {
                thread = null; // no thread to be had (a task limit): written here and now, as without this
            }
        }
        flushNow();
    }

    /** Runs every task queued, on the caller's thread, and returns once none is left or under way. */
    public void flushNow() {
        synchronized (running) {
            List<Runnable> now;
            synchronized (this) {
                now = new ArrayList<>(queue);
                queue.clear();
            }
            for (Runnable r : now) safe(r);
        }
    }

    /** Tasks waiting (tests). */
    synchronized int queued() { return queue.size(); }

    @Override
    public void run() {
        OneThread.background();
        while (true) {
            synchronized (this) {
                long end = System.nanoTime() + IDLE_MS * 1_000_000;
                while (queue.isEmpty()) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        thread = null;
                        return;
                    }
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        thread = null;
                        return;
                    }
                }
            }
            synchronized (running) {
                Runnable r;
                synchronized (this) {
                    var i = queue.iterator();
                    if (!i.hasNext()) continue; // taken by flushNow meanwhile
                    r = i.next();
                    i.remove();
                }
                safe(r);
            }
        }
    }

    private static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a log is best effort: never the end of the flusher
        }
    }
}
