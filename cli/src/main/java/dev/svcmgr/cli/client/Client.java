package dev.svcmgr.cli.client;

import dev.svcmgr.core.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One request to the daemon over {@code control.sock} (docs/protocol.md): JSON
 * lines, protocol version 1. A missing daemon is reported at once, never waited for.
 */
public final class Client {
    private final Path socket;

    public Client(Path runtimeDir) { this.socket = runtimeDir.resolve("control.sock"); }

    /** A request with {@code v} and {@code verb} set; add fields with {@code put}. */
    public static Map<String, Object> request(String verb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1L);
        m.put("verb", verb);
        return m;
    }

    private SocketChannel open() throws NoDaemon {
        if (!Files.exists(socket)) {
            throw new NoDaemon("no svcmgr daemon is running (no control socket at " + socket
                    + "); start one with 'svcmgr daemon' or name its --runtime-dir");
        }
        try {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(socket));
            return c;
        } catch (IOException e) {
            throw new NoDaemon("no svcmgr daemon answers at " + socket + " (" + e.getMessage() + ")");
        }
    }

    /** Sends one request and returns the first reply. */
    public Map<String, Object> call(Map<String, Object> req) throws NoDaemon, IOException {
        Map<String, Object>[] first = new Map[1];
        stream(req, r -> {
            first[0] = r;
            return false;
        });
        if (first[0] == null) throw new IOException("the daemon closed the connection without an answer");
        return first[0];
    }

    /** Sends one request and hands every reply line to {@code each} until it returns false or the stream ends. */
    public void stream(Map<String, Object> req, Predicate<Map<String, Object>> each) throws NoDaemon, IOException {
        try (SocketChannel c = open()) {
            c.write(ByteBuffer.wrap((Json.write(req) + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                Map<String, Object> reply;
                try {
                    reply = Json.parseObject(line);
                } catch (IllegalArgumentException e) {
                    throw new IOException("the daemon sent a reply that is not JSON: " + e.getMessage());
                }
                if (!each.test(reply)) return;
            }
        }
    }
}
