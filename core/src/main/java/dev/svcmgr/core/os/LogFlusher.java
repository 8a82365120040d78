package dev.svcmgr.core.os;

import java.util.ArrayList;
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
public final class LogFlusher extends QueueThread<Runnable> implements Executor {
    /** The daemon's one flusher. */
    public static final LogFlusher SHARED = new LogFlusher();
    private static final long IDLE_MS = 3000;

    public LogFlusher() { super("svcmgr-logs", IDLE_MS, true); }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (wake()) return;
        }
        flushNow(); // no thread to be had (a task limit): written here and now, as without this
    }

    /** Runs every task queued, on the caller's thread, and returns once none is left or under way. */
    public void flushNow() {
        synchronized (working) {
            List<Runnable> now;
            synchronized (this) {
                now = new ArrayList<>(queue);
                queue.clear();
            }
            for (Runnable r : now) work(r);
        }
    }

    /** Tasks waiting (tests). */
    synchronized int queued() { return queue.size(); }

    @Override
    protected void work(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a log is best effort: never the end of the flusher
        }
    }
}
