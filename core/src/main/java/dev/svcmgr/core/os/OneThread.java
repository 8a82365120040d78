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
    static final int SCHED_OTHER = 0;
    /** {@code SCHED_BATCH}: a fair share by the nice value, but the thread never preempts another when it wakes. */
    static final int SCHED_BATCH = 3;

    /** The {@code struct sched_param} of both policies (priority 0), never freed: the kernel reads it during the call. */
    private static final jnr.ffi.Pointer NO_PRIORITY = jnr.ffi.Memory.allocateDirect(Native.RT, 8, true);

    /**
     * Puts the calling thread behind the event loop, the reaper and the spawner: {@code SCHED_BATCH} (see
     * {@link #noWakeupPreemption}) and, where the manager may undo it ({@link #mayLowerNice}), nice 5 (a third of
     * their share of a busy CPU). For bookkeeping that nothing waits on (service records, the manager's log lines,
     * cgroup removals, state.json): on two cores these threads woke with a crashed service's restart and took
     * the CPU the loop and the new process needed (issue 13). Best effort: where the kernel refuses, the thread
     * runs as before.
     */
    public static void background() {
        if (mayLowerNice()) {
            try {
                // PRIO_PROCESS of 0: on Linux the calling thread alone (nice is per thread), without gettid(), which
                // the C library has only since 2.30
                Native.C.setpriority(0 /* PRIO_PROCESS */, 0, BACKGROUND_NICE);
            } catch (RuntimeException | LinkageError e) {
                // no such call: as before
            }
        }
        noWakeupPreemption(0);
    }

    /**
     * Thread {@code tid} (0: the calling thread) keeps its nice value and its share of the CPU, but no longer
     * preempts the thread running when it wakes ({@code SCHED_BATCH}): it runs when that one blocks or its
     * slice ends. A perf trace of a crashed service's restart showed the event loop, woken by the reaper,
     * preempted at once by the log writer it had just woken, and runnable but waiting 2 ms for its CPU (issue 13).
     * Any thread may switch its own between this policy and the normal one. Best effort (an architecture whose
     * system call number is not known here, a seccomp profile): the thread runs as before.
     */
    public static void noWakeupPreemption(int tid) { policy(tid, SCHED_BATCH); }

    private static boolean policy(int tid, int policy) {
        if (SYS_SCHED_SETSCHEDULER < 0) return false;
        try {
            return Native.C.syscall(SYS_SCHED_SETSCHEDULER, tid, policy, NO_PRIORITY.address()) == 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * The calling thread back to how the process started: the normal policy and the main thread's nice value.
     * A thread inherits both from the one that makes it, and an {@code execve} keeps them: the manager calls
     * this before it replaces its image (a re-execution, a recovery after a fatal error on any thread), so
     * that the next image, its spawner and every service it starts do not run behind as a bookkeeping thread does.
     */
    public static void asTheProcessStarted() {
        policy(0, SCHED_OTHER);
        try {
            Native.C.setpriority(0 /* PRIO_PROCESS */, 0, mainNice());
        } catch (RuntimeException | LinkageError e) {
            // as it is ({@link #background} raised it only where this undoes it)
        }
    }

    /** The nice value of the process's main thread, which the manager never changes ({@code /proc/self/stat}). */
    static int mainNice() {
        Integer n = ProcTable.nice(ProcessHandle.current().pid());
        return n == null ? 0 : n;
    }

    private static volatile Boolean mayLowerNice;

    /**
     * True when this process may lower a thread's nice value back to the main thread's: {@code CAP_SYS_NICE}
     * (root, unless a container dropped it), or {@code RLIMIT_NICE} up to it. Without, {@link #background} leaves
     * the nice value alone, so that {@link #asTheProcessStarted} can always undo what it did.
     */
    static boolean mayLowerNice() {
        Boolean m = mayLowerNice;
        if (m == null) mayLowerNice = m = readMayLowerNice();
        return m;
    }

    private static boolean readMayLowerNice() {
        try {
            String caps = ProcTable.selfStatus("CapEff");
            if (caps != null && (Long.parseUnsignedLong(caps, 16) & (1L << 23)) != 0) return true;
            for (String l : KernelFiles.read("/proc/self/limits").split("\n")) {
                if (l.startsWith("Max nice priority")) {
                    String soft = l.substring("Max nice priority".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") || 20 - Integer.parseInt(soft) <= mainNice();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // unknown: not
        }
        return false;
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
