package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.svcmgr.core.daemon.ControlServer.IDLE_MILLIS;
import static dev.svcmgr.core.daemon.ControlServer.KEEPALIVE_MILLIS;
import static dev.svcmgr.core.daemon.ControlServer.MAX_REQUEST;
import static dev.svcmgr.core.daemon.ControlServer.REPLY_LIMIT;
import static dev.svcmgr.core.daemon.ControlServer.STALL_MILLIS;
import static dev.svcmgr.core.daemon.ControlServer.STREAM_BACKLOG;

/**
 * One control connection of {@link ControlServer}: the framing of its request (one line, at most
 * {@link ControlServer#MAX_REQUEST} bytes; bytes after it are ignored) and its bounded queue of
 * reply lines, written without ever blocking on the client. Reading, writing what the socket takes
 * and the timeouts run on the selector thread; the reply methods ({@link ControlServer.ReplyStream}) may be called
 * from any thread and only queue.
 */
final class Connection implements ControlServer.ReplyStream {
    private final ControlServer server;
    final SocketChannel ch;
    final Peer peer;
    final long acceptedAt = System.nanoTime();
    final AtomicBoolean flagged = new AtomicBoolean();
    SelectionKey key;
    // selector thread only
    ByteBuffer in = ByteBuffer.allocate(1024);
    boolean requestSeen;
    long ignored;
    // guarded by this
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long pending;
    private long lastQueued = System.nanoTime();
    private long lastProgress = System.nanoTime();
    private boolean finishing;
    private boolean abort;
    private boolean broken;
    private boolean closed;
    private boolean detached;
    private boolean keepalive;
    private List<Runnable> hooks = new ArrayList<>();

    Connection(ControlServer server, SocketChannel ch, Peer peer) {
        this.server = server;
        this.ch = ch;
        this.peer = peer;
    }

    // ---- reading (selector thread)

