package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when a held socket has something waiting (a connection in the backlog, a datagram, bytes in a
 * FIFO) while its service is not running: the first connection starts the service (socket
 * activation). One epoll set and one thread for every socket unit. A watch is one-shot: the
 * descriptor stays readable until the service takes the connection, so it is left out of the set
 * after it fired; it is watched again when the service has stopped.
 */
public final class SocketActivity {
    private final Epoll epoll = new Epoll();
    private final ConcurrentHashMap<Integer, Runnable> watches = new ConcurrentHashMap<>();

    public SocketActivity() {
        Thread t = new Thread(this::run, "svcmgr-sockets");
        t.setDaemon(true);
        t.start();
    }

    /** Calls {@code r} (on this watcher's thread) once {@code fd} is readable; once. */
    public void watch(int fd, Runnable r) {
        if (watches.put(fd, r) == null && !epoll.add(fd)) watches.remove(fd);
    }

    /** Stops watching {@code fd} (its service runs, or the socket unit stopped). */
    public void unwatch(int fd) {
        if (watches.remove(fd) != null) epoll.remove(fd);
    }

    private void run() {
        Pointer events = Epoll.events(16);
        Pointer scratch = Memory.allocateDirect(Native.RT, 8, true);
        while (true) {
            int n = epoll.await(events, 16, -1);
            for (int i = 0; i < n; i++) {
                int fd = Epoll.readyFd(events, i);
                if (fd == epoll.wakeFd) {
                    epoll.drainWake(scratch);
                    continue;
                }
                Runnable r = watches.remove(fd);
                epoll.remove(fd);
                if (r == null) continue;
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // a listener's bug must not stop the watcher
                }
            }
        }
    }
}
