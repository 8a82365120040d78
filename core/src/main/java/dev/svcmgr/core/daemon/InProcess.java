package dev.svcmgr.core.daemon;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.Codec;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Requests made inside the daemon on behalf of a connected client ({@link Renderer}): each goes to the same
 * {@link ControlServer.Handler} as a request read from the socket, with the same {@link Peer}, and its replies
 * come back as the JSON lines the socket would have carried (written by the protocol's {@link Codec} and read
 * back), so the code that reads them cannot tell the difference. Only {@link Verb#readOnly} verbs, and not
 * {@code render} itself: a rendering reads and never acts.
 */
public final class InProcess {
    /** How long one request may go without its next line (as a client's default timeout). */
    static final long LINE_MILLIS = 90_000;

    private final ControlServer.Handler handler;
    private final Peer peer;
    private final ControlServer.ReplyStream asker;

    /** Requests for {@code peer}, whose own connection is {@code asker}: when it goes, the requests end. */
    InProcess(ControlServer.Handler handler, Peer peer, ControlServer.ReplyStream asker) {
        this.handler = handler;
        this.peer = peer;
        this.asker = asker;
    }

    /** Whom the requests are made for. */
    public Peer peer() { return peer; }

    /**
     * Handles {@code req} and hands each reply line, parsed, to {@code each} until it returns false or the
     * reply ends (for a stream: {@code {"end":true}}, or the handler finishing it). Throws {@link IOException}
     * when a line does not come within {@link #LINE_MILLIS}, or the client that asked has gone.
     */
    public void stream(Request<?> req, Predicate<Map<String, Object>> each) throws IOException, InterruptedException {
        Replies out = new Replies();
        try {
            try {
                if (!req.verb().readOnly() || req.verb() == Verb.RENDER) {
                    out.streamJson(Codec.write(new Reply.Error(ErrorKind.DENIED, "permission denied: " + req.verb().word() + " is not a read")));
                } else {
                    handler.handle(Codec.request(Codec.envelope(Codec.write(req))), peer, out);
                }
            } catch (BadRequest bad) {
                out.streamJson(Codec.write(new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: " + bad.getMessage())));
                out.finish();
            } catch (RuntimeException | StackOverflowError e) {
                out.streamJson(Codec.write(new Reply.Error(ErrorKind.INTERNAL, "internal error: " + e)));
                out.finish();
            }
            if (!out.detached) out.finish();
            long waited = 0;
            for (;;) {
                String line = out.lines.poll(1_000, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (asker.closed()) throw new IOException("the client that asked has gone");
                    if ((waited += 1_000) >= LINE_MILLIS) throw new IOException("no answer within " + LINE_MILLIS / 1000 + " s");
                    continue;
                }
                waited = 0;
                if (line == Replies.END) return;
                Map<String, Object> m;
                try {
                    m = Json.parseObject(line);
                } catch (IllegalArgumentException e) {
                    throw new IOException("a reply that is not JSON: " + e.getMessage());
                }
                if (!each.test(m)) return;
            }
        } finally {
            out.close();
        }
    }

    /** A connection's {@link ControlServer.ReplyStream} without the connection: lines into a queue. */
    private static final class Replies implements ControlServer.ReplyStream {
        static final String END = new String("end of replies");
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<Runnable> onClose = new ArrayList<>();
        private boolean closed, finished;
        volatile boolean detached;

        private synchronized boolean open() { return !closed && !finished; }

        @Override
        public void send(Reply reply) throws IOException {
            if (!streamJson(Codec.write(reply))) throw new IOException("the client has gone");
        }

        @Override
        public boolean stream(Reply line) { return streamJson(Codec.write(line)); }

        @Override
        public synchronized boolean streamJson(String json) {
            if (!open()) return false;
            lines.add(json);
            return true;
        }

        @Override
        public void detach(boolean keepalive) { detached = true; }

        @Override
        public void finish() {
            List<Runnable> run;
            synchronized (this) {
                if (finished) return;
                finished = true;
                lines.add(END);
                run = closed ? List.of() : new ArrayList<>(onClose);
                onClose.clear();
            }
            run.forEach(Runnable::run);
        }

        /** The reader has stopped: later lines go nowhere, and what waits for the close runs. */
        void close() {
            List<Runnable> run;
            synchronized (this) {
                if (closed) return;
                closed = true;
                run = new ArrayList<>(onClose);
                onClose.clear();
            }
            run.forEach(Runnable::run);
        }

        @Override
        public void onClose(Runnable r) {
            synchronized (this) {
                if (!closed && !finished) {
                    onClose.add(r);
                    return;
                }
            }
            r.run();
        }

        @Override
        public boolean drain(long millis) { return true; }

        @Override
        public synchronized boolean closed() { return closed || finished; }
    }
}
