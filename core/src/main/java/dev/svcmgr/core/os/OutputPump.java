package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One thread for the output of every service: an epoll set over the read ends
 * of the stdout/stderr pipes. Level-triggered, at most 64 KiB per ready pipe
 * per round, so a flooding service gets its share and no more; the event loop
 * never reads a pipe. When a pipe is read slower than it is written, only its
 * writer blocks (the kernel's pipe buffer is the only queue).
 */
final class OutputPump implements AutoCloseable {
    private static final int MAX_EVENTS = 64;
    private static final int CHUNK = 64 * 1024;

    private record Reg(OutputListener listener, int stream, boolean fifo) {}

    private final Epoll epoll = new Epoll();
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<Integer, Reg> regs = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    OutputPump() {
        thread = new Thread(this::run, "svcmgr-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading {@code fd}; the pump closes it at end of file. */
    void add(int fd, int stream, OutputListener l) { add(fd, stream, l, false); }

    /** Starts reading {@code fd}; a pipe is closed at end of file, a FIFO ({@code fifo}) only by {@link #remove}. */
    void add(int fd, int stream, OutputListener l, boolean fifo) {
        regs.put(fd, new Reg(l, stream, fifo));
        if (!epoll.add(fd)) {
            regs.remove(fd);
            Native.C.close(fd);
            l.closed(stream);
        }
    }

    int watched() { return regs.size(); }

    /**
     * On the pump thread: reads {@code fds} (non-blocking FIFOs) until they are empty, tells their
     * listeners to {@link OutputListener#flush flush}, then runs {@code after} (may be null).
     */
    void drain(int[] fds, Runnable after) {
        run(() -> {
            Pointer buf = drainBuf;
            byte[] bytes = drainBytes;
            for (int fd : fds) {
                Reg r = regs.get(fd);
                if (r == null) continue;
                for (int i = 0; i < 4096; i++) { // bounded: a writer that never pauses cannot hold the pump
                    long got = Native.C.read(fd, buf, CHUNK);
                    if (got <= 0) break;
                    buf.get(0, bytes, 0, (int) got);
                    safe(() -> r.listener.data(r.stream, bytes, (int) got));
                }
                safe(() -> r.listener.flush(r.stream));
            }
            if (after != null) safe(after);
        });
    }

    /** Stops reading {@code fd} and closes it (on the pump thread). */
    void remove(int fd) {
        run(() -> {
            if (regs.remove(fd) != null) {
                epoll.remove(fd);
                Native.C.close(fd);
            }
        });
    }

    private void run(Runnable task) {
        tasks.add(task);
        epoll.wake();
    }

    /** Used by drain tasks, on the pump thread only. */
    private final Pointer drainBuf = Memory.allocateDirect(Native.RT, CHUNK, true);
    private final byte[] drainBytes = new byte[CHUNK];
    private final Object parkLock = new Object();
    private boolean parked;

    /**
     * Before the process re-executes itself: reads every FIFO until it is empty, completes the lines
     * read so far, then stops reading (what services write from now on waits in the FIFOs for the next
     * image). Returns when done, or after {@code timeoutMs}.
     */
    boolean park(long timeoutMs) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        run(() -> {
            for (var e : regs.entrySet()) {
                if (!e.getValue().fifo) continue;
                int fd = e.getKey();
                Reg r = e.getValue();
                for (int i = 0; i < 4096; i++) {
                    long got = Native.C.read(fd, drainBuf, CHUNK);
                    if (got <= 0) break;
                    drainBuf.get(0, drainBytes, 0, (int) got);
                    safe(() -> r.listener.data(r.stream, drainBytes, (int) got));
                }
                safe(() -> r.listener.flush(r.stream));
            }
            synchronized (parkLock) {
                parked = true;
                done.countDown();
                while (parked) {
                    try {
                        parkLock.wait();
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }
        });
        return done.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Reading again (the re-execution failed). */
    void unpark() {
        synchronized (parkLock) {
            parked = false;
            parkLock.notifyAll();
        }
    }

    private void run() {
        // services' output waits in its pipes (up to 1 MiB each) while the loop runs: no wake-up ahead of it
        OneThread.noWakeupPreemption(0);
        Pointer events = Epoll.events(MAX_EVENTS);
        Pointer buf = Memory.allocateDirect(Native.RT, CHUNK, true);
        byte[] bytes = new byte[CHUNK];
        while (!closed) {
            int n = epoll.await(events, MAX_EVENTS, -1); // idle: no wake-up at all (close() wakes it)
            for (int i = 0; i < n; i++) {
                int fd = Epoll.readyFd(events, i);
                if (fd == epoll.wakeFd) {
                    epoll.drainWake(buf);
                    for (Runnable t; (t = tasks.poll()) != null; ) safe(t);
                    continue;
                }
                Reg r = regs.get(fd);
                if (r == null) continue;
                long got = Native.C.read(fd, buf, CHUNK);
                if (got > 0) {
                    buf.get(0, bytes, 0, (int) got);
                    safe(() -> r.listener.data(r.stream, bytes, (int) got));
                } else if (got == 0 || Native.errno() != Native.EAGAIN && Native.errno() != Native.EINTR) {
                    if (r.fifo) continue; // a FIFO the pump holds open read-write never ends
                    regs.remove(fd);
                    epoll.remove(fd);
                    Native.C.close(fd);
                    safe(() -> r.listener.closed(r.stream));
                }
            }
        }
    }

    private static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a listener's failure must not stop the pump for the other services
        }
    }

    @Override
    public void close() {
        closed = true;
        epoll.wake();
    }
}
