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
        return named(name, false);
    }

    /** {@link #named(String)}; {@code background}: the thread runs behind the loop ({@link #background()}). */
    public static ThreadPoolExecutor named(String name, boolean background) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Runnable run = background ? () -> {
                background();
                r.run();
            } : r;
            Thread t = new Thread(run, name);
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** The nice value of the manager's bookkeeping threads. */
    static final int BACKGROUND_NICE = 5;

    /**
     * Puts the calling thread behind the event loop, the reaper and the spawner: nice 5 (a third of their
     * share of a busy CPU, and no wake-up ahead of them). For bookkeeping that nothing waits on (service
     * records, the manager's log lines, cgroup removals, FIFOs made ahead, state.json): on two cores these
     * threads woke with a crashed service's restart and took the CPU its new process needed (issue 13).
     * Best effort: where the kernel refuses, the thread runs as before.
     */
    public static void background() {
        try {
            // PRIO_PROCESS of 0: on Linux the calling thread alone (nice is per thread), without gettid(), which
            // the C library has only since 2.30
            Native.C.setpriority(0 /* PRIO_PROCESS */, 0, BACKGROUND_NICE);
        } catch (RuntimeException | LinkageError e) {
            // no such call: as before
        }
    }
}
