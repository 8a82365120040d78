package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches processes that are not children of this manager (services re-adopted after the manager
 * was killed and started again: their parent is now the nearest subreaper or init) through pidfds
 * ({@code pidfd_open(2)}, Linux 5.3): one epoll thread, told when a pidfd becomes readable, i.e. the
 * process exited. Its exit status comes from {@code PIDFD_GET_INFO} with {@code PIDFD_INFO_EXIT}
 * (Linux 6.15, once its new parent reaped it), else from a zombie's {@code /proc/PID/stat}, else it
 * is {@link ExitStatus#UNKNOWN}.
 */
final class PidWatcher {
    /** _IOWR(0xFF, 11, struct pidfd_info) with the 64-byte first version of the struct. */
    private static final long PIDFD_GET_INFO = (3L << 30) | (64L << 16) | (0xFFL << 8) | 11;
    private static final long PIDFD_INFO_EXIT = 1L << 3;

    private record Watch(int pid, ExitListener listener) {}

    private static PidWatcher instance;

    private final Epoll epoll = new Epoll();
    private final ConcurrentHashMap<Integer, Watch> watches = new ConcurrentHashMap<>();
    /** Without pidfds (old kernels, some seccomp profiles): PID to its start time, checked every 200 ms. */
    private final ConcurrentHashMap<Watch, Long> polled = new ConcurrentHashMap<>();

    private PidWatcher() {
        Thread t = new Thread(this::run, "svcmgr-pidfd");
        t.setDaemon(true);
        t.start();
    }

    static synchronized PidWatcher get() {
        if (instance == null) instance = new PidWatcher();
        return instance;
    }

    /** Reports {@code pid}'s exit to {@code l} (on the watcher thread); false when it is gone already or pidfds are missing. */
    boolean watch(int pid, ExitListener l) {
        int fd = Native.C.syscall(Native.SYS_PIDFD_OPEN, pid, 0, 0);
        if (fd >= LinuxProcessRuntime.pidfdsUpTo(DescriptorLimit.soft())) {
            // short of descriptors (a manager re-adopting many services under a low ulimit -n): the output
            // FIFOs and the reserve come first, and this process is polled instead
            Native.C.close(fd);
            fd = -1;
        }
        if (fd < 0) {
            // no pidfds here (or none to spare): poll the process (its start time tells a reused PID apart)
            long started = ProcTable.startTime(pid);
            ProcTable.Proc p = ProcTable.stat(pid);
            if (started < 0 || p == null) return false;
            polled.put(new Watch(pid, l), started);
            epoll.wake();
            return true;
        }
        Native.C.fcntl(fd, Native.F_SETFD, 1);
        watches.put(fd, new Watch(pid, l));
        if (!epoll.add(fd)) {
            watches.remove(fd);
            Native.C.close(fd);
            return false;
        }
        return true;
    }

    int watched() { return watches.size(); }

    private void run() {
        Pointer events = Epoll.events(64);
        Pointer scratch = Memory.allocateDirect(Native.RT, 8, true);
        while (true) {
            int n = epoll.await(events, 64, polled.isEmpty() ? -1 : 200);
            for (var e : polled.entrySet()) {
                Watch w = e.getKey();
                ProcTable.Proc p = ProcTable.stat(w.pid());
                if (p != null && !p.zombie() && ProcTable.startTime(w.pid()) == e.getValue()) continue;
                polled.remove(w);
                Integer raw = p != null && p.zombie() ? ProcTable.exitCode(w.pid()) : null;
                try {
                    w.listener().exited(w.pid(), raw == null ? ExitStatus.UNKNOWN : ExitStatus.decode(raw));
                } catch (RuntimeException x) {
                    // a listener's bug must not stop the watcher
                }
            }
            for (int i = 0; i < n; i++) {
                int fd = Epoll.readyFd(events, i);
                if (fd == epoll.wakeFd) {
                    epoll.drainWake(scratch);
                    continue;
                }
                Watch w = watches.remove(fd);
                epoll.remove(fd);
                if (w == null) continue;
                ExitStatus st = status(fd, w.pid());
                Native.C.close(fd);
                try {
                    w.listener().exited(w.pid(), st);
                } catch (RuntimeException e) {
                    // a listener's bug must not stop the watcher
                }
            }
        }
    }

    /** The exit status, waiting up to ~200 ms for the new parent to reap it (the kernel records it then). */
    private static ExitStatus status(int fd, int pid) {
        Pointer info = Memory.allocateDirect(Native.RT, 64, true);
        for (int attempt = 0; attempt < 40; attempt++) {
            info.putLong(0, PIDFD_INFO_EXIT);
            if (Native.C.ioctl(fd, PIDFD_GET_INFO, info) == 0 && (info.getLong(0) & PIDFD_INFO_EXIT) != 0) {
                return ExitStatus.decode(info.getInt(60));
            }
            ProcTable.Proc p = ProcTable.stat(pid);
            if (p != null && p.zombie()) {
                Integer raw = ProcTable.exitCode(pid);
                if (raw != null) return ExitStatus.decode(raw);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ExitStatus.UNKNOWN;
    }
}
