package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An epoll set with an eventfd to wake its thread, shared by the output pump and the pidfd watcher:
 * each registered descriptor is its own event data ({@code struct epoll_event} is 12 bytes, packed,
 * on x86_64: events, then the 64-bit data).
 */
final class Epoll {
    static final int EVENT_SIZE = 12;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLLIN = 1;
    private static final Pointer ONE = one();

    final int fd;
    /** Written to by {@link #wake()}; shows up among the ready descriptors. */
    final int wakeFd;

    Epoll() {
        fd = Native.C.epoll_create1(Native.O_CLOEXEC);
        if (fd < 0) throw new IllegalStateException("epoll_create1: " + Native.strerror(Native.errno()));
        wakeFd = Native.C.eventfd(0, Native.O_CLOEXEC | Native.O_NONBLOCK);
        add(wakeFd);
    }

    /** Watches {@code d} for input; false when the kernel refused. */
    boolean add(int d) {
        Pointer ev = Memory.allocateDirect(Native.RT, EVENT_SIZE, true);
        ev.putInt(0, EPOLLIN);
        ev.putLong(4, d);
        return Native.C.epoll_ctl(fd, EPOLL_CTL_ADD, d, ev) == 0;
    }

    void remove(int d) { Native.C.epoll_ctl(fd, EPOLL_CTL_DEL, d, null); }

    /** Wakes the thread waiting in {@link #await}. */
    void wake() { Native.C.write(wakeFd, ONE, 8); }

    /** Clears the wake-up (call when {@link #wakeFd} was ready); {@code scratch} holds 8 bytes. */
    void drainWake(Pointer scratch) { Native.C.read(wakeFd, scratch, 8); }

    /** Waits up to {@code timeoutMs} (-1: forever); returns how many descriptors are ready in {@code events}. */
    int await(Pointer events, int max, int timeoutMs) { return Native.C.epoll_wait(fd, events, max, timeoutMs); }

    /** The descriptor of ready event {@code i}. */
    static int readyFd(Pointer events, int i) { return (int) events.getLong((long) i * EVENT_SIZE + 4); }

    static Pointer events(int max) { return Memory.allocateDirect(Native.RT, EVENT_SIZE * max, true); }

    private static Pointer one() {
        Pointer p = Memory.allocateDirect(Native.RT, 8, true);
        p.putLong(0, 1L);
        return p;
    }
}
