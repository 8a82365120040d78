package dev.svcmgr.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code daemon --http ADDR:PORT} (cli.md "The status page and metrics"): read-only, without
 * authentication, on the JDK's own HTTP server (no dependency). Every answer is made from the
 * replies of the control protocol's read verbs through {@link Backend}, so the page, the metrics and
 * {@code /api} show exactly what {@code svcmgr} prints.
 *
 * <p>Load: ordinary requests run on {@link #WORKERS} threads (the rest queue), so any number of page
 * loads asks the event loop for no more than {@link #WORKERS} short copies at a time; each
 * {@code /events} client has a thread of its own, at most {@link #MAX_STREAMS}.
 */
public final class StatusServer implements AutoCloseable {
    /** Threads answering ordinary requests. */
    static final int WORKERS = 4;
    /** Server-sent-event clients at once; more get 503. */
    static final int MAX_STREAMS = 64;

    /** What the server asks the daemon. */
    public interface Backend {
        /** The reply to a read-only request, as an unprivileged reader sees it (logs: as root, only with --http-show-logs). */
        Reply call(Request<?> request, boolean privileged) throws IOException, InterruptedException;

        /**
         * Follows state changes (after event {@code since} first, replayed from the retained history, when it
         * is not null): each event as the JSON text of its {@code events --json} object to {@code sink} (a
         * thread of the daemon's calls it; it must not block); the returned handle stops the stream.
         */
        AutoCloseable follow(Long since, EventSink sink) throws IOException, InterruptedException;

        /** The last {@code lines} lines of the unit's log (only asked with --http-show-logs); null for no such unit. */
        List<String> logTail(String unit, int lines) throws IOException, InterruptedException;

        /** Events so far (the sequence number of the last one). */
        long eventsSoFar() throws InterruptedException;

        /** The host's name, for the page's title. */
        String hostName();
    }

    /** Where a stream of events goes. */
    public interface EventSink {
        /** False when the client cannot take more (the stream then ends). */
        boolean event(String eventJson);
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final ExecutorService streams;
    private final AtomicInteger streaming = new AtomicInteger();
    private volatile Backend backend;
    private final boolean showLogs;

    private StatusServer(HttpServer server, boolean showLogs) {
        this.server = server;
        this.showLogs = showLogs;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("svcmgr-http"));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        this.streams = new ThreadPoolExecutor(0, MAX_STREAMS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads("svcmgr-http-events"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Binds {@code address} (an address that cannot be bound is an IOException saying so, one line);
     * nothing is served before {@link #serve}.
     */
    public static StatusServer bind(InetSocketAddress address, boolean showLogs) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new IOException("cannot serve HTTP on " + address.getHostString() + ":" + address.getPort() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        StatusServer s = new StatusServer(server, showLogs);
        server.setExecutor(s.workers);
        server.createContext("/", s::route);
        return s;
    }

    /** Starts answering, from {@code backend}. */
    public void serve(Backend backend) {
        this.backend = backend;
        server.start();
    }

    /**
     * {@code ADDR:PORT} as socket units' {@code listen} takes it ({@code 127.0.0.1:8080}, {@code [::1]:8080},
     * {@code :8080} for every address; port 0 chooses a free one); an IllegalArgumentException says what is wrong.
     */
    public static InetSocketAddress parseAddress(String spec) {
        dev.svcmgr.units.Values.HostPort a = dev.svcmgr.units.Values.parseHostPort(spec);
        if (a == null) {
            throw new IllegalArgumentException("'" + spec + "' is not ADDR:PORT (e.g. 127.0.0.1:9180, [::1]:9180 or :9180 for every address)");
        }
        return a.host() == null ? new InetSocketAddress(a.port()) : new InetSocketAddress(a.host(), a.port());
    }

    /** The address bound (the port chosen when 0 was asked for). */
    public InetSocketAddress address() { return server.getAddress(); }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        streams.shutdownNow();
    }

    // ------------------------------------------------------------------ routing

    private void route(HttpExchange x) {
        boolean handedOver = false;
        try {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                send(x, 405, "text/plain", "read-only: only GET\n");
                return;
            }
            URI uri = x.getRequestURI();
            String path = uri.getPath();
            Map<String, String> q = query(uri.getRawQuery());
            switch (path) {
                case "/" -> send(x, 200, "text/html; charset=utf-8", Page.html(backend, q.get("unit"), showLogs));
                case "/app.js" -> send(x, 200, "text/javascript; charset=utf-8", Page.script());
                case "/metrics" -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", Metrics.text(backend));
                case "/api/units" -> json(x, Api.units(backend));
                case "/api/system" -> {
                    Map<String, Object> m = new java.util.LinkedHashMap<>(Api.system(backend).toJson());
                    m.remove("ok");
                    json(x, m);
                }
                case "/chart.svg" -> {
                    String svg = Page.chart(backend);
                    // a daemon started with --no-boot that ran no transaction yet has nothing to chart
                    if (svg == null) send(x, 404, "text/plain", "no transaction has run yet: nothing to chart\n");
                    else svg(x, svg);
                }
                case "/events" -> handedOver = events(x, since(x, q)); // the stream's thread owns the exchange then
                default -> {
                    if (path.startsWith("/api/units/")) {
                        Object status = Api.unit(backend, decode(path.substring("/api/units/".length())));
                        if (status == null) send(x, 404, "application/json", Json.write(Map.of("error", "no such unit")) + "\n");
                        else json(x, status);
                    } else if (path.startsWith("/api/logs/")) {
                        if (!showLogs) {
                            send(x, 404, "text/plain", "logs are not served: start the daemon with --http-show-logs to show them\n");
                        } else {
                            json(x, Api.logs(backend, decode(path.substring("/api/logs/".length()))));
                        }
                    } else if (path.equals("/graph.svg")) {
                        String unit = q.getOrDefault("unit", "default.target");
                        String svg = Page.graph(backend, unit);
                        if (svg == null) send(x, 404, "text/plain", "no such unit\n");
                        else svg(x, svg);
                    } else {
                        send(x, 404, "text/plain", "not found\n");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            try {
                send(x, 500, "text/plain", "svcmgr: " + e.getMessage() + "\n");
            } catch (IOException | RuntimeException gone) {
                // the client left
            }
        } finally {
            if (!handedOver) x.close();
        }
    }

    /** {@code /events}: server-sent events, {@code id} the event's sequence number, {@code data} its JSON. */
    /**
     * Where a stream starts: after {@code ?since=SEQ}, or after the browser's {@code Last-Event-ID} when
     * it reconnects (so nothing between two connections is lost), else from now.
     */
    private static Long since(HttpExchange x, Map<String, String> q) {
        String s = q.getOrDefault("since", x.getRequestHeaders().getFirst("Last-Event-ID"));
        if (s == null || s.isBlank()) return null;
        try {
            long n = Long.parseLong(s.strip());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private boolean events(HttpExchange x, Long since) throws IOException, InterruptedException {
        if (streaming.incrementAndGet() > MAX_STREAMS) {
            streaming.decrementAndGet();
            send(x, 503, "text/plain", "too many event streams (at most " + MAX_STREAMS + ")\n");
            return false;
        }
        EventStream stream = new EventStream(x, () -> streaming.decrementAndGet());
        try {
            x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.sendResponseHeaders(200, 0);
            stream.start(backend, since);
            streams.execute(stream::pump);
            return true;
        } catch (IOException | RuntimeException | InterruptedException e) {
            stream.stop();
            throw e;
        }
    }

    private static void json(HttpExchange x, Object value) throws IOException {
        send(x, 200, "application/json", Json.write(value) + "\n");
    }

    private static void svg(HttpExchange x, String svg) throws IOException {
        send(x, 200, "image/svg+xml", svg);
    }

    static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new java.util.HashMap<>();
        if (raw == null) return m;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) m.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
        }
        return m;
    }
}
