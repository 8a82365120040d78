package dev.svcmgr.core.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The daemon's stdout, never blocking its caller: the daemon's own lines ({@link #printStream()}) always,
 * and in container mode and with {@code daemon --console-output} every service's output as
 * {@code unit[pid]: line} (cli.md "The daemon"; the output pump hands each line to {@link #line}). Lines
 * wait in a queue of at most {@link #maxBytes()} bytes that a thread of its own ({@code svcmgr-console},
 * started by the first line, ending after 3 idle seconds) writes out, one whole line at a time (a line
 * is never interleaved with another, nor with the daemon's own lines when they share {@code out}'s
 * lock). When stdout does not keep up (a {@code docker logs} pipe nobody reads, a paused terminal, a slow
 * serial console), lines that do not fit are dropped and counted; once the queue has room again a line
 * {@code svcmgr: N lines of service output dropped (stdout did not keep up)} says how many. The log
 * files get every line either way.
 */
public final class ConsoleOutput implements AutoCloseable {
    /** Bytes of lines that may wait for stdout by default. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final OutputStream out;
    private final Object lock;
    private final int maxBytes;
    /** What the drop line calls the lines ("service output", or "daemon output" with the daemon's alone). */
    private final String what;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private static final long IDLE_MS = 3000;
    /** The writer thread while there is one (guarded by queue). */
    private Thread writer;
    // guarded by queue
    private long queued;
    private long dropped;
    private long droppedTotal;
    private boolean closed;
    /** A batch taken from the queue is being written. */
    private boolean writing;

    /**
     * @param out      where the lines go (the daemon's stdout)
     * @param lock     held while one batch of whole lines is written ({@code out} itself when it is the
     *                 daemon's {@link java.io.PrintStream}, so that its own lines never cut into one), or null
     * @param maxBytes bytes that may wait; more are dropped and counted
     */
    public ConsoleOutput(OutputStream out, Object lock, int maxBytes) {
        this(out, lock, maxBytes, "service output");
    }

    /** {@code what}: what the drop line calls the lines. */
    public ConsoleOutput(OutputStream out, Object lock, int maxBytes, String what) {
        this.out = out;
        this.lock = lock == null ? new Object() : lock;
        this.maxBytes = maxBytes;
        this.what = what;
    }

    /** The queue's bound in bytes. */
    public int maxBytes() { return maxBytes; }

    /** Lines dropped since the start because stdout did not keep up. */
    public long dropped() {
        synchronized (queue) {
            return droppedTotal;
        }
    }

    /**
     * Queues {@code unit[pid]: text} ({@code unit: text} when {@code pid} is 0: no main process); never
     * blocks. {@code text} is raw bytes without the newline.
     */
    public void line(String unit, int pid, byte[] text, int off, int len) {
        byte[] head = (pid > 0 ? unit + "[" + pid + "]: " : unit + ": ").getBytes(StandardCharsets.UTF_8);
        byte[] l = new byte[head.length + len + 1];
        System.arraycopy(head, 0, l, 0, head.length);
        System.arraycopy(text, off, l, head.length, len);
        l[l.length - 1] = '\n';
        enqueue(l);
    }

    /**
     * A stream for the daemon's own lines ({@code [  OK  ] Started ...}) that queues each whole line
     * with the services' lines: with stdout blocked the daemon's event loop must not wait on a println
     * any more than a service may. Lines that do not fit are dropped and counted like the others.
     */
    public java.io.PrintStream printStream() {
        OutputStream lines = new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                line.write(b);
                if (b == '\n') {
                    enqueue(line.toByteArray());
                    line.reset();
                }
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                // whole lines at once (a loop turn's progress lines come as one write)
                int from = off, end = off + len;
                for (int i = off; i < end; i++) {
                    if (b[i] != '\n') continue;
                    line.write(b, from, i + 1 - from);
                    enqueue(line.toByteArray());
                    line.reset();
                    from = i + 1;
                }
                if (from < end) line.write(b, from, end - from);
            }
        };
        return new java.io.PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    private void enqueue(byte[] l) {
        synchronized (queue) {
            if (closed) return;
            if (queued + l.length > maxBytes) {
                dropped++;
                droppedTotal++;
                return;
            }
            queue.add(l);
            queued += l.length;
            if (writer != null) {
                queue.notifyAll();
                return;
            }
            writer = new Thread(this::writeLoop, "svcmgr-console");
            writer.setDaemon(true);
            try {
                writer.start();
                return;
            } catch (OutOfMemoryError | RuntimeException e) {
                writer = null; // no thread to be had (a task limit): the line is dropped and counted
                queue.pollLast();
                queued -= l.length;
                dropped++;
                droppedTotal++;
            }
        }
    }

    private void writeLoop() {
        // started by whichever thread wrote first (the loop, the output pump, a bookkeeping thread): the same
        // scheduling whatever it was, the main thread's nice value and no wake-up ahead of the loop
        dev.svcmgr.core.os.OneThread.asTheProcessStarted();
        dev.svcmgr.core.os.OneThread.noWakeupPreemption(0);
        java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
        while (true) {
            batch.reset();
            synchronized (queue) {
                long end = System.nanoTime() + IDLE_MS * 1_000_000;
                while (queue.isEmpty() && dropped == 0 && !closed) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        writer = null; // idle: the next line starts another
                        return;
                    }
                    try {
                        queue.wait(left);
                    } catch (InterruptedException e) {
                        writer = null;
                        return;
                    }
                }
                if (queue.isEmpty() && dropped == 0) { // closed and everything written
                    writer = null;
                    return;
                }
                writing = true;
                // up to 64 KiB of whole lines per write (a longer line goes alone)
                while (!queue.isEmpty() && (batch.size() == 0 || batch.size() + queue.peek().length <= 64 * 1024)) {
                    byte[] l = queue.poll();
                    queued -= l.length;
                    batch.writeBytes(l);
                }
                if (dropped > 0 && queue.isEmpty()) {
                    batch.writeBytes(("svcmgr: " + dropped + " line" + (dropped == 1 ? "" : "s")
                            + " of " + what + " dropped (stdout did not keep up)\n").getBytes(StandardCharsets.UTF_8));
                    dropped = 0;
                }
            }
            try {
                synchronized (lock) {
                    out.write(batch.toByteArray());
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // stdout is gone: the lines are in the log files anyway
            }
            synchronized (queue) {
                writing = false;
                queue.notifyAll();
            }
        }
    }

    /** Waits (at most {@code millis}) until every queued line is written: before the daemon re-executes itself. */
    public void flush(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (queue) {
            while ((!queue.isEmpty() || writing) && !closed) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                try {
                    queue.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes what waits (for at most {@code millis}) and ends the writer. */
    public void close(long millis) {
        Thread w;
        synchronized (queue) {
            closed = true;
            queue.notifyAll();
            w = writer;
        }
        if (w == null) return; // nothing waits: a line would have started one
        try {
            w.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() { close(2000); }
}
