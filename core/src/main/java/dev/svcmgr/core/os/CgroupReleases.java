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
 * service's next run ({@link #settle}), under the same lock, so a new run never loses its cgroup to
 * an old run's removal. The thread ends after 2 s without work: an idle manager has none.
 */
final class CgroupReleases {
    private final Object lock = new Object();
    /** Directories to remove, each with the v1 limit directories of the same run; guarded by {@link #lock}. */
    private final Map<Path, List<Path>> pending = new LinkedHashMap<>();
    private final ThreadPoolExecutor worker = OneThread.named("svcmgr-cgroups");

    /** Removes {@code dir} and {@code extra} soon (each left in place while still populated). */
    void release(Path dir, List<Path> extra) {
        synchronized (lock) {
            pending.put(dir, extra);
        }
        try {
            worker.execute(() -> settle(dir));
        } catch (RejectedExecutionException closed) {
            settle(dir);
        }
    }

    /** Removes {@code dir} now when its removal is pending; returns once no removal of it is under way. */
    void settle(Path dir) {
        synchronized (lock) {
            List<Path> extra = pending.remove(dir);
            if (extra != null) remove(dir, extra);
        }
    }

    /** Every pending removal, now. */
    void flush() {
        synchronized (lock) {
            for (Map.Entry<Path, List<Path>> e : new ArrayList<>(pending.entrySet())) remove(e.getKey(), e.getValue());
            pending.clear();
        }
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
