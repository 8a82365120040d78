package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Removes the cgroup directories of ended runs on a thread of its own instead of the caller's (the
 * event loop). An {@code rmdir} of a cgroup is the kernel's most expensive step of a stop: in a stop
 * of 1,000 services it was 27 ms of the loop's 227 ms of CPU, the loop that still had services to
 * signal (issue 13). A directory whose removal is pending is removed before it is made again for the
 * service's next run ({@link #settle}: taken from the pending ones under the lock, or waited for while
 * the thread removes it), so a new run never loses its cgroup to an old run's removal. The thread
 * removes each directory outside the lock. It ends after 2 s without work: an idle manager has none.
 */
final class CgroupReleases {
    private final Object lock = new Object();
    /** Directories to remove, each with the v1 limit directories of the same run; guarded by {@link #lock}. */
    private final Map<Path, List<Path>> pending = new LinkedHashMap<>();
    /** The directory the thread is removing (outside the lock), or null; guarded by {@link #lock}. */
    private Path removing;
    /** A drain of {@link #pending} is queued or running: a release then only adds to it; guarded by {@link #lock}. */
    private boolean draining;
    private final ThreadPoolExecutor worker = OneThread.named("svcmgr-cgroups", true);

    /**
     * Removes {@code dir} and {@code extra} soon (each left in place while still populated). Cheap for
     * the caller: the directory joins the pending ones, and the thread is handed work only when it has
     * none queued (one hand-over per burst, not per directory: in a stop of 1,000 the hand-overs, and
     * waiting for the thread's rmdir under a shared lock, were 41 ms of the loop; issue 13).
     */
    void release(Path dir, List<Path> extra) {
        boolean start;
        synchronized (lock) {
            pending.put(dir, extra);
            start = !draining;
            draining = true;
        }
        if (!start) return;
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException closed) {
            synchronized (lock) {
                draining = false;
            }
            flush();
        }
    }

    /** On the thread: removes the pending directories one by one, each outside the lock. */
    private void drain() {
        try {
            drainPending();
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                draining = false; // the next release hands over a new drain
            }
            throw e;
        }
    }

    private void drainPending() {
        while (true) {
            Path dir;
            List<Path> extra;
            synchronized (lock) {
                var it = pending.entrySet().iterator();
                if (!it.hasNext()) {
                    draining = false;
                    return;
                }
                var e = it.next();
                it.remove();
                dir = e.getKey();
                extra = e.getValue();
                removing = dir;
            }
            try {
                remove(dir, extra);
            } finally {
                synchronized (lock) {
                    removing = null;
                    lock.notifyAll();
                }
            }
        }
    }

    /** Removes {@code dir} now when its removal is pending; returns once no removal of it is under way. */
    void settle(Path dir) {
        List<Path> extra;
        synchronized (lock) {
            extra = pending.remove(dir);
            awaitNotRemoving(dir);
        }
        if (extra != null) remove(dir, extra);
    }

    /** Every pending removal, now (under the lock: rare, a re-exec or the end); returns once none is under way. */
    void flush() {
        synchronized (lock) {
            awaitNotRemoving(null);
            for (Map.Entry<Path, List<Path>> e : new ArrayList<>(pending.entrySet())) remove(e.getKey(), e.getValue());
            pending.clear();
        }
    }

    /** Waits (holding the lock) while the thread removes {@code dir} (any directory when null). */
    private void awaitNotRemoving(Path dir) {
        boolean interrupted = false;
        while (removing != null && (dir == null || removing.equals(dir))) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Flushes and stops the thread; later releases are done by the caller. */
    void close() {
        worker.shutdown();
        flush();
    }

    private static void remove(Path dir, List<Path> extra) {
        for (Path p : extra) rmdir(p);
        rmdir(dir);
    }

    static void rmdir(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // still populated (a process escaped the kill): left for the next start, which reuses it
        }
    }
}
