package dev.svcmgr.core.os;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An executor of one daemon thread that exists only while it has work: it ends after 2 s without, so
 * an idle manager has no such thread and nothing wakes up (the cgroup removals, state.json).
 */
public final class OneThread {
    private OneThread() {}

    /** Runs tasks in order on one thread named {@code name}, started on demand. */
    public static ThreadPoolExecutor named(String name) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
