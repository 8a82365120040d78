package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the sockets of socket units (units.md "Sockets") as raw descriptors the manager holds and
 * passes to services at 3, 4, ... (sd_listen_fds(3)): TCP and UDP over IPv4 and IPv6 (an empty host is
 * every address, dual-stack), unix stream sockets and FIFOs. Every descriptor is close-on-exec (only
 * the spawner places it in a service) and blocking, as systemd passes them by default (the file status
 * flags are shared with the service's copy: a non-blocking socket would make its accept fail with
 * EAGAIN); the manager never reads or accepts, it only watches for a first connection or datagram.
 */
public final class SocketBinder {
    private SocketBinder() {}

    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000,
            SOCK_NONBLOCK = 0x800, SOL_SOCKET = 1, SO_REUSEADDR = 2, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;

    /** What to bind. {@code kind} is tcp, udp, unix or fifo; {@code host} null is every address. */
    public record Spec(String kind, String host, int port, String path, int mode, int backlog) {}

    /** A bound descriptor and what it is bound to ({@code tcp 127.0.0.1:40321}: the chosen port for port 0). */
    public record Bound(int fd, String address) {}

    /** Binds all of {@code specs}, or none: the first failure closes the ones bound and throws its line. */
    public static List<Bound> bind(List<Spec> specs) throws IOException {
        List<Bound> out = new ArrayList<>();
        try {
            for (Spec s : specs) out.add(bindOne(s));
        } catch (IOException | RuntimeException e) {
            close(out, specs);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return out;
    }

    /**
     * Marks {@code fd} to be kept ({@code keep}: across the manager's own exec, {@code daemon-reexec}) or
     * closed (the default) when a process executes.
     */
    public static void keepAcrossExec(int fd, boolean keep) { Native.C.fcntl(fd, Native.F_SETFD, keep ? 0 : 1); }

    /** True when {@code fd} is open in this process. */
    public static boolean isOpen(int fd) { return Native.C.fcntl(fd, 1 /* F_GETFD */, 0) >= 0; }

    /** Closes one descriptor. */
    public static void closeFd(int fd) { Native.C.close(fd); }

    /**
     * Takes back the sockets a running service got from a former manager (one killed before it could
     * hand them over): its descriptors 3, 4, ... copied through {@code pidfd_getfd(2)} (Linux 5.6), each
     * checked against its spec (kind, and the port or path unless the port was 0), and made
     * close-on-exec. Null when the service does not hold them (then they are bound as usual).
     */
    public static List<Bound> reclaim(int pid, List<Spec> specs) {
        int pidfd = Native.C.syscall(Native.SYS_PIDFD_OPEN, pid, 0, 0);
        if (pidfd < 0) return null;
        List<Bound> out = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                int fd = Native.C.syscall(Native.SYS_PIDFD_GETFD, pidfd, 3 + i, 0);
                if (fd < 0) break;
                String address = matches(fd, specs.get(i));
                if (address == null) {
                    Native.C.close(fd);
                    break;
                }
                out.add(new Bound(fd, address));
            }
        } finally {
            Native.C.close(pidfd);
        }
        if (out.size() == specs.size()) return out;
        for (Bound b : out) Native.C.close(b.fd());
        return null;
    }

    /** What {@code fd} is bound to when it is what {@code s} asks for, else null. */
    private static String matches(int fd, Spec s) {
        Pointer sa = Memory.allocateDirect(Native.RT, 112, true);
        IntByReference l = new IntByReference(112);
        if (s.kind().equals("fifo")) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
                return target.equals(s.path()) ? "fifo " + s.path() : null;
            } catch (IOException e) {
                return null;
            }
        }
        if (Native.C.getsockname(fd, sa, l) != 0) return null;
        int family = Short.toUnsignedInt(sa.getShort(0));
        if (s.kind().equals("unix")) {
            if (family != AF_UNIX) return null;
            byte[] p = new byte[Math.max(0, l.intValue() - 2)];
            sa.get(2, p, 0, p.length);
            int n = 0;
            while (n < p.length && p[n] != 0) n++;
            String path = new String(p, 0, n, StandardCharsets.UTF_8);
            return path.equals(s.path()) ? "unix " + path : null;
        }
        if (family != AF_INET && family != AF_INET6) return null;
        int port = Short.toUnsignedInt(Short.reverseBytes(sa.getShort(2)));
        if (s.port() != 0 && port != s.port()) return null;
        String host = s.host() == null ? "" : s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return s.kind() + " " + host + ":" + port;
    }

    /** Closes the descriptors (and removes the unix sockets and FIFOs the specs name). */
    public static void close(List<Bound> bound, List<Spec> specs) {
        for (Bound b : bound) Native.C.close(b.fd());
        for (Spec s : specs) if (s.path() != null && bound.stream().anyMatch(b -> b.address().endsWith(" " + s.path()))) Native.C.unlink(s.path());
    }

    private static Bound bindOne(Spec s) throws IOException {
        return switch (s.kind()) {
            case "tcp", "udp" -> inet(s);
            case "unix" -> unix(s);
            case "fifo" -> fifo(s);
            default -> throw new IOException("unknown socket kind " + s.kind());
        };
    }

    private static IOException fail(String what, Spec s, int errno) {
        String where = s.path() != null ? s.path() : (s.host() == null ? "" : s.host().contains(":") ? "[" + s.host() + "]" : s.host()) + ":" + s.port();
        return new IOException("cannot " + what + " " + s.kind() + " " + where + ": " + Native.strerror(errno));
    }

    private static Bound inet(Spec s) throws IOException {
        boolean stream = s.kind().equals("tcp");
        byte[] addr = s.host() == null ? new byte[16] : InetAddress.getByName(s.host()).getAddress();
        boolean v6 = addr.length == 16;
        int fd = Native.C.socket(v6 ? AF_INET6 : AF_INET, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
        if (fd < 0 && s.host() == null) { // no IPv6 here: every IPv4 address
            addr = new byte[4];
            v6 = false;
            fd = Native.C.socket(AF_INET, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
        }
        if (fd < 0) throw fail("create a socket for", s, Native.errno());
        try {
            Pointer one = Memory.allocateDirect(Native.RT, 4, true);
            one.putInt(0, 1);
            Native.C.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4);
            if (v6 && s.host() == null) {
                Pointer zero = Memory.allocateDirect(Native.RT, 4, true); // every address: IPv4 too
                Native.C.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, zero, 4);
            }
            Pointer sa = Memory.allocateDirect(Native.RT, 28, true);
            int len;
            if (v6) {
                sa.putShort(0, (short) AF_INET6);
                sa.putShort(2, Short.reverseBytes((short) s.port()));
                sa.put(8, addr, 0, 16);
                len = 28;
            } else {
                sa.putShort(0, (short) AF_INET);
                sa.putShort(2, Short.reverseBytes((short) s.port()));
                sa.put(4, addr, 0, 4);
                len = 16;
            }
            if (Native.C.bind(fd, sa, len) != 0) throw fail("bind", s, Native.errno());
            if (stream && Native.C.listen(fd, s.backlog()) != 0) throw fail("listen on", s, Native.errno());
            IntByReference l = new IntByReference(28);
            int port = s.port();
            if (Native.C.getsockname(fd, sa, l) == 0) port = Short.toUnsignedInt(Short.reverseBytes(sa.getShort(2)));
            String host = s.host() == null ? "" : v6 ? "[" + s.host() + "]" : s.host();
            return new Bound(fd, s.kind() + " " + host + ":" + port);
        } catch (IOException | RuntimeException e) {
            Native.C.close(fd);
            throw e;
        }
    }

    private static Bound unix(Spec s) throws IOException {
        byte[] p = s.path().getBytes(StandardCharsets.UTF_8);
        if (p.length > 107) throw fail("bind", s, 36); // ENAMETOOLONG
        int fd = Native.C.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw fail("create a socket for", s, Native.errno());
        try {
            Path path = Path.of(s.path());
            if (path.getParent() != null) Files.createDirectories(path.getParent());
            // a stale socket file of an earlier run is replaced (systemd does the same); anything else is not
            if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
                    throw new IOException("cannot bind unix " + s.path() + ": a file that is not a socket has the name");
                }
                Native.C.unlink(s.path());
            }
            Pointer sa = Memory.allocateDirect(Native.RT, 110, true);
            sa.putShort(0, (short) AF_UNIX);
            sa.put(2, p, 0, p.length);
            if (Native.C.bind(fd, sa, 2 + p.length + 1) != 0) throw fail("bind", s, Native.errno());
            Native.C.chmod(s.path(), s.mode());
            if (Native.C.listen(fd, s.backlog()) != 0) throw fail("listen on", s, Native.errno());
            return new Bound(fd, "unix " + s.path());
        } catch (IOException | RuntimeException e) {
            Native.C.close(fd);
            throw e;
        }
    }

    private static Bound fifo(Spec s) throws IOException {
        Path path = Path.of(s.path());
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        if (Native.C.mkfifo(s.path(), s.mode()) != 0 && Native.errno() != Native.EEXIST) throw fail("make the FIFO", s, Native.errno());
        // read-write: the open never blocks, and a reader stays while no service runs
        int fd = Native.C.open(s.path(), Native.O_RDWR | Native.O_CLOEXEC | 0x20000 /* O_NOFOLLOW */, 0);
        if (fd < 0) throw fail("open the FIFO", s, Native.errno());
        Native.C.chmod(s.path(), s.mode());
        return new Bound(fd, "fifo " + s.path());
    }
}
