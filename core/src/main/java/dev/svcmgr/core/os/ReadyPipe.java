package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * s6-style readiness ({@code ready: {fd: N}}): a pipe whose write end becomes
 * descriptor N of the service (see {@link SpawnRequest#readyFd()}); the service
 * is ready once it writes a newline. {@link #check()} never blocks: the
 * supervisor polls it. Not thread-safe: one owner.
 */
public final class ReadyPipe implements AutoCloseable {
    private static final int POLLIN = 1;
    private static final int POLLHUP = 0x10;

    private int readFd;
    private int writeFd;
    private boolean ready;
    private boolean eof;
    private final Pointer buf = Memory.allocateDirect(Native.RT, 256, true);
    private final Pointer pfd = Memory.allocateDirect(Native.RT, 8, true);

    private ReadyPipe(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** A new pipe, both ends close-on-exec in the manager. */
    public static ReadyPipe open() throws SpawnException {
        int[] fds = new int[2];
        if (Native.C.pipe2(fds, Native.O_CLOEXEC) != 0) {
            throw new SpawnException("creating the readiness pipe", Native.strerror(Native.errno()));
        }
        return new ReadyPipe(fds[0], fds[1]);
    }

    /** The write end, to be duplicated onto the service's descriptor; -1 once {@link #closeWriteEnd()} ran. */
    int writeFd() { return writeFd; }

    /** Closes the manager's copy of the write end (after the spawn), so that EOF can be seen. */
    public void closeWriteEnd() {
        if (writeFd >= 0) Native.C.close(writeFd);
        writeFd = -1;
    }

    /** True once a newline was read. Reads whatever is available without blocking. */
    public boolean check() {
        while (!ready && !eof && readFd >= 0) {
            pfd.putInt(0, readFd);
            pfd.putShort(4, (short) POLLIN);
            pfd.putShort(6, (short) 0);
            if (NotifySocketLib.LIB.poll(pfd, 1, 0) <= 0) break;
            short rev = pfd.getShort(6);
            if ((rev & (POLLIN | POLLHUP)) == 0) break;
            long n = Native.C.read(readFd, buf, 256);
            if (n <= 0) {
                if (n == 0) eof = true;
                break;
            }
            for (int i = 0; i < n; i++) if (buf.getByte(i) == '\n') ready = true;
        }
        return ready;
    }

    /** True when every writer closed the pipe without a newline (the service will not say it is ready). */
    public boolean closedUnready() { return eof && !ready; }

    /** Closes both ends. */
    @Override
    public void close() {
        closeWriteEnd();
        if (readFd >= 0) Native.C.close(readFd);
        readFd = -1;
    }

    /** The poll binding shared with {@link NotifySocket}. */
    static final class NotifySocketLib {
        static final NotifySocket.SockLib LIB = jnr.ffi.LibraryLoader.create(NotifySocket.SockLib.class).load("c");

        private NotifySocketLib() {}
    }
}
