package dev.svcmgr.core.daemon;

import dev.svcmgr.core.os.PeerCredentials;
import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.Codec;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The control socket: a Unix stream socket, JSON lines, one request and one reply (or a stream
 * of lines for {@code events} and {@code logs --follow}); docs/protocol.md and docs/security.md.
 *
 * <p>Threads: one selector thread ({@code control-io}) accepts, reads requests, writes queued
 * replies and enforces the limits below, never blocking on a client; a complete request is
 * parsed and handled on a small worker pool, one for root and the daemon's own uid and a
 * separate one for everybody else, so unprivileged work never delays a privileged request. A
 * handler only queues replies ({@link ReplyStream}); nothing a client does or fails to do
 * (not reading, never finishing its request) holds any thread. One connection's framing and
 * bounded queue are a {@link Connection}; the server admits connections, runs the selector and
 * hands each complete request, read by the protocol's {@link Codec}, to the {@link Handler}.
 *
 * <p>Who is privileged is decided by the numeric uid the kernel reports (SO_PEERCRED, read by
 * {@link PeerCredentials}), never by a name: uid 0 and the daemon's own uid may use every
 * verb, others only the {@link Verb#readOnly} ones.
 *
 * <p>Limits: a non-privileged uid holds at most {@link #MAX_PER_UID} connections, all of them
 * together at most {@link #MAX_UNPRIVILEGED}, and none of them takes one of the last {@link
 * #DESCRIPTOR_RESERVE} descriptors; root and the daemon's user have a budget of their own
 * ({@link #MAX_PRIVILEGED}). A non-privileged connection that has not sent a complete request
 * within {@link #IDLE_MILLIS} is closed with an error line. A stream client more than {@link
 * #STREAM_BACKLOG} bytes behind is cut off; a client that reads nothing of a queued reply for
 * {@link #STALL_MILLIS} is closed. Accept errors (descriptors exhausted) pause accepting with a
 * growing back-off instead of spinning.
 */
public final class ControlServer implements AutoCloseable {
    /** Largest request line accepted. */
    public static final int MAX_REQUEST = 1 << 20;
    /** Most connections one non-privileged uid holds at once. */
    public static final int MAX_PER_UID = 64;
    /** Most connections of all non-privileged uids together. */
    public static final int MAX_UNPRIVILEGED = 1024;
    /** Most connections of root and the daemon's own uid together (a budget of their own). */
    public static final int MAX_PRIVILEGED = 1024;
    /** Descriptors a non-privileged connection never takes: kept for root, logs and services. */
    public static final int DESCRIPTOR_RESERVE = 64;
    /** A non-privileged connection without a complete request is closed after this long. */
    public static final long IDLE_MILLIS = 30_000;
    /** Bytes of stream lines (events, log lines, keepalives) a client may leave unread before it is cut off. */
    public static final int STREAM_BACKLOG = 1 << 20;
    /** Largest reply queued for one client (replies are bounded by the request limits; this is a backstop). */
    public static final long REPLY_LIMIT = 64L << 20;
    /** A connection with queued output of which the client read nothing for this long is closed. */
    public static final long STALL_MILLIS = 30_000;
    /** A stream with nothing to say sends {@code {"keepalive":true}} this often. */
    static final long KEEPALIVE_MILLIS = 1_000;
    /** Worker threads for root and the daemon's user; for everybody else. */
    static final int PRIVILEGED_WORKERS = 4;
    static final int UNPRIVILEGED_WORKERS = 2;
    private static final long TICK_MILLIS = 200;

    /**
     * Handles one parsed request by queueing replies on {@code out}. Runs on a worker thread and
     * should return soon: work that waits (a transaction, a stream) calls {@link
     * ReplyStream#detach} and replies later from whatever thread completes it. When {@code handle}
     * returns without detaching, the connection is closed once its replies are written.
     */
    @FunctionalInterface
    public interface Handler {
        void handle(Request<?> request, Peer peer, ReplyStream out) throws IOException, InterruptedException;
    }

    /** Where a handler puts replies: one JSON object a line. Every method may be called from any thread and never blocks on the client (except {@link #drain}). */
    public interface ReplyStream {
        /** Queues one reply line; throws when the connection is gone. */
        void send(Reply reply) throws IOException;

        /**
         * Queues one line of a live stream. When more than {@link #STREAM_BACKLOG} bytes already
         * wait unread, the client is cut off instead (an error line is tried, then the connection
         * closed). False once the connection is gone or cut off.
         */
        boolean stream(Reply line);

        /** {@link #stream(Reply)} for a line already in JSON (without the newline). */
        boolean streamJson(String json);

        /** The reply goes on after the handler returns; with {@code keepalive}, a keepalive line each idle second. */
        void detach(boolean keepalive);

        /** Closes the connection once everything queued is written. */
        void finish();

        /** Runs {@code r} once when the connection closes (at once when it is closed already); {@code r} must be quick. */
        void onClose(Runnable r);

        /** Waits at most {@code millis} until everything queued is written; true when it was. */
        boolean drain(long millis) throws InterruptedException;

        /** True once the client has gone, was cut off, or the reply was finished. */
        boolean closed();
    }

    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final Handler handler;
    private final int ownUid = PeerCredentials.euid();
    private final int descriptorLimit = PeerCredentials.descriptorLimit();
    private final Thread io;
    private final ThreadPoolExecutor privilegedWorkers = pool("control-worker", PRIVILEGED_WORKERS);
    private final ThreadPoolExecutor otherWorkers = pool("control-worker-user", UNPRIVILEGED_WORKERS);
    private final ConcurrentLinkedQueue<Connection> attention = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    // selector thread only
    private final Set<Connection> conns = new HashSet<>();
    private final Map<Integer, Integer> perUid = new HashMap<>();
    private int privilegedCount;
    private int otherCount;
    private long backoffMs;
    private long acceptResumeAt;
    private boolean acceptPaused;
    private boolean acceptTrouble;
    private long lastTick = System.nanoTime();
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);

    /**
     * Binds {@code runtimeDir/control.sock}. Refuses when another daemon answers
     * there; removes a stale socket file otherwise.
     */
    public ControlServer(Path runtimeDir, Handler handler) throws IOException {
        this.handler = handler;
        Files.createDirectories(runtimeDir);
        try {
            Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // a directory we do not own keeps its mode; the socket's own mode still applies
        }
        this.socketPath = runtimeDir.resolve("control.sock");
        if (Files.exists(socketPath)) {
            if (answers(socketPath)) {
                throw new IOException("another svcmgr daemon is already serving " + socketPath);
            }
            Files.deleteIfExists(socketPath);
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath), 256);
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw-rw-"));
        server.configureBlocking(false);
        selector = Selector.open();
        acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        io = new Thread(this::ioLoop, "control-io");
        io.setDaemon(true);
    }

    private static ThreadPoolExecutor pool(String name, int n) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(n, n, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // threads go away when idle: a quiet daemon has only the selector thread for its clients
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Starts accepting connections. */
    public void start() { io.start(); }

    public Path socketPath() { return socketPath; }

    private static boolean answers(Path p) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(p));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------ the selector thread

    private void ioLoop() {
        try {
            while (true) {
                if (closing && conns.isEmpty()) return;
                long now = System.nanoTime();
                // timeouts and keepalives concern connections only: with none, sleep until one comes (0: no
                // timeout), so that an idle daemon uses no CPU (a 200 ms tick here was its idle CPU; issue 13)
                long wait = conns.isEmpty() && !acceptPaused ? 0 : TICK_MILLIS;
                if (acceptPaused) wait = Math.max(1, Math.min(wait, TimeUnit.NANOSECONDS.toMillis(acceptResumeAt - now)));
                selector.select(wait);
                for (Connection c; (c = attention.poll()) != null; ) c.attend();
                boolean acceptable = false;
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) continue;
                    if (k == acceptKey) {
                        acceptable = k.isAcceptable();
                        continue;
                    }
                    Connection c = (Connection) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable()) c.attend();
                        if (k.isValid() && k.isReadable()) c.readable(scratch);
                    } catch (RuntimeException e) {
                        c.closeNow(); // one connection's trouble never stops the others
                    }
                }
                selector.selectedKeys().clear();
                // new connections after the others' reads: a connection its peer closed is counted off (its
                // end of file read) before a new one of the same uid is judged against the limit
                if (acceptable && acceptKey.isValid()) acceptSome();
                if (System.nanoTime() - lastTick >= TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS) || acceptPaused) tick();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("svcmgr: control socket stopped: " + e);
        } finally {
            for (Connection c : new ArrayList<>(conns)) c.closeNow();
            privilegedWorkers.shutdown();
            otherWorkers.shutdown();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void acceptSome() {
        for (int i = 0; i < 64 && !closing; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                acceptKey.cancel();
                return;
            } catch (IOException e) {
                // EMFILE/ENFILE and the like: stop accepting for a while instead of spinning (the connection waits in the backlog)
                backoffMs = backoffMs == 0 ? 5 : Math.min(500, backoffMs * 2);
                if (!acceptTrouble) System.err.println("svcmgr: warning: cannot accept control connections: " + e.getMessage()
                        + "; retrying");
                acceptTrouble = true;
                acceptPaused = true;
                acceptResumeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
                acceptKey.interestOps(0);
                return;
            }
            if (ch == null) break;
            backoffMs = 0;
            acceptTrouble = false;
            admit(ch);
        }
    }

    /** The peer's uid: the kernel's number; the JDK's principal only when the kernel's answer could not be read. */
    private static int uidOf(SocketChannel ch, PeerCredentials.Credentials cr) {
        if (cr != null) return cr.uid();
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            // the JDK's UnixUserPrincipals.User keeps the uid and hashes to it; any other class: unknown
            if (p.user().getClass().getName().equals("sun.nio.fs.UnixUserPrincipals$User")) return p.user().hashCode();
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    private void admit(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
        } catch (IOException e) {
            quietClose(ch);
            return;
        }
        PeerCredentials.Credentials cr = PeerCredentials.of(ch);
        Peer peer = Peer.of(uidOf(ch, cr), ownUid);
        String refused = null;
        if (peer.privileged()) {
            if (privilegedCount >= MAX_PRIVILEGED) refused = "too many connections (" + MAX_PRIVILEGED + " open); try again later";
        } else if (cr != null && cr.fd() >= descriptorLimit - DESCRIPTOR_RESERVE) {
            refused = "the daemon is short of file descriptors; try again later";
        } else if (perUid.getOrDefault(peer.uid(), 0) >= MAX_PER_UID) {
            refused = "too many connections from " + peer.user() + " (at most " + MAX_PER_UID + " at once); close some and retry";
        } else if (otherCount >= MAX_UNPRIVILEGED) {
            refused = "too many connections from unprivileged users (" + MAX_UNPRIVILEGED + " open); try again later";
        }
        if (refused != null) {
            try {
                ch.write(ByteBuffer.wrap(line(new Reply.Error(ErrorKind.LIMIT, refused))));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone already, or its buffer is full: the close tells it
            }
            quietClose(ch);
            return;
        }
        Connection c = new Connection(this, ch, peer);
        try {
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            quietClose(ch);
            return;
        }
        conns.add(c);
        if (peer.privileged()) privilegedCount++;
        else {
            otherCount++;
            perUid.merge(peer.uid(), 1, Integer::sum);
        }
    }

    static void quietClose(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // gone
        }
    }

    /** Timeouts, keepalives and the accept back-off; runs every {@link #TICK_MILLIS} or sooner. */
    private void tick() {
        long now = System.nanoTime();
        lastTick = now;
        if (acceptPaused && now - acceptResumeAt >= 0 && acceptKey.isValid()) {
            acceptPaused = false;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        for (Connection c : new ArrayList<>(conns)) c.tick(now);
    }

    /** Runs a complete request on the worker pool of its peer's kind; false when the pool is shut down. */
    boolean submit(Connection c, byte[] request) {
        ExecutorService pool = c.peer.privileged() ? privilegedWorkers : otherWorkers;
        try {
            pool.execute(() -> serve(c, request));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** A connection has closed: it no longer counts against its uid's limits (selector thread). */
    void closed(Connection c) {
        if (!conns.remove(c)) return;
        if (c.peer.privileged()) privilegedCount--;
        else {
            otherCount--;
            perUid.computeIfPresent(c.peer.uid(), (u, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Has the selector attend to {@code c} (new output, a finish, a cut-off). */
    void wantAttention(Connection c) {
        if (c.flagged.compareAndSet(false, true)) {
            attention.add(c);
            selector.wakeup();
        }
    }

    static byte[] line(Reply reply) {
        return (Codec.write(reply) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ one request (worker thread)

    private void serve(Connection c, byte[] line) {
        try {
            Codec.Envelope e;
            try {
                e = Codec.envelope(new String(line, StandardCharsets.UTF_8));
            } catch (BadRequest bad) {
                c.send(new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: " + bad.getMessage()));
                return;
            }
            if (!c.peer.privileged() && !e.verb().readOnly()) {
                c.send(new Reply.Error(ErrorKind.DENIED, "permission denied: " + e.verb().word()
                        + " needs root or the daemon's user (you are " + c.peer.user() + ")"));
                return;
            }
            try {
                handler.handle(Codec.request(e), c.peer, c);
            } catch (BadRequest bad) {
                c.send(new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: " + bad.getMessage()));
                c.finish();
            }
        } catch (IOException e) {
            c.finish(); // the client went away; nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.finish();
        } catch (RuntimeException | StackOverflowError e) {
            try {
                c.send(new Reply.Error(ErrorKind.INTERNAL, "internal error: " + e));
            } catch (IOException gone) {
                // nothing to answer
            }
            c.finish();
        } finally {
            if (!c.detached()) c.finish();
        }
    }

    /** Stops accepting and removes the socket file; connections still open are served until they end. */
    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // best effort
        }
        selector.wakeup();
    }
}
