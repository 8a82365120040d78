package dev.svcmgr.core.os;

/**
 * Makes services' output FIFOs ahead of their start, on a thread of its own ({@code svcmgr-fifos}),
 * so that the event loop finds them made. On ext4 a FIFO costs ~0.1 ms of the kernel's inode
 * allocation, two per service, which the loop paid in each first start (docs/benchmarks.md, issue 13).
 *
 * <p>A service's {@code .stderr} is always made before its {@code .stdout}: a {@code .stdout} without
 * its {@code .stderr} means a service of an earlier manager that shares one FIFO
 * ({@link LinuxProcessRuntime#output}), which a FIFO made here must never look like. {@code output}
 * first claims a service's FIFOs ({@link #claim}): nothing of that service is made here afterwards, and
 * it opens what was made as it opens FIFOs a former manager left (making what is missing); a service
 * that must share one FIFO (the manager short of descriptors) removes a {@code .stderr} made here.
 * The thread ends after a few idle seconds and is started again by the next {@link #add}: an idle
 * manager keeps no thread for this.
 */
final class FifosAhead extends QueueThread<String> {
    private static final long IDLE_MS = 3000;
    /** The FIFOs made here and not yet claimed. */
    private final java.util.Set<String> made = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // not behind the loop: the loop waits for a FIFO being made when it claims it (claim), and a boot's
    // starts need these soon
    FifosAhead() { super("svcmgr-fifos", IDLE_MS, false); }

    /** Queues the two FIFOs of one service, {@code stderr} first (any thread; returns at once). */
    synchronized void add(String stderr, String stdout) {
        queue.add(stderr);
        queue.add(stdout);
        // no thread to be had (a task limit): the loop makes the FIFOs itself, as without this
        if (!wake()) queue.clear();
    }

    /** {@link #claim}'s bits: the service's {@code .stderr}, its {@code .stdout} was made here. */
    static final int STDERR = 1, STDOUT = 2;

    /**
     * The service is being given its FIFOs now (the caller makes or opens them): neither is made here
     * from now on, and a FIFO being made is done when this returns. Returns which of the two were made
     * here ({@link #STDERR}, {@link #STDOUT}): fresh FIFOs of this manager's, which no process has open;
     * the caller opens them without a check of what the name is, and a service that must share one FIFO
     * may remove such a {@code .stderr}.
     */
    int claim(String stderr, String stdout) {
        synchronized (working) {
            synchronized (this) {
                queue.remove(stderr);
                queue.remove(stdout);
            }
        }
        return (made.remove(stderr) ? STDERR : 0) | (made.remove(stdout) ? STDOUT : 0);
    }

    /** Forgets what is queued and returns once no FIFO is being made. */
    void cancel() {
        synchronized (working) {
            synchronized (this) {
                queue.clear();
            }
        }
    }

    /** FIFOs still queued (tests). */
    synchronized int queued() { return queue.size(); }

    @Override
    protected void work(String path) {
        // EEXIST (made by the loop, or left by a former manager) is fine
        if (Native.C.mkfifo(path, 0600) == 0) made.add(path);
    }
}
