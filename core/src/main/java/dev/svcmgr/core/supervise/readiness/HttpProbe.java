package dev.svcmgr.core.supervise.readiness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code ready: {http: URL}}: one GET at a time, ready on a 2xx answer. The
 * answer (true for 2xx, false for anything else or no answer within the
 * per-try timeout) is given to a callback on the client's thread; the
 * supervisor posts it back to its loop and decides when to try again.
 */
final class HttpProbe {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpProbe() {}

    /** Parses {@code url}; null when it is not an absolute http(s) URL. */
    static URI uri(String url) {
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sends one GET; {@code answer} receives whether it was a 2xx. */
    static void once(URI uri, Consumer<Boolean> answer) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        CLIENT.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> answer.accept(e == null && r.statusCode() / 100 == 2));
    }

    /** The next poll interval: starts at 10 ms, grows by half each try, at most 500 ms. */
    static long next(long ms) { return ms <= 0 ? 10 : Math.min(500, ms + ms / 2); }
}
