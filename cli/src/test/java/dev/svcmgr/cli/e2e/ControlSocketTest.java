package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The control socket against bad, hostile, unprivileged and many clients: the daemon stays undisturbed. */
class ControlSocketTest {
    private static DaemonHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sock-"));
        h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a").code());
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) h.close();
    }

    /** Sends raw bytes as one request and returns the reply line. */
    private static String raw(byte[] request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(h.runtime.resolve("control.sock")));
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                try {
                    c.write(b);
                } catch (IOException e) {
                    break; // the daemon may close before reading everything of an oversized request
                }
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            return in.readLine();
        }
    }

    private static String raw(String line) throws IOException {
        return raw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(String reply) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(reply);
        assertEquals(Boolean.FALSE, m.get("ok"), reply);
        assertTrue(m.get("error") instanceof String, reply);
        return m;
    }

    private static void daemonUndisturbed() {
        DaemonHarness.Cli c = h.cli("is-active", "a");
        assertEquals("active\n", c.out(), c.toString());
    }

    @Test
    @DisplayName("malformed JSON, a missing version, an unknown verb and wrong types each get an error reply")
    void badRequestsGetErrors() throws IOException {
        assertTrue(error(raw("this is not json")).get("error").toString().startsWith("bad request: bad JSON"));
        assertTrue(error(raw("{\"verb\":\"units\"}")).get("error").toString().contains("protocol version"));
        assertTrue(error(raw("{\"v\":1,\"verb\":\"explode\"}")).get("error").toString().contains("unknown verb"));
        assertTrue(error(raw("{\"v\":1,\"verb\":\"start\",\"units\":\"a\"}")).get("error").toString().contains("list of strings"));
        assertTrue(error(raw("{\"v\":1,\"verb\":\"start\",\"units\":[\"../etc/passwd\"]}")).get("error").toString().contains("unit name"));
        assertTrue(error(raw("[1,2,3]")).get("error").toString().contains("object"));
        assertTrue(error(raw("{\"v\":1,\"verb\":\"kill\",\"units\":[\"a\"],\"signal\":\"SIGNOPE\"}")).get("error").toString().startsWith("bad request"));
        daemonUndisturbed();
    }

    @Test
    @DisplayName("a request over 1 MiB is refused and the daemon keeps serving")
    void oversizedRequestRefused() throws IOException {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        String reply = raw(big);
        assertTrue(error(reply).get("error").toString().contains("larger than 1 MiB"), reply);
        daemonUndisturbed();
    }

    @Test
    @DisplayName("a client that connects and says nothing does not block others")
    void silentClientDoesNotBlock() throws IOException {
        try (SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle.connect(UnixDomainSocketAddress.of(h.runtime.resolve("control.sock")));
            daemonUndisturbed();
        }
    }

    @Test
    @DisplayName("200 concurrent clients all get their answers")
    void twoHundredConcurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(() -> raw("{\"v\":1,\"verb\":\"units\",\"units\":[\"a.service\"]}")));
            }
            for (Future<String> f : answers) {
                String r = f.get(60, TimeUnit.SECONDS);
                assertTrue(r.contains("\"active\":\"active\""), r);
            }
        } finally {
            pool.shutdownNow();
        }
        daemonUndisturbed();
    }

    @Test
    @DisplayName("an unprivileged client may read but gets permission denied for changes")
    void unprivilegedClientIsReadOnly() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs setpriv and python3");
        String py = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b'\\n')\n"
                + "print(s.makefile().readline().strip())\n";
        String sock = h.runtime.resolve("control.sock").toString();
        String stop = asNobody(py, sock, "{\"v\":1,\"verb\":\"stop\",\"units\":[\"a.service\"]}");
        assertTrue(error(stop).get("error").toString().startsWith("permission denied"), stop);
        String read = asNobody(py, sock, "{\"v\":1,\"verb\":\"units\",\"units\":[\"a.service\"]}");
        assertTrue(read.contains("\"ok\":true"), read);
        daemonUndisturbed();
    }

    private static String asNobody(String py, String sock, String req) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-c", py, sock, req).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
