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

    /** sched_setscheduler(2)'s number: x86-64's, arm64's (the generic table), or none known (-1). */
    static final long SYS_SCHED_SETSCHEDULER = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 144;
        case "aarch64", "riscv64" -> 119;
        default -> -1;
    };
    /** {@code SCHED_BATCH}: a fair share by the nice value, but the thread never preempts another when it wakes. */
    static final int SCHED_BATCH = 3;

    /**
     * Puts the calling thread behind the event loop, the reaper and the spawner: nice 5 (a third of their
     * share of a busy CPU) and {@code SCHED_BATCH} (see {@link #noWakeupPreemption}). For bookkeeping that nothing
     * waits on (service records, the manager's log lines, cgroup removals, state.json): on two cores these
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
        noWakeupPreemption(0);
    }

    /**
     * Thread {@code tid} (0: the calling thread) keeps its nice value and its share of the CPU, but no longer
     * preempts the thread running when it wakes ({@code SCHED_BATCH}): it runs when that one blocks or its
     * slice ends. A perf trace of a crashed service's restart showed the event loop, woken by the reaper,
     * preempted at once by the log writer it had just woken, and runnable but waiting 2 ms for its CPU (issue 13).
     * Best effort (another architecture, a seccomp profile): the thread runs as before.
     */
    public static void noWakeupPreemption(int tid) {
        try {
            if (SYS_SCHED_SETSCHEDULER < 0) return;
            jnr.ffi.Pointer param = jnr.ffi.Memory.allocateDirect(Native.RT, 8, true); // struct sched_param, priority 0
            Native.C.syscall(SYS_SCHED_SETSCHEDULER, tid, SCHED_BATCH, param.address());
        } catch (RuntimeException | LinkageError e) {
            // no such call: as before
        }
    }

    /**
     * The JVM's compiler threads ({@code C1 CompilerThread0}, ...) as {@link #noWakeupPreemption}: the loop wakes one
     * whenever a method of its own gets hot, and on two cores the compiler then took the loop's CPU in the middle
     * of a restart. They keep their share: code is still compiled as soon as a CPU is free. Found by name in
     * /proc/self/task (HotSpot's names; another JVM's threads are left as they are); those that exist now.
     */
    public static void compilerThreadsBehindTheLoop() {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return;
        for (java.io.File t : tasks) {
            try {
                String comm = java.nio.file.Files.readString(t.toPath().resolve("comm"));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) noWakeupPreemption(Integer.parseInt(t.getName()));
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
    }
}
