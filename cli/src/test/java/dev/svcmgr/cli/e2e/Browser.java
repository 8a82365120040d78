package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client (no
 * Selenium, no Node): open a page, evaluate JavaScript in it, take a screenshot.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private Browser(Process process, Path profile, WebSocket page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    static boolean available() { return Files.isExecutable(CHROMIUM); }

    /** Starts Chromium on {@code url} and connects to that page. */
    static Browser open(String url, Path work) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium-");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + profile, "--window-size=1400,1000", url)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ws = null;
        StringBuilder said = new StringBuilder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ws == null && System.nanoTime() < end) {
            String line = out.readLine();
            if (line == null) break;
            said.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) ws = m.group(1);
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IOException("chromium did not start its DevTools endpoint:\n" + said);
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) { /* keep the pipe empty */ }
            } catch (IOException ignored) {
                // chromium ended
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(ws);
        HttpClient http = HttpClient.newHttpClient();
        String pageWs = null;
        while (pageWs == null && System.nanoTime() < end) {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (Object o : (List<?>) Json.parse(list)) {
                Map<?, ?> t = (Map<?, ?>) o;
                if ("page".equals(t.get("type")) && String.valueOf(t.get("url")).startsWith(url)) pageWs = (String) t.get("webSocketDebuggerUrl");
            }
            if (pageWs == null) Thread.sleep(50);
        }
        if (pageWs == null) {
            p.destroyForcibly();
            throw new IOException("chromium has no page for " + url);
        }
        Browser[] self = new Browser[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
            private final StringBuilder buf = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                buf.append(data);
                if (last) {
                    String msg = buf.toString();
                    buf.setLength(0);
                    self[0].received(msg);
                }
                w.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new Browser(p, profile, socket);
        return self[0];
    }

    @SuppressWarnings("unchecked")
    private void received(String msg) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(msg);
        Object id = m.get("id");
        if (id instanceof Number n) {
            CompletableFuture<Map<String, Object>> f = pending.remove(n.longValue());
            if (f != null) f.complete(m);
        }
    }

    /** Sends a DevTools command and returns its {@code result}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("method", method);
        m.put("params", params);
        page.sendText(Json.write(m), true).get(30, TimeUnit.SECONDS);
        Map<String, Object> reply = f.get(30, TimeUnit.SECONDS);
        if (reply.get("error") != null) throw new IOException(method + ": " + reply.get("error"));
        return (Map<String, Object>) reply.get("result");
    }

    /** The value of a JavaScript expression in the page (awaited when it is a promise). */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws Exception {
        Map<String, Object> r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.get("exceptionDetails") != null) throw new IOException("page: " + r.get("exceptionDetails"));
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** Polls {@code expression} until it is true or {@code limit} passes. */
    void await(String what, Duration limit, String expression) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            // the page may still be loading: an expression that throws counts as not yet
            if (Boolean.TRUE.equals(eval("(() => { try { return " + expression + "; } catch (e) { return false; } })()"))) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the page never showed " + what + " (" + expression + ")");
    }

    /** A PNG screenshot of the whole page. */
    byte[] screenshot() throws Exception {
        Map<String, Object> r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            page.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
