package dev.svcmgr.core.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * The kernel's record of who is at the other end of a Unix stream socket: {@code getsockopt(fd,
 * SOL_SOCKET, SO_PEERCRED)}, numeric pid, uid and gid as the kernel stored them at
 * {@code connect()}.
 *
 * <p>Why not {@code jdk.net.ExtendedSocketOptions.SO_PEERCRED}: it hands back a
 * {@code UnixDomainPrincipal} holding user and group <em>names</em> (looked up through the
 * name service, the uid in decimal only when it has no name), so an account named {@code 0}
 * and root look the same. Authorisation must use the number. The JDK gives no public way to a
 * channel's descriptor, so {@link #of} reads the {@code int fdVal} field of the JDK's channel
 * class through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, exported, so no
 * launcher flag is needed) and asks the kernel directly. When that field cannot be read (a JDK
 * that renamed it), {@link #of} returns null and the caller must treat the peer as unknown.
 */
public final class PeerCredentials {
    private PeerCredentials() {}

    /**
     * One peer.
     *
     * @param fd  the descriptor number the connection got (the kernel hands out the lowest free
     *            one, so a high number means few are left)
     * @param pid the peer's process at connect time
     * @param uid the peer's effective uid at connect time
     * @param gid the peer's effective gid at connect time
     */
    public record Credentials(int fd, int pid, int uid, int gid) {}

    /** The libc calls this class binds (apart from {@link LibC}, which serves spawning). */
    public interface Sock {
        int getsockopt(int fd, int level, int optname, Pointer optval, IntByReference optlen);

        int poll(Pointer fds, long nfds, int timeout);
    }

    private static final short POLLHUP = 0x10;

    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final Sock SOCK;
    private static final jnr.ffi.Runtime RT;
    private static final Object UNSAFE;
    private static final Method GET_INT;
    private static final Method FIELD_OFFSET;
    private static final java.util.Map<Class<?>, Long> OFFSETS = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        Sock s = null;
        jnr.ffi.Runtime rt = null;
        try {
            s = LibraryLoader.create(Sock.class).load("c");
            rt = jnr.ffi.Runtime.getRuntime(s);
        } catch (RuntimeException | LinkageError e) {
            s = null;
        }
        SOCK = s;
        RT = rt;
        Object u = null;
        Method gi = null;
        Method fo = null;
        try {
            Class<?> k = Class.forName("sun.misc.Unsafe");
            Field f = k.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            u = f.get(null);
            gi = k.getMethod("getInt", Object.class, long.class);
            fo = k.getMethod("objectFieldOffset", Field.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            u = null;
        }
        UNSAFE = u;
        GET_INT = gi;
        FIELD_OFFSET = fo;
    }

    /** The kernel's credentials of {@code c}'s peer, or null when they cannot be read (see the class comment). */
    public static Credentials of(SocketChannel c) {
        int fd = fd(c);
        if (fd < 0 || SOCK == null) return null;
        Pointer cred = Memory.allocateDirect(RT, 12, true);
        IntByReference len = new IntByReference(12);
        if (SOCK.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, len) != 0 || len.intValue() != 12) return null;
        return new Credentials(fd, cred.getInt(0), cred.getInt(4), cred.getInt(8));
    }

    /**
     * True when {@code c}'s peer has closed its socket altogether: the kernel then reports a hang-up
     * ({@code POLLHUP}), which a peer that only shut down its writing side ({@code shutdown(SHUT_WR)},
     * still reading the answer) does not cause. False when it cannot be told.
     */
    public static boolean peerGone(SocketChannel c) {
        int fd = fd(c);
        if (fd < 0 || SOCK == null) return false;
        Pointer pfd = Memory.allocateDirect(RT, 8, true);
        pfd.putInt(0, fd); // struct pollfd: fd, events (none: a hang-up is always reported), revents
        if (SOCK.poll(pfd, 1, 0) != 1) return false;
        return (pfd.getShort(6) & POLLHUP) != 0;
    }

    /** The descriptor number behind an open channel of the JDK's own implementation, or -1. */
    static int fd(SocketChannel c) {
        if (UNSAFE == null || !c.isOpen()) return -1;
        Long off = OFFSETS.computeIfAbsent(c.getClass(), PeerCredentials::fdOffset);
        if (off < 0) return -1;
        try {
            return (Integer) GET_INT.invoke(UNSAFE, c, off);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static Long fdOffset(Class<?> k) {
        for (Class<?> c = k; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("fdVal");
                if (f.getType() != int.class) return -1L;
                return (Long) FIELD_OFFSET.invoke(UNSAFE, f);
            } catch (NoSuchFieldException e) {
                // try the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return -1L;
            }
        }
        return -1L;
    }

    /** The soft RLIMIT_NOFILE of this process, or {@link Integer#MAX_VALUE} when unknown. */
    public static int descriptorLimit() { return DescriptorLimit.soft(); }

    /** This process's effective uid. */
    public static int euid() { return Native.C.geteuid(); }
}
