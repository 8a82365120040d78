package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The manager's side of {@code svcmgr-spawn} ({@code core/src/main/c/svcmgr-spawn.c}): a small
 * single-threaded process started once, which forks each service as a child of the manager and
 * runs its set-up (cgroup, descriptors, directory, umask, rlimits, groups, ids) before its one exec.
 * A spawn from the JVM itself costs a vfork of its large multi-threaded address space and, with a
 * cgroup or limits, a shell prologue's second exec; a fork of this process costs neither.
 *
 * <p>The program is built from C when the build has a C compiler and ships inside the jar; it is run
 * from a memfd (no file to install, none on a noexec mount). Without it, or when it cannot start or
 * dies, {@link #available()} is false and the runtime spawns from the JVM as before. Not thread-safe:
 * callers hold the reaper's lock, which also keeps a child that ends at once from being taken for
 * an orphan.
 */
final class Spawner {
    private static final Logger LOG = LoggerFactory.getLogger(Spawner.class);
    static final String RESOURCE = "svcmgr-spawn";
    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000, MFD_CLOEXEC = 1, MFD_EXEC = 0x10;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_NOSIGNAL = 0x4000, EMSGSIZE = 90, ENOBUFS = 105;
    private static final int REPLY = 256;
    /** Requests above this go the JVM's way (the socket's send buffer bounds a message). */
    static final int MAX_REQUEST = 200_000;
    /** Descriptors one request may pass (the spawner's MAX_FDS). */
    static final int MAX_FDS = 64;

    private final Reaper reaper;
    private int sock = -1;
    private int pid = -1;
    private volatile boolean dead;
    private String why;

    private final boolean enabled;
    /** False when {@code -Dsvcmgr.spawner=write}: every cgroup is joined by writing its cgroup.procs. */
    private final boolean intoCgroup;
    private int clonedIntoCgroup;

    Spawner(Reaper reaper, boolean enabled) {
        this.reaper = reaper;
        this.enabled = enabled;
        this.intoCgroup = !"write".equals(System.getProperty("svcmgr.spawner"));
    }

    /** False when {@code -Dsvcmgr.spawner=off} (in SVCMGR_JAVA_OPTS) asks for the JVM's own spawn path. */
    static boolean wanted() { return !"off".equals(System.getProperty("svcmgr.spawner")); }

    /** How many children were created in their cgroup (clone3 with CLONE_INTO_CGROUP) rather than moved into it. */
    int clonedIntoCgroup() { return clonedIntoCgroup; }

    int pid() { return pid; }

    /** True when requests can go to the spawner (starting it on first use); else {@link #why()} says why not. */
    boolean available() {
        if (dead) return false; // not started again: a spawner that dies once may die again mid-boot
        if (sock >= 0) return true;
        if (why != null) return false;
        if (!enabled) {
            why = "svcmgr-spawn turned off";
            return false;
        }
        try {
            start();
            return true;
        } catch (IOException | RuntimeException e) {
            why = e.getMessage();
            LOG.debug("spawning from the JVM: {}", why);
            return false;
        }
    }

    /** Why the spawner is not used, or null while it is. */
    String why() { return dead ? "svcmgr-spawn ended" : why; }

    private void start() throws IOException {
        byte[] program;
        try (InputStream in = Spawner.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("svcmgr-spawn is not in this build (no C compiler when it was built)");
            program = in.readAllBytes();
        }
        // MFD_EXEC: executable even where vm.memfd_noexec asks otherwise (Linux 6.3); older kernels refuse the flag
        int mem = Native.C.memfd_create(RESOURCE, MFD_CLOEXEC | MFD_EXEC);
        if (mem < 0) mem = Native.C.memfd_create(RESOURCE, MFD_CLOEXEC);
        if (mem < 0) throw new IOException("memfd_create: " + Native.strerror(Native.errno()));
        int[] sv = {-1, -1};
        try {
            Pointer b = Memory.allocateDirect(Native.RT, program.length);
            b.put(0, program, 0, program.length);
            for (long off = 0; off < program.length; ) {
                long w = Native.C.write(mem, b.slice(off), program.length - off);
                if (w <= 0) throw new IOException("writing svcmgr-spawn: " + Native.strerror(Native.errno()));
                off += w;
            }
            if (Native.C.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
                throw new IOException("socketpair: " + Native.strerror(Native.errno()));
            }
            Pointer fa = Memory.allocateDirect(Native.RT, 256, true);
            Pointer attr = Memory.allocateDirect(Native.RT, 512, true);
            Native.C.posix_spawn_file_actions_init(fa);
            Native.C.posix_spawnattr_init(attr);
            try {
                Native.C.posix_spawn_file_actions_addopen(fa, 0, "/dev/null", Native.O_RDONLY, 0);
                Native.C.posix_spawn_file_actions_adddup2(fa, sv[1], 3);
                Native.C.posix_spawn_file_actions_adddup2(fa, mem, 4);
                Native.C.posix_spawn_file_actions_addclosefrom_np(fa, 5);
                Native.C.posix_spawnattr_setflags(attr,
                        (short) (Native.POSIX_SPAWN_SETSID | Native.POSIX_SPAWN_SETSIGMASK | Native.POSIX_SPAWN_SETSIGDEF));
                Native.C.posix_spawnattr_setsigmask(attr, LinuxProcessRuntime.EMPTY_SET);
                Native.C.posix_spawnattr_setsigdefault(attr, LinuxProcessRuntime.FULL_SET);
                List<Object> keep = new java.util.ArrayList<>();
                jnr.ffi.byref.IntByReference ref = new jnr.ffi.byref.IntByReference();
                int rc;
                synchronized (reaper.lock()) {
                    rc = Native.C.posix_spawn(ref, "/proc/self/fd/4", fa, attr,
                            Native.cStrings(List.of(RESOURCE), keep), Native.cStrings(List.of(), keep));
                    if (rc == 0) {
                        pid = ref.intValue();
                        reaper.register(pid, (p, st) -> {
                            dead = true;
                            if (sock >= 0) LOG.warn("svcmgr-spawn ended ({}); spawning from the JVM from now on", st);
                        });
                    }
                }
                if (rc != 0) throw new IOException("starting svcmgr-spawn: " + Native.strerror(rc));
            } finally {
                Native.C.posix_spawn_file_actions_destroy(fa);
                Native.C.posix_spawnattr_destroy(attr);
            }
            sock = sv[0];
            sv[0] = -1;
        } finally {
            Native.C.close(mem);
            if (sv[1] >= 0) Native.C.close(sv[1]);
            if (sv[0] >= 0) Native.C.close(sv[0]);
        }
    }

    /** One request: its strings (see the C program) and the descriptors it passes. */
    static final class Request {
        /**
         * The request's bytes, written here directly: an ASCII string (nearly every one) costs no array of
         * its own, an environment variable no concatenation, and no write takes a lock as
         * ByteArrayOutputStream's do (a sixth of a spawn's Java on the loop went to building the request
         * with them; issue 13).
         */
        private byte[] bytes = new byte[1024];
        private int len;
        private int[] fds = new int[3];
        private int nfds;

        Request put(char key, String value) {
            add(key);
            text(value);
            add(0);
            return this;
        }

        /** An environment variable, {@code name=value}. */
        Request putEnv(String name, String value) {
            add('e');
            text(name);
            add('=');
            text(value);
            add(0);
            return this;
        }

        private void add(int b) {
            room(1);
            bytes[len++] = (byte) b;
        }

        /** Appends {@code s} as UTF-8. */
        private void text(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                    room(rest.length);
                    System.arraycopy(rest, 0, bytes, len, rest.length);
                    len += rest.length;
                    return;
                }
                bytes[len++] = (byte) c;
            }
        }

        private void room(int more) {
            if (len + more > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + more));
        }

        /** The bytes so far (tests). */
        byte[] bytes() { return java.util.Arrays.copyOf(bytes, len); }

        Request pass(int fd) {
            if (nfds == fds.length) fds = java.util.Arrays.copyOf(fds, nfds * 2); // pipes, readiness, and every socket
            fds[nfds++] = fd;
            return this;
        }

        int size() { return len; }
    }

    /** What a request came to: the child's PID, and when its set-up or exec failed, the stage and error. */
    record Outcome(int pid, int errno, String stage, String subject) {}

    /** The request's native memory, made at the first request and kept (only used holding the reaper's lock). */
    private Pointer buf, iov, ctl, msg, reply;

    /**
     * Sends one request and waits for the child to have exec'd (or failed). Null when the spawner
     * could not take it (gone, or the request too large): the caller then spawns from the JVM.
     * Call holding the reaper's lock.
     *
     * @throws SpawnException when the spawner ended after taking the request: whether the child
     *                        was started is unknown, so it is not started a second time
     */
    Outcome spawn(Request r) throws SpawnException {
        // too large, or more descriptors than the spawner takes: this one from the JVM
        if (dead || sock < 0 || r.size() > MAX_REQUEST || r.nfds > MAX_FDS) return null;
        if (!intoCgroup) r.put('N', "");
        byte[] data = r.bytes;
        int dataLen = r.len;
        if (msg == null) {
            // once per spawner: five native allocations per request were a tenth of a restart's time on the loop (issue 13)
            buf = Memory.allocateDirect(Native.RT, MAX_REQUEST + 8, false); // not cleared: untouched pages stay unmapped
            iov = Memory.allocateDirect(Native.RT, 16, true);
            ctl = Memory.allocateDirect(Native.RT, align(16 + 4 * MAX_FDS), true);
            msg = Memory.allocateDirect(Native.RT, 56, true);
            reply = Memory.allocateDirect(Native.RT, REPLY, true);
        }
        buf.put(0, data, 0, dataLen);
        iov.putAddress(0, buf.address());
        iov.putLong(8, dataLen);
        int ctlLen = r.nfds == 0 ? 0 : align(16 + 4 * r.nfds);
        if (ctlLen > 0) {
            ctl.putLong(0, 16 + 4L * r.nfds); // cmsg_len
            ctl.putInt(8, SOL_SOCKET);
            ctl.putInt(12, SCM_RIGHTS);
            for (int i = 0; i < r.nfds; i++) ctl.putInt(16 + 4L * i, r.fds[i]);
        }
        msg.setMemory(0, 56, (byte) 0);
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);
        if (ctlLen > 0) {
            msg.putAddress(32, ctl.address());
            msg.putLong(40, ctlLen);
        }
        long sent;
        do {
            sent = Native.C.sendmsg(sock, msg, MSG_NOSIGNAL);
        } while (sent < 0 && Native.errno() == Native.EINTR);
        int sendErr = sent < 0 ? Native.errno() : 0;
        if (sent < 0 && (sendErr == EMSGSIZE || sendErr == ENOBUFS)) return null; // this one from the JVM
        if (sent != dataLen) return broken("sending a request: " + Native.strerror(sendErr));
        long got;
        do {
            got = Native.C.read(sock, reply, REPLY);
        } while (got < 0 && Native.errno() == Native.EINTR);
        if (got != REPLY) {
            broken(got < 0 ? "reading a reply: " + Native.strerror(Native.errno()) : "it ended");
            throw new SpawnException("spawning", "svcmgr-spawn ended before it answered");
        }
        int pid = reply.getInt(0), err = reply.getInt(4);
        byte[] st = new byte[REPLY - 8];
        reply.get(8, st, 0, st.length);
        if (err == 0) {
            if (st[0] == 'c') clonedIntoCgroup++; // "clone3"
            return new Outcome(pid, 0, null, null);
        }
        String stage = cString(st, 0);
        String subject = cString(st, stage.getBytes(StandardCharsets.UTF_8).length + 1);
        return new Outcome(pid, err, stage, subject.isEmpty() ? null : subject);
    }

    private Outcome broken(String what) {
        LOG.warn("svcmgr-spawn: {}; spawning from the JVM from now on", what);
        dead = true;
        close();
        return null;
    }

    private static String cString(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != 0) end++;
        return from >= b.length ? "" : new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static int align(int n) { return (n + 7) & ~7; }

    /** Ends the spawner (it exits when its socket closes); call holding the reaper's lock. */
    void close() {
        if (why == null) why = "svcmgr-spawn closed";
        if (sock >= 0) {
            int s = sock;
            sock = -1;
            Native.C.close(s);
        }
    }
}
