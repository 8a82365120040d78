package dev.svcmgr.core.os;

import java.util.ArrayDeque;

/**
 * Makes services' output FIFOs ahead of their start, on a thread of its own ({@code svcmgr-fifos}),
 * so that the event loop finds them made. On ext4 a FIFO costs ~0.1 ms of the kernel's inode
 * allocation, two per service, which the loop paid in each first start (docs/benchmarks.md, issue 13).
 *
 * <p>A service's {@code .stderr} is always made before its {@code .stdout}: a {@code .stdout} without
 * its {@code .stderr} means a service of an earlier manager that shares one FIFO
 * ({@link LinuxProcessRuntime#output}), which a FIFO made here must never look like. Whatever is made
 * here, {@code output} opens as it opens a FIFO a former manager left (and makes what is missing), so
 * the loop and this thread may reach the same service in any order; a service that must share one FIFO
 * (the manager short of descriptors) removes a {@code .stderr} made here ({@link #takeMade}). The thread ends after a few idle
 * seconds and is started again by the next {@link #add}: an idle manager keeps no thread for this.
 */
final class FifosAhead implements Runnable {
    private static final long IDLE_MS = 3000;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** Held while a FIFO is made: {@link #cancel} waits on it for the one being made. */
    private final Object making = new Object();
    private Thread thread;
    /** The {@code .stderr} FIFOs made here and not yet taken by {@link #takeMade}. */
    private final java.util.Set<String> made = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Counts {@link #cancel}s: a FIFO taken from the queue before one is not made after it. */
    private long epoch;

    /** Queues the two FIFOs of one service, {@code stderr} first (any thread; returns at once). */
    synchronized void add(String stderr, String stdout) {
        boolean wasEmpty = queue.isEmpty();
        queue.add(stderr);
        queue.add(stdout);
        if (thread == null) {
            thread = new Thread(this, "svcmgr-fifos");
            thread.setDaemon(true);
            try {
                thread.start();
            } catch (OutOfMemoryError | RuntimeException e) {
                // no thread to be had (a task limit): the loop makes the FIFOs itself, as without this
                thread = null;
                queue.clear();
            }
        } else if (wasEmpty) {
            notifyAll();
        }
    }

    /** Forgets what is queued and returns once no FIFO is being made. */
    void cancel() {
        synchronized (this) {
            queue.clear();
            epoch++;
        }
        synchronized (making) {
            // the FIFO being made, if any, is done
        }
    }

    /**
     * True, once, when {@code stderr} was made here (so no process of an earlier manager has it open):
     * a service that must share one FIFO may then remove it.
     */
    boolean takeMade(String stderr) { return made.remove(stderr); }

    /** FIFOs still queued (tests). */
    synchronized int queued() { return queue.size(); }

    @Override
    public void run() {
        while (true) {
            String path;
            long taken;
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
                path = queue.poll();
                taken = epoch;
            }
            synchronized (making) {
                synchronized (this) {
                    if (epoch != taken) continue; // cancelled meanwhile
                }
                // EEXIST (made by the loop, or left by a former manager) is fine
                if (Native.C.mkfifo(path, 0600) == 0 && path.endsWith(".stderr")) made.add(path);
            }
        }
    }
}
