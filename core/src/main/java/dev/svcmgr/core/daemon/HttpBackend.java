package dev.svcmgr.core.daemon;

import dev.svcmgr.core.http.StatusServer;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The status page's way to the daemon: each request goes to the same {@link Dispatcher} as the
 * control socket's, with a reply stream kept in memory instead of a connection, as a reader with
 * no privilege ({@link #READER}); only the log tail (asked for with --http-show-logs alone) reads as
 * the daemon's own user.
 */
final class HttpBackend implements StatusServer.Backend {
    /** The page's reader: no uid, no privilege (a unit file's hidden problems stay hidden). */
    static final Peer READER = new Peer(-1, "the status page", false);
    private static final Peer OWNER = new Peer(0, "the status page (--http-show-logs)", true);
    static final long ANSWER_SECONDS = 30;
    /** How the codec begins an event line ({@code Reply.EventLine}: one key, {@code event}). */
    private static final String EVENT_LINE = "{\"event\":";

    private final Daemon daemon;
    private final Dispatcher dispatcher;

    HttpBackend(Daemon daemon, Dispatcher dispatcher) {
        this.daemon = daemon;
        this.dispatcher = dispatcher;
    }

    @Override
    public Reply call(Request<?> request, boolean privileged) throws IOException, InterruptedException {
        if (!request.verb().readOnly() || request.verb().streams() || request.verb() == dev.svcmgr.core.protocol.Verb.RENDER) throw new IllegalArgumentException(request.verb() + " is not for the page");
        Memory out = new Memory();
        dispatcher.handle(request, privileged ? OWNER : READER, out);
        return out.first(ANSWER_SECONDS);
    }

    @Override
    public List<String> logTail(String unit, int lines) throws IOException, InterruptedException {
        Memory out = new Memory();
        dispatcher.handle(new Request.Logs(unit, lines, false), OWNER, out);
        Reply first = out.first(ANSWER_SECONDS);
        if (first instanceof Reply.Error) return null;
        out.ended.get(ANSWER_SECONDS, TimeUnit.SECONDS, "the log");
        List<String> text = new ArrayList<>();
        for (Reply r : out.replies) if (r instanceof Reply.LogLine l) text.add(l.line());
        return text;
    }

    @Override
    public AutoCloseable follow(Long since, StatusServer.EventSink sink) throws IOException, InterruptedException {
        Memory out = new Memory() {
            @Override
            public void send(Reply reply) throws IOException {
                // the replayed history (after since) comes as replies before the live lines
                if (reply instanceof Reply.EventLine l) {
                    if (!closed() && !sink.event(Json.write(l.event().toJson()))) finish();
                    return;
                }
                super.send(reply);
            }

            @Override
            public boolean streamJson(String json) {
                if (closed()) return false;
                // on the loop: no parsing here, the line is the codec's {"event":{...}}; the stream's own thread reads it
                if (!json.startsWith(EVENT_LINE) || !json.endsWith("}")) return true;
                if (sink.event(json.substring(EVENT_LINE.length(), json.length() - 1))) return true;
                finish();
                return false;
            }
        };
        dispatcher.handle(new Request.Events(since, true), READER, out);
        Reply first = out.first(ANSWER_SECONDS);
        if (first instanceof Reply.Error e) throw new IOException(e.message());
        return out::finish;
    }

    @Override
    public long eventsSoFar() throws InterruptedException {
        return daemon.loop().call(() -> daemon.manager().events().lastSeq());
    }

    @Override
    public String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    /** A reply stream kept in memory: the first reply completes {@link #first}; lines after it are kept. */
    static class Memory implements ControlServer.ReplyStream {
        final CompletableFuture<Reply> firstReply = new CompletableFuture<>();
        final Ended ended = new Ended();
        final List<Reply> replies = new CopyOnWriteArrayList<>();
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Reply first(long seconds) throws IOException, InterruptedException {
            try {
                return firstReply.get(seconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            } catch (TimeoutException e) {
                finish();
                throw new IOException("no answer from the daemon within " + seconds + " s");
            }
        }

        @Override
        public void send(Reply reply) throws IOException {
            if (closed) throw new IOException("closed");
            replies.add(reply);
            firstReply.complete(reply);
            if (reply instanceof Reply.End || reply instanceof Reply.Error) ended.done();
        }

        @Override
        public boolean stream(Reply line) {
            if (closed) return false;
            replies.add(line);
            return true;
        }

        @Override
        public boolean streamJson(String json) { return !closed; }

        @Override
        public void detach(boolean keepalive) {}

        @Override
        public void finish() {
            if (closed) return;
            closed = true;
            ended.done();
            for (Runnable r : onClose) r.run();
        }

        @Override
        public void onClose(Runnable r) {
            if (closed) r.run();
            else onClose.add(r);
        }

        @Override
        public boolean drain(long millis) { return true; }

        @Override
        public boolean closed() { return closed; }
    }

    /** Completed when a stream of lines has ended. */
    static final class Ended {
        private final CompletableFuture<Void> f = new CompletableFuture<>();

        void done() { f.complete(null); }

        void get(long seconds, TimeUnit unit, String what) throws IOException, InterruptedException {
            try {
                f.get(seconds, unit);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(what + " did not end within " + seconds + " s");
            }
        }
    }
}
