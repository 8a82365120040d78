package dev.svcmgr.core.os;

import jnr.ffi.byref.IntByReference;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The one reaper of the JVM: a thread blocked in {@code waitpid(-1)} that reaps
 * every child, including orphans re-parented to the manager as child
 * subreaper, so that no zombie is left. A reaped PID with a registered
 * listener is reported to it; any other (an orphan) to the orphan listeners.
 * Registration happens under the same lock as the spawn, so a child that dies
 * at once is never mistaken for an orphan.
 */
final class Reaper {
    private static Reaper instance;

    private final Map<Integer, ExitListener> listeners = new HashMap<>();
    /** Exits of children nobody had registered for (newest 4,096): a re-adopting manager claims them. */
    private final Map<Integer, ExitStatus> unclaimed = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ExitStatus> e) { return size() > 4096; }
    };
    private final CopyOnWriteArrayList<IntConsumer> orphanListeners = new CopyOnWriteArrayList<>();
    private final Object childrenChanged = new Object();
    private long spawned;
    private final boolean subreaper;

    private Reaper() {
        subreaper = Native.C.prctl(Native.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        Thread t = new Thread(this::run, "svcmgr-reaper");
        t.setDaemon(true);
        t.start();
    }

    static synchronized Reaper get() {
        if (instance == null) instance = new Reaper();
        return instance;
    }

    boolean isSubreaper() { return subreaper; }

    /** The lock to hold while spawning and registering. */
    Object lock() { return listeners; }

    /** Registers the listener of a just-spawned child; call while holding {@link #lock()}. */
    void register(int pid, ExitListener l) {
        unclaimed.remove(pid); // a new process with a reused PID
        listeners.put(pid, l);
        synchronized (childrenChanged) {
            spawned++;
            childrenChanged.notifyAll();
        }
    }

    /** Removes a registration; false when the reaper already took it (the listener was or is being called). */
    boolean unregister(int pid, ExitListener l) {
        synchronized (listeners) { return listeners.remove(pid, l); }
    }

    /**
     * The exit status of a child of this process that was reaped before anyone registered for it
     * (a service that ended while the manager re-executed itself), or null. Call holding {@link #lock()}.
     */
    ExitStatus claim(int pid) { return unclaimed.remove(pid); }

    /** True when a child {@code pid} was reaped and nobody claimed its status yet. */
    boolean hasUnclaimed(int pid) {
        synchronized (listeners) { return unclaimed.containsKey(pid); }
    }

    /** Registers for a child that may already have been reaped: then {@code l} is told at once (on this thread). */
    void registerExisting(int pid, ExitListener l) {
        ExitStatus st;
        synchronized (listeners) {
            st = unclaimed.remove(pid);
            if (st == null) listeners.put(pid, l);
        }
        if (st != null) l.exited(pid, st);
    }

    /**
     * Blocks until child {@code pid} has ended, without reaping it (the reaper still does). A child
     * that reported a failed exec has left its cgroup only once it is a zombie; waiting for that keeps
     * a failed spawn from leaving a process in the group for an instant.
     */
    void awaitEnded(int pid) {
        // it is ending anyway (exit 127); a stopped or frozen child would not, and the caller holds the lock
        // every spawn and reap needs: SIGKILL ends it whatever its state (it is unreaped: the PID is still its)
        Native.C.kill(pid, 9);
        jnr.ffi.Pointer info = jnr.ffi.Memory.allocateDirect(Native.RT, 128, true);
        while (Native.C.waitid(P_PID, pid, info, WEXITED | WNOWAIT) != 0 && Native.errno() == EINTR) {
            // interrupted by a signal: wait again
        }
    }

    void addOrphanListener(IntConsumer l) { orphanListeners.add(l); }

    void removeOrphanListener(IntConsumer l) { orphanListeners.remove(l); }

    private volatile boolean paused;

    /**
     * Stops reaping (before the process re-executes itself): returns once no reap is under way; a
     * child that exits from now on stays a zombie for the next image's reaper, which keeps its
     * status for the re-adopting supervisor ({@link #claim}). {@link #resume()} undoes it.
     */
    void pause() {
        synchronized (listeners) { paused = true; }
    }

    void resume() {
        synchronized (listeners) {
            paused = false;
            listeners.notifyAll();
        }
    }

    private static final int P_ALL = 0, P_PID = 1, EINTR = 4, WEXITED = 4, WNOHANG = 1, WNOWAIT = 0x01000000;

    private void run() {
        IntByReference status = new IntByReference();
        jnr.ffi.Pointer info = jnr.ffi.Memory.allocateDirect(Native.RT, 128, true);
        while (true) {
            long seen;
            synchronized (childrenChanged) { seen = spawned; }
            // wait for a child to end without reaping it; reaping and reporting then happen together under
            // the lock, so that pause() never falls between the two (a status reaped but never reported)
            info.putInt(16, 0);
            if (Native.C.waitid(P_ALL, 0, info, WEXITED | WNOWAIT) == 0) {
                int pid = info.getInt(16); // siginfo_t.si_pid
                if (pid <= 0) continue;
                ExitListener l;
                ExitStatus st;
                synchronized (listeners) {
                    while (paused) {
                        try {
                            listeners.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (Native.C.waitpid(pid, status, WNOHANG) != pid) continue;
                    st = ExitStatus.decode(status.intValue());
                    l = listeners.remove(pid);
                    if (l == null) unclaimed.put(pid, st);
                    try {
                        if (l != null) l.exited(pid, st);
                    } catch (RuntimeException e) {
                        // a listener's bug must never stop reaping
                    }
                }
                if (l == null) {
                    for (IntConsumer o : orphanListeners) {
                        try {
                            o.accept(pid);
                        } catch (RuntimeException e) {
                            // idem
                        }
                    }
                }
                continue;
            }
            int err = Native.errno();
            if (err == Native.EINTR) continue;
            // ECHILD: no child now; sleep until the next spawn (orphans only arrive while we have children)
            synchronized (childrenChanged) {
                while (spawned == seen) {
                    try {
                        childrenChanged.wait(1000);
                        break;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