    /** Reads what the client sent; {@code scratch} is the selector's buffer for bytes that are thrown away. */
    void readable(ByteBuffer scratch) {
        try {
            if (requestSeen) {
                // bytes after the request are ignored (up to a point: then reading stops, and the
                // client's writes block, not the daemon); the end of input only stops reading
                scratch.clear();
                int n = ch.read(scratch);
                if (n > 0) ignored += n;
                if (n < 0 && detached() && dev.svcmgr.core.os.PeerCredentials.peerGone(ch)) {
                    // a stream whose client closed its socket, not just its writing side: nobody reads it (a
                    // quiet logs -f would hold the uid's slot until its next line). Only a stream: a request
                    // still queued or being served keeps its slot until it is done, else connect-send-close
                    // in a loop would queue requests without limit
                    closeNow();
                    return;
                }
                if (n < 0 || ignored > MAX_REQUEST) key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                return;
            }
            while (true) {
                if (!in.hasRemaining()) {
                    if (in.capacity() > MAX_REQUEST) {
                        refuse("request larger than 1 MiB refused");
                        return;
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_REQUEST + 1, in.capacity() * 4));
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                int from = in.position();
                int n = ch.read(in);
                if (n < 0) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                    // a request without its newline counts when the client ends its input
                    if (in.position() > 0) request(in.position());
                    else closeNow();
                    return;
                }
                if (n == 0) return;
                byte[] a = in.array();
                for (int i = from; i < from + n; i++) {
                    if (a[i] == '\n') {
                        request(i);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            closeNow();
        }
    }

    private void refuse(String why) {
        requestSeen = true;
        in = null;
        synchronized (this) {
            enqueueLocked(ControlServer.line(new Reply.Error(ErrorKind.BAD_REQUEST, why)));
            finishing = true;
        }
        attend();
    }

    private void request(int length) {
        requestSeen = true;
        byte[] req = java.util.Arrays.copyOf(in.array(), length);
        in = null;
        if (!server.submit(this, req)) closeNow();
    }

    // ---- writing (any thread)

    @Override
    public void send(Reply reply) throws IOException {
        if (!enqueue(ControlServer.line(reply), false)) throw new IOException("the client has gone");
    }

    @Override
    public boolean stream(Reply l) { return enqueue(ControlServer.line(l), true); }

    @Override
    public boolean streamJson(String json) { return enqueue((json + "\n").getBytes(StandardCharsets.UTF_8), true); }

    private boolean enqueue(byte[] b, boolean live) {
        boolean ok;
        boolean attend;
        String cut = null;
        synchronized (this) {
            if (closed || broken || finishing) return false;
            long limit = live ? STREAM_BACKLOG : REPLY_LIMIT;
            if (pending + b.length > limit) {
                cut = live ? "client too slow: more than " + (STREAM_BACKLOG >> 10) + " KiB of stream lines unread; disconnected"
                        : "reply larger than " + (REPLY_LIMIT >> 20) + " MiB; ask for less";
                cutOff(cut);
                ok = false;
            } else {
                enqueueLocked(b);
                writeLocked();
                ok = !broken;
            }
            // the selector writes the rest, or closes a broken or cut-off connection
            attend = !out.isEmpty() || broken || abort;
        }
        // one line for the operator: the client itself is not reading, so it may never see its error
        if (cut != null) System.err.println("svcmgr: control client of " + peer.user() + " cut off: " + cut);
        if (attend) server.wantAttention(this);
        return ok;
    }

    /** Drops what waits (but not a line half written), queues {@code why} and closes after one try to write it. */
    private void cutOff(String why) {
        ByteBuffer head = out.peekFirst();
        boolean keepHead = head != null && head.position() > 0;
        out.clear();
        pending = 0;
        if (keepHead) {
            out.add(head);
            pending = head.remaining();
        }
        enqueueLocked(ControlServer.line(new Reply.Error(ErrorKind.LIMIT, why)));
        finishing = true;
        abort = true;
    }

    private void enqueueLocked(byte[] b) {
        out.addLast(ByteBuffer.wrap(b));
        pending += b.length;
        lastQueued = System.nanoTime();
    }

    /** Writes what the socket takes now; never blocks (the channel is non-blocking). */
    private void writeLocked() {
        try {
            while (!out.isEmpty()) {
                ByteBuffer h = out.peekFirst();
                int n = ch.write(h);
                if (n > 0) {
                    pending -= n;
                    lastProgress = System.nanoTime();
                }
                if (h.hasRemaining()) break;
                out.removeFirst();
            }
        } catch (IOException e) {
            broken = true;
            out.clear();
            pending = 0;
        }
        if (out.isEmpty()) notifyAll();
    }

    /** On the selector thread: after new output, a finish or a cut-off. */
    void attend() {
        flagged.set(false);
        boolean close;
        synchronized (this) {
            if (closed) return;
            writeLocked();
            close = broken || abort || (finishing && out.isEmpty());
            if (!close && key.isValid()) {
                int ops = key.interestOps();
                key.interestOps(out.isEmpty() ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE);
            }
        }
        if (close) closeNow();
    }

    @Override
    public void detach(boolean keepalive) {
        synchronized (this) {
            detached = true;
            this.keepalive = keepalive;
        }
    }

    synchronized boolean detached() { return detached; }

    @Override
    public void finish() {
        synchronized (this) {
            finishing = true;
        }
        server.wantAttention(this);
    }

    @Override
    public void onClose(Runnable r) {
        synchronized (this) {
            if (!closed) {
                hooks.add(r);
                return;
            }
        }
        r.run();
    }

    @Override
    public synchronized boolean drain(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!out.isEmpty() && !closed && !broken) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) return false;
            wait(left);
        }
        return out.isEmpty() && !broken;
    }

    @Override
    public synchronized boolean closed() { return closed || broken || finishing; }

    /** Idle, stall and keepalive checks (selector thread). */
    void tick(long now) {
        if (!requestSeen) {
            if (!peer.privileged() && now - acceptedAt >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                requestSeen = true;
                in = null;
                synchronized (this) {
                    cutOff("no complete request within " + IDLE_MILLIS / 1000 + " s; closing");
                }
                attend();
            }
            return;
        }
        boolean close = false;
        boolean ping = false;
        synchronized (this) {
            if (closed) return;
            if (!out.isEmpty() && now - lastProgress >= TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) close = true;
            else if (keepalive && detached && !finishing && now - lastQueued >= TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MILLIS)) ping = true;
        }
        if (close) closeNow();
        else if (ping) stream(new Reply.Keepalive());
    }

    /** Closes the connection and runs the close hooks (selector thread, or when the selector ends). */
    void closeNow() {
        List<Runnable> run;
        synchronized (this) {
            if (closed) return;
            closed = true;
            out.clear();
            pending = 0;
            notifyAll();
            run = hooks;
            hooks = List.of();
        }
        if (key != null) key.cancel();
        ControlServer.quietClose(ch);
        server.closed(this);
        for (Runnable r : run) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a hook that failed must not stop the selector
            }
        }
    }
}
