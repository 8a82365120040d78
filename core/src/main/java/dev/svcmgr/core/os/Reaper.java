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

    /** Registers for a child that may already have been reaped: then {@code l} is told at once (on this thread). */
    void registerExisting(int pid, ExitListener l) {
        ExitStatus st;
        synchronized (listeners) {
            st = unclaimed.remove(pid);
            if (st == null) listeners.put(pid, l);
        }
        if (st != null) l.exited(pid, st);
    }

    void addOrphanListener(IntConsumer l) { orphanListeners.add(l); }

    void removeOrphanListener(IntConsumer l) { orphanListeners.remove(l); }

    private void run() {
        IntByReference status = new IntByReference();
        while (true) {
            long seen;
            synchronized (childrenChanged) { seen = spawned; }
            int pid = Native.C.waitpid(-1, status, 0);
            if (pid > 0) {
                ExitListener l;
                ExitStatus st = ExitStatus.decode(status.intValue());
                synchronized (listeners) {
                    l = listeners.remove(pid);
                    if (l == null) unclaimed.put(pid, st);
                }
                try {
                    if (l != null) l.exited(pid, st);
                    else for (IntConsumer o : orphanListeners) o.accept(pid);
                } catch (RuntimeException e) {
                    // a listener's bug must never stop reaping
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
