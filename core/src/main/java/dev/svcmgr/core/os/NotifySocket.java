package dev.svcmgr.core.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The manager's sd_notify socket: a Unix datagram socket (the JDK has none, so
 * it is made through jnr-ffi: {@code socket}, {@code bind}, {@code SO_PASSCRED},
 * {@code recvmsg}) bound at a path that services get as {@code NOTIFY_SOCKET}.
 *
 * <p>Every datagram carries the sender's PID, UID and GID from the kernel
 * ({@code SCM_CREDENTIALS}), which the receiver uses to decide which service
 * sent it; the text is {@code KEY=value} lines. Descriptors passed with a
 * message ({@code SCM_RIGHTS}, e.g. systemd-notify's {@code BARRIER=1}) are
 * handed to the consumer in {@link Message#fds()} and must be closed by it
 * with {@link Message#closeFds()}: the sender waits for that close.
 *
 * <p>A sender may exit (and be reaped) right after sending, before anyone
 * looks at its PID. So the receiving thread records at once, while the
 * sender most likely still exists, its ancestry ({@link Message#lineage()})
 * and its cgroup v2 path ({@link Message#cgroup()}); owners are matched on those.
 *
 * <p>One thread receives; {@link #close()} stops it and removes the path.
 */
public final class NotifySocket implements AutoCloseable {

    /** glibc socket calls not in {@link LibC}. */
    public interface SockLib {
        int socket(int domain, int type, int protocol);
        int bind(int fd, Pointer addr, int len);
        int setsockopt(int fd, int level, int name, Pointer value, int len);
        long recvmsg(int fd, Pointer msg, int flags);
        int poll(Pointer fds, long nfds, int timeout);
        int close(int fd);
        int chmod(String path, int mode);
    }

    /**
     * One datagram.
     *
     * @param pid    sender's PID (kernel-checked)
     * @param uid    sender's UID
     * @param gid    sender's GID
     * @param fields {@code KEY=value} lines in order (a later key replaces an earlier one)
     * @param fds    descriptors received with it
     * @param lineage the sender's PID, its parent's, and so on up to PID 1, as read on arrival
     *               (just the PID when it was already gone)
     * @param cgroup the sender's cgroup v2 path ({@code 0::} line of /proc/PID/cgroup) on arrival, or null
     */
    public record Message(int pid, int uid, int gid, Map<String, String> fields, List<Integer> fds,
                          List<Integer> lineage, String cgroup) {
        /** Closes the descriptors that came with the message (ends a sender's barrier wait). */
        public void closeFds() {
            for (int fd : fds) LIB.close(fd);
        }
    }

    private static final SockLib LIB = LibraryLoader.create(SockLib.class).load("c");
    private static final Runtime RT = Runtime.getRuntime(LIB);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PASSCRED = 16;
    private static final int SO_RCVBUF = 8;
    private static final int SCM_RIGHTS = 1;
    private static final int SCM_CREDENTIALS = 2;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int POLLIN = 1;
    private static final int BUF = 4096;
    private static final int CONTROL = 512;

    private final Path path;
    private final int fd;
    private final Thread thread;
    private volatile boolean closed;

    private NotifySocket(Path path, int fd, Consumer<Message> consumer) {
        this.path = path;
        this.fd = fd;
        this.thread = new Thread(() -> receive(consumer), "svcmgr-notify");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Binds a new socket at {@code path} (an existing file there is replaced),
     * writable by every user so that services running as other users can send,
     * and starts receiving into {@code consumer} (called on the receiving thread).
     *
     * @throws IOException when the path is too long or the socket cannot be made or bound
     */
    public static NotifySocket open(Path path, Consumer<Message> consumer) throws IOException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new IOException("notify socket path " + path + " is longer than 107 bytes");
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        int fd = LIB.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("socket(AF_UNIX, SOCK_DGRAM): " + Native.strerror(RT.getLastError()));
        Pointer addr = Memory.allocateDirect(RT, 110, true);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        if (LIB.bind(fd, addr, 2 + p.length + 1) != 0) {
            int err = RT.getLastError();
            LIB.close(fd);
            throw new IOException("bind " + path + ": " + Native.strerror(err));
        }
        Pointer one = Memory.allocateDirect(RT, 4, true);
        one.putInt(0, 1);
        if (LIB.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, one, 4) != 0) {
            int err = RT.getLastError();
            LIB.close(fd);
            throw new IOException("setsockopt SO_PASSCRED on " + path + ": " + Native.strerror(err));
        }
        Pointer size = Memory.allocateDirect(RT, 4, true);
        size.putInt(0, 1 << 20);
        LIB.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4); // bursts of messages; the default is kept on failure
        LIB.chmod(path.toString(), 0666);
        return new NotifySocket(path, fd, consumer);
    }

    /** Where services send to ({@code NOTIFY_SOCKET}). */
    public Path path() { return path; }

    private void receive(Consumer<Message> consumer) {
        Pointer buf = Memory.allocateDirect(RT, BUF, true);
        Pointer control = Memory.allocateDirect(RT, CONTROL, true);
        Pointer iov = Memory.allocateDirect(RT, 16, true);
        Pointer msg = Memory.allocateDirect(RT, 56, true);
        Pointer pfd = Memory.allocateDirect(RT, 8, true);
        iov.putAddress(0, buf.address());
        iov.putLong(8, BUF);
        while (!closed) {
            pfd.putInt(0, fd);
            pfd.putShort(4, (short) POLLIN);
            pfd.putShort(6, (short) 0);
            int n = LIB.poll(pfd, 1, 200);
            if (closed) break;
            if (n <= 0) continue;
            msg.setMemory(0, 56, (byte) 0);
            msg.putAddress(16, iov.address());
            msg.putLong(24, 1);
            msg.putAddress(32, control.address());
            msg.putLong(40, CONTROL);
            long len = LIB.recvmsg(fd, msg, MSG_CMSG_CLOEXEC);
            if (len < 0) continue; // EINTR, EAGAIN
            Message m = parse(buf, (int) len, control, msg.getLong(40));
            if (m == null) continue;
            try {
                consumer.accept(m);
            } catch (RuntimeException e) {
                m.closeFds();
            }
        }
    }

    private static Message parse(Pointer buf, int len, Pointer control, long controlLen) {
        int pid = 0, uid = -1, gid = -1;
        List<Integer> fds = new ArrayList<>();
        long off = 0;
        while (off + 16 <= controlLen) {
            long cmsgLen = control.getLong(off);
            int level = control.getInt(off + 8);
            int type = control.getInt(off + 12);
            if (cmsgLen < 16) break;
            if (level == SOL_SOCKET && type == SCM_CREDENTIALS && cmsgLen >= 28) {
                pid = control.getInt(off + 16);
                uid = control.getInt(off + 20);
                gid = control.getInt(off + 24);
            } else if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (long i = 16; i + 4 <= cmsgLen; i += 4) fds.add(control.getInt(off + i));
            }
            off += (cmsgLen + 7) & ~7L;
        }
        byte[] b = new byte[len];
        buf.get(0, b, 0, len);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (pid <= 0) {
            // without credentials nobody can be matched: refuse, but release a waiting sender
            for (int f : fds) LIB.close(f);
            return null;
        }
        return new Message(pid, uid, gid, fields, List.copyOf(fds), lineage(pid), cgroupOf(pid));
    }

    private static List<Integer> lineage(int pid) {
        List<Integer> out = new ArrayList<>();
        out.add(pid);
        int p = pid;
        for (int i = 0; i < 64 && p > 1; i++) {
            ProcTable.Proc pr = ProcTable.stat(p);
            if (pr == null || pr.ppid() <= 0) break;
            p = pr.ppid();
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static String cgroupOf(int pid) {
        for (String l : Cgroups.lines("/proc/" + pid + "/cgroup")) if (l.startsWith("0::")) return l.substring(3);
        return null;
    }

    /** Stops receiving, closes the socket and removes its path. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIB.close(fd);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the directory is going away with the manager anyway
        }
    }
}
