package dev.svcmgr.core.daemon;

import dev.svcmgr.core.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The control socket: a Unix stream socket, JSON lines, one request and one reply
 * (or a stream of lines for {@code events} and {@code logs --follow}). Each
 * connection has its own thread; the event loop is never blocked by a client.
 * Requests over 1 MiB, malformed JSON, a missing or wrong protocol version, and
 * unknown verbs get an error reply and the connection is closed.
 */
public final class ControlServer implements AutoCloseable {
    /** Largest request line accepted. */
    public static final int MAX_REQUEST = 1 << 20;
    /** Protocol version every request must carry as {@code "v"}. */
    public static final int PROTOCOL = 1;
    /** Most connections served at once; more are answered with an error and closed. */
    public static final int MAX_CONNECTIONS = 1024;

    /** Verbs any connected user may use. */
    public static final Set<String> READ_ONLY = Set.of("status", "is-active", "is-failed", "is-enabled",
            "is-system-running", "list-units", "list-dependencies", "show", "cat", "why", "logs", "events",
            "plan", "graph", "analyze", "units", "system", "ping", "state");

    /** Handles one parsed request; writes one or more replies to {@code out}. Runs on the connection's thread. */
    @FunctionalInterface
    public interface Handler {
        void handle(Map<String, Object> request, Peer peer, ReplyStream out) throws IOException, InterruptedException;
    }

    /** Where a handler writes replies: one JSON object a line. */
    public interface ReplyStream {
        void send(Map<String, Object> reply) throws IOException;

        /** True once the client has gone (writes failed). */
        boolean closed();
    }

    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Set<String> verbs;
    private final String ownUser;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closing;

    /**
     * Binds {@code runtimeDir/control.sock}. Refuses when another daemon answers
     * there; removes a stale socket file otherwise.
     */
    public ControlServer(Path runtimeDir, Set<String> verbs, Handler handler) throws IOException {
        this.handler = handler;
        this.verbs = Set.copyOf(verbs);
        this.ownUser = System.getProperty("user.name");
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
        acceptor = new Thread(this::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
    }

    /** Starts accepting connections. */
    public void start() { acceptor.start(); }

    public Path socketPath() { return socketPath; }

    private static boolean answers(Path p) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(p));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private long backoffMs;
    private boolean acceptTrouble;

    private void acceptLoop() {
        while (!closing) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closing) return;
                // EMFILE/ENFILE and the like: back off instead of spinning (the connection waits in the backlog)
                backoffMs = backoffMs == 0 ? 5 : Math.min(500, backoffMs * 2);
                if (!acceptTrouble) System.err.println("svcmgr: warning: cannot accept control connections: " + e.getMessage()
                        + "; retrying");
                acceptTrouble = true;
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            backoffMs = 0;
            acceptTrouble = false;
            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                connections.decrementAndGet();
                try (c) {
                    c.write(java.nio.ByteBuffer.wrap((Json.write(Replies.error("too many connections", 1)) + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                } catch (IOException ignored) {
                    // the client is gone already
                }
                continue;
            }
            Thread t = new Thread(() -> serve(c), "control-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private Peer peerOf(SocketChannel c) {
        try {
            UnixDomainPrincipal p = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String name = p.user().getName();
            return new Peer(numericId(p.user()), name, name.equals("root") || name.equals("0") || name.equals(ownUser));
        } catch (IOException | UnsupportedOperationException e) {
            return new Peer(-1, "?", false);
        }
    }

    /**
     * The numeric id behind a principal from SO_PEERCRED. The JDK keeps it but does not expose it: its
     * name is the number when the id has no name, and its {@code hashCode} is the id (JDK 17's
     * {@code sun.nio.fs.UnixUserPrincipals}); anything else gives -1 (unknown: no access by id).
     */
    static int numericId(java.security.Principal p) {
        if (p == null) return -1;
        String n = p.getName();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
            try {
                return Integer.parseInt(n);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return p.getClass().getName().startsWith("sun.nio.fs.UnixUserPrincipals$") ? p.hashCode() : -1;
    }

    private void serve(SocketChannel c) {
        try (c) {
            InputStream in = Channels.newInputStream(c);
            OutputStream raw = Channels.newOutputStream(c);
            Stream out = new Stream(raw);
            Peer peer = peerOf(c);
            byte[] line = readLine(in);
            if (line == null) return;
            if (line.length > MAX_REQUEST) {
                out.send(Replies.error("request larger than 1 MiB refused", 1));
                return;
            }
            Map<String, Object> req;
            try {
                req = Json.parseObject(new String(line, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.send(Replies.error("bad request: " + e.getMessage(), 1));
                return;
            }
            Object v = req.get("v");
            if (!(v instanceof Long n) || n != PROTOCOL) {
                out.send(Replies.error("bad request: expected protocol version \"v\": " + PROTOCOL + ", got " + Json.write(v), 1));
                return;
            }
            Object verb = req.get("verb");
            if (!(verb instanceof String s) || !verbs.contains(s)) {
                out.send(Replies.error("bad request: unknown verb " + Json.write(verb), 1));
                return;
            }
            if (!peer.privileged() && !READ_ONLY.contains(s)) {
                out.send(Replies.error("permission denied: " + s + " needs root or the daemon's user (you are " + peer.user() + ")", 1));
                return;
            }
            try {
                handler.handle(req, peer, out);
            } catch (BadRequest e) {
                out.send(Replies.error("bad request: " + e.getMessage(), 1));
            } catch (RuntimeException e) {
                out.send(Replies.error("internal error: " + e, 1));
            }
        } catch (IOException | InterruptedException e) {
            // the client went away; nothing to answer
        } finally {
            connections.decrementAndGet();
        }
    }

    /** Reads up to and excluding '\n'; returns more than MAX_REQUEST bytes to signal "too long"; null on EOF at start. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        while (true) {
            int n = in.read(buf);
            if (n < 0) return b.size() == 0 ? null : b.toByteArray();
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    b.write(buf, 0, i);
                    return b.toByteArray();
                }
            }
            b.write(buf, 0, n);
            if (b.size() > MAX_REQUEST) return new byte[MAX_REQUEST + 1];
        }
    }

    private static final class Stream implements ReplyStream {
        private final OutputStream out;
        private volatile boolean closed;

        Stream(OutputStream out) { this.out = out; }

        @Override
        public synchronized void send(Map<String, Object> reply) throws IOException {
            try {
                out.write((Json.write(reply) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                closed = true;
                throw e;
            }
        }

        @Override
        public boolean closed() { return closed; }
    }

    /** Thrown by handlers for a request with wrong or missing fields; answered as {@code bad request: ...}. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) { super(message); }
    }

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
    }
}
