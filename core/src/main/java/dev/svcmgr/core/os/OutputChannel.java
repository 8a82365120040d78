package dev.svcmgr.core.os;

import java.nio.file.Path;

/**
 * A service's stdout and stderr as two FIFOs in the runtime directory ({@code <unit>.stdout},
 * {@code <unit>.stderr}), held open read-write by the manager and opened read-write by every
 * process of the service as its descriptors 1 and 2. Because the service's side holds a reader
 * too, a write never fails with EPIPE when the manager is gone: the kernel keeps the bytes in the
 * pipe buffer (raised to 1 MiB where allowed) until the next manager opens the same FIFOs and
 * drains them. The FIFOs outlive the manager process; an orderly shutdown removes them.
 */
public final class OutputChannel implements AutoCloseable {
    private final OutputPump pump;
    private final Path stdout;
    private final Path stderr;
    private final int outFd;
    private final int errFd;
    private volatile boolean closed;

    OutputChannel(OutputPump pump, Path stdout, Path stderr, int outFd, int errFd) {
        this.pump = pump;
        this.stdout = stdout;
        this.stderr = stderr;
        this.outFd = outFd;
        this.errFd = errFd;
    }

    Path stdoutPath() { return stdout; }

    /** Stdout and stderr go to one FIFO (the manager was short of descriptors when it was made). */
    public boolean shared() { return errFd < 0; }

    Path stderrPath() { return stderr; }

    /** Reads whatever is buffered, completes a last line without newline, then runs {@code after} (pump thread). */
    public void drain(Runnable after) {
        if (closed) {
            if (after != null) after.run();
            return;
        }
        pump.drain(errFd < 0 ? new int[] {outFd} : new int[] {outFd, errFd}, after);
    }

    /** Stops reading; the FIFOs stay for the next manager. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pump.remove(outFd);
        if (errFd >= 0) pump.remove(errFd);
    }
}
