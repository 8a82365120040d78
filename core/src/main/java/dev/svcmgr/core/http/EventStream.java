package dev.svcmgr.core.http;

import com.sun.net.httpserver.HttpExchange;
import dev.svcmgr.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /events} client: the daemon's thread only queues each event (never blocks on the
 * network); this stream's own thread writes them as server-sent events, with a comment line each
 * idle 15 s so that a client that went away is noticed. A client more than {@link #BACKLOG} events
 * behind is cut off (its browser reconnects and reloads the rows).
 */
final class EventStream {
    static final int BACKLOG = 10_000;
    static final long KEEPALIVE_MILLIS = 15_000;
    private static final String END = new String("end"); // compared by identity

    private final HttpExchange exchange;
    private final Runnable onEnd;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(BACKLOG + 1);
    private volatile AutoCloseable subscription;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    EventStream(HttpExchange exchange, Runnable onEnd) {
        this.exchange = exchange;
        this.onEnd = onEnd;
    }

    void start(StatusServer.Backend backend, Long since) throws IOException, InterruptedException {
        subscription = backend.follow(since, e -> {
            if (stopped) return false;
            if (queue.offer(e)) return true;
            stopped = true;
            queue.clear();
            queue.offer(END);
            return false;
        });
    }

    /** Writes events until the client goes or is cut off (on this stream's own thread). */
    void pump() {
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(": svcmgr events\nretry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!stopped) {
                String e = queue.poll(KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (e == END) break;
                StringBuilder b = new StringBuilder();
                if (e == null) {
                    b.append(": keepalive\n\n");
                } else {
                    do {
                        b.append("id: ").append(Json.parseObject(e).get("seq")).append('\n').append("data: ").append(e).append("\n\n");
                        e = queue.poll();
                    } while (e != null && e != END);
                    if (e == END) stopped = true;
                }
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away, or the server stops
        } finally {
            stop();
            exchange.close();
        }
    }

    void stop() {
        stopped = true;
        if (!ended.compareAndSet(false, true)) return;
        AutoCloseable s = subscription;
        subscription = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // already ended
            }
        }
        if (onEnd != null) onEnd.run();
    }
}
