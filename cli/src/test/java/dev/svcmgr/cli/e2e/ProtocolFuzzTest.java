package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-style fuzzing of the control protocol through a real daemon (docs/security.md "The
 * fuzz test"): a seeded, bounded corpus of requests (well-formed ones with hostile values,
 * byte-level mutations of them, deep nesting, huge numbers and sizes, broken UTF-8) is sent
 * as root (verbs that change state are turned into {@code ping}) and, unchanged, as an
 * unprivileged account. Properties: every non-empty request gets a first reply line that is a
 * JSON object with {@code ok}; root's {@code status} answers within a second throughout; the
 * daemon prints no stack trace; its threads and descriptors come back to where they were.
 * {@code -Dsvcmgr.fuzz.seed=N} and {@code -Dsvcmgr.fuzz.cases=N} replay or widen a run.
 */
class ProtocolFuzzTest {
    static final long SEED = Long.getLong("svcmgr.fuzz.seed", 20261201L);
    static final int CASES = Integer.getInteger("svcmgr.fuzz.cases", 2000);
    static final Set<String> SAFE = Set.of("ping", "units", "system", "why", "plan", "state", "analyze", "events", "logs", "graph",
            "dependencies");
    static final List<String> VERBS = List.of("ping", "units", "system", "start", "stop", "restart", "try-restart", "reload",
            "isolate", "poweroff", "reboot", "halt", "enable", "disable", "mask", "unmask", "daemon-reload", "reset-failed", "kill",
            "events", "logs", "plan", "why", "state", "analyze", "run", "daemon-reexec", "debug-fault", "graph", "dependencies", "status",
            "frobnicate", "");
    static final List<String> FIELDS = List.of("units", "all", "wait", "since", "follow", "lines", "mode", "no-block", "plan-verb",
            "signal", "argv", "unit", "properties", "what", "oneshot", "assume-active", "reverse", "v", "verb");

    @Test
    @DisplayName("a seeded random corpus of requests: each gets an answer, status stays fast, nothing leaks")
    void randomRequestsNeverDisturbTheDaemon() throws Exception {
        try (DaemonHarness h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-fuzz-"))) {
            h.unit("a.service.yaml", "exec: [/bin/sleep, '1000']\n");
            h.unit("worker@.service.yaml", "exec: [/bin/sleep, '1000']\n");
            h.start("--no-boot");
            assertEquals(0, h.cli("start", "a").code());
            long pid = h.process().pid();
            Path sock = h.runtime.resolve("control.sock");
            long threads0 = quietThreads(pid);
            long fds0 = OtherUser.fds(pid);

            Random rnd = new Random(SEED);
            List<byte[]> corpus = new ArrayList<>();
            for (int i = 0; i < CASES; i++) corpus.add(fuzzCase(rnd));

            AtomicBoolean done = new AtomicBoolean();
            AtomicLong worst = new AtomicLong();
            AtomicReference<String> pingTrouble = new AtomicReference<>();
            Thread pinger = new Thread(() -> {
                while (!done.get()) {
                    long t0 = System.nanoTime();
                    try {
                        String r = exchange(sock, "{\"v\":1,\"verb\":\"units\",\"units\":[\"a.service\"]}\n".getBytes(StandardCharsets.UTF_8), 5000);
                        if (r == null || !r.contains("\"active\":\"active\"")) pingTrouble.compareAndSet(null, "status answered " + r);
                    } catch (IOException e) {
                        pingTrouble.compareAndSet(null, "status failed: " + e);
                    }
                    worst.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                    while (System.nanoTime() < until && !done.get()) Thread.onSpinWait();
                }
            }, "fuzz-status");
            pinger.start();
            List<String> bad = new ArrayList<>();
            try {
                for (byte[] c : corpus) {
                    byte[] sent = asRoot(c);
                    String reply = exchange(sock, sent, 5000);
                    if (!answered(reply) && sent.length > 0 && bad.size() < 5) {
                        bad.add(Base64.getEncoder().encodeToString(sent.length > 200 ? java.util.Arrays.copyOf(sent, 200) : sent)
                                + " -> " + reply);
                    }
                }
                if (otherUserAvailable()) {
                    try (OtherUser u = OtherUser.create(null)) {
                        Path file = Files.createTempFile(Path.of("/tmp"), "svcmgr-fuzz-", ".txt");
                        try {
                            StringBuilder b = new StringBuilder();
                            for (int i = 0; i < corpus.size(); i += 3) b.append(Base64.getEncoder().encodeToString(corpus.get(i))).append('\n');
                            Files.writeString(file, b);
                            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                            Map<String, Object> r = u.run(sock, 300, "fuzz", file.toString());
                            assertEquals(List.of(), r.get("bad"), "as an unprivileged user: " + r);
                        } finally {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            } finally {
                done.set(true);
                pinger.join();
            }
            assertEquals(List.of(), bad, "requests without a proper answer (seed " + SEED + ")");
            assertEquals(null, pingTrouble.get());
            assertTrue(worst.get() < 1000, "status took " + worst.get() + " ms during the fuzzing (seed " + SEED + ")");
            String err = DaemonHarness.read(h.stderr);
            assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
            DaemonHarness.await("threads and descriptors back to where they were", Duration.ofSeconds(60), () -> {
                try {
                    return OtherUser.threads(pid) <= threads0 && OtherUser.fds(pid) <= fds0 + 2;
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals("active\n", h.cli("is-active", "a").out());
        }
    }

    private static boolean otherUserAvailable() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/useradd"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    /** The daemon's threads once its control workers have gone idle (they end after 5 s without work). */
    private static long quietThreads(long pid) throws Exception {
        DaemonHarness.await("the control workers to go idle", Duration.ofSeconds(60),
                () -> OtherUser.threadNames(pid).stream().noneMatch(n -> n.startsWith("control-worker")));
        return OtherUser.threads(pid);
    }

    /** A first reply line that is a JSON object with a boolean {@code ok} (and a one-line error when false). */
    @SuppressWarnings("unchecked")
    private static boolean answered(String reply) {
        if (reply == null) return false;
        try {
            Object o = Json.parse(reply);
            if (!(o instanceof Map<?, ?> m) || !(m.get("ok") instanceof Boolean ok)) return false;
            return ok || (((Map<String, Object>) m).get("error") instanceof String e && !e.contains("\n"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What root sends for a case: the same bytes, except that a request the daemon would parse as
     * a verb that changes state gets {@code ping} instead (the daemon reads up to the first newline
     * with the same parser, so this is exact).
     */
    static byte[] asRoot(byte[] c) {
        int nl = 0;
        while (nl < c.length && c[nl] != '\n') nl++;
        Object parsed;
        try {
            parsed = Json.parse(new String(c, 0, nl, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | StackOverflowError e) {
            return c;
        }
        if (parsed instanceof Map<?, ?> m && m.get("verb") instanceof String v && !SAFE.contains(v)) {
            @SuppressWarnings("unchecked") Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) m);
            copy.put("verb", "ping");
            return (Json.write(copy) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return c;
    }

    /** Sends {@code data}, ends the input, and returns the first line of the answer (null: none within the time). */
    static String exchange(Path sock, byte[] data, long millis) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            c.connect(UnixDomainSocketAddress.of(sock));
            c.configureBlocking(false);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            ByteBuffer out = ByteBuffer.wrap(data);
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            SelectionKey k = c.register(sel, SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
            boolean shut = false;
            while (System.nanoTime() < end) {
                if (!out.hasRemaining() && !shut) {
                    c.shutdownOutput();
                    shut = true;
                    k.interestOps(SelectionKey.OP_READ);
                }
                sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                if (k.isWritable() && out.hasRemaining()) {
                    try {
                        c.write(out);
                    } catch (IOException e) {
                        out.position(out.limit()); // the daemon stopped reading (an oversized request): its answer follows
                    }
                }
                if (k.isReadable()) {
                    in.clear();
                    int n;
                    try {
                        n = c.read(in);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n > 0) got.write(in.array(), 0, n);
                    byte[] b = got.toByteArray();
                    for (int i = 0; i < b.length; i++) if (b[i] == '\n') return new String(b, 0, i, StandardCharsets.UTF_8);
                    if (n < 0) return b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
                }
                sel.selectedKeys().clear();
            }
            return null;
        }
    }

    // ------------------------------------------------------------ the corpus

    /** One case: mostly well-formed requests with hostile values, some mutated at the byte level, a few special shapes. */
    static byte[] fuzzCase(Random r) {
        int kind = r.nextInt(100);
        if (kind < 45) return (request(r) + "\n").getBytes(StandardCharsets.UTF_8);
        if (kind < 85) return mutate(r, (request(r) + "\n").getBytes(StandardCharsets.UTF_8));
        return special(r);
    }

    static String request(Random r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"v\":").append(r.nextInt(10) < 8 ? "1" : value(r, 1)).append(',');
        String verb = VERBS.get(r.nextInt(VERBS.size()));
        b.append("\"verb\":").append(r.nextInt(20) == 0 ? value(r, 1) : quote(verb));
        int fields = r.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String f = FIELDS.get(r.nextInt(FIELDS.size()));
            b.append(',').append(quote(f)).append(':').append(fieldValue(r, f));
        }
        return b.append('}').toString();
    }

    static String fieldValue(Random r, String f) {
        if (r.nextInt(3) == 0) return value(r, 2);
        return switch (f) {
            case "units", "argv" -> {
                int n = r.nextInt(20) == 0 ? 4096 + r.nextInt(3) - 1 : r.nextInt(4);
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(',');
                    b.append(quote(r.nextBoolean() ? List.of("a", "a.service", "worker@x" + i, "worker@.service", "nope", "../x",
                            "", "a@b@c.service").get(r.nextInt(8)) : string(r)));
                }
                yield b.append(']').toString();
            }
            case "all", "wait", "follow", "no-block", "oneshot" -> r.nextBoolean() ? "true" : "false";
            case "since", "lines" -> List.of("0", "-1", "10", "9223372036854775807", "-9223372036854775808", "1e400", "1.5",
                    "99999999999999999999").get(r.nextInt(8));
            case "mode" -> quote(List.of("replace", "fail", "isolate", "x").get(r.nextInt(4)));
            case "plan-verb" -> quote(List.of("start", "stop", "restart", "isolate", "halt").get(r.nextInt(5)));
            case "signal" -> quote(List.of("SIGUSR2", "12", "KILL", "SIGNOPE", "0", "-1").get(r.nextInt(6)));
            default -> value(r, 2);
        };
    }

    static String value(Random r, int depth) {
        int k = r.nextInt(depth > 0 ? 10 : 7);
        return switch (k) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> List.of("0", "-0", "1", "-1", "1e400", "-1e400", "1e-400", "1.7976931348623157e308", "123456789012345678901234567890",
                    "1E+2", "0.0000001", "9".repeat(r.nextInt(80) + 1), "1e" + r.nextInt(1_000_000)).get(r.nextInt(13));
            case 3, 4 -> quote(string(r));
            case 5 -> Long.toString(r.nextLong());
            case 6 -> Double.toString(r.nextGaussian() * 1e6);
            case 7 -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(value(r, depth - 1));
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(quote(string(r))).append(':').append(value(r, depth - 1));
                yield b.append('}').toString();
            }
        };
    }

    static String string(Random r) {
        int n = r.nextInt(50) == 0 ? 10_000 + r.nextInt(10_000) : r.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k < 6) b.append((char) ('a' + r.nextInt(26)));
            else if (k == 6) b.append(List.of('@', '.', '/', '*', '%', '-', ' ', '\n', '"', '\\').get(r.nextInt(10)));
            else if (k == 7) b.append((char) r.nextInt(0x20));
            else if (k == 8) b.append((char) (0xd800 + r.nextInt(0x800))); // lone surrogates
            else b.appendCodePoint(0x80 + r.nextInt(0x10000));
        }
        return b.toString();
    }

    /** A JSON string literal, escaping only what JSON requires (lone surrogates stay as \\u escapes). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        Json.quote(b, s);
        return b.toString();
    }

    static byte[] mutate(Random r, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(in);
        byte[] b = out.toByteArray();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncated (maybe without its newline)
                case 3 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) "\n\u0000\u00ff\u00c0\"{[\\".charAt(r.nextInt(8));
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 5 -> {
                    byte[] c = java.util.Arrays.copyOf(b, b.length * 2);
                    System.arraycopy(b, 0, c, b.length, b.length); // two requests in one
                    b = c;
                }
                default -> {
                    byte[] c = java.util.Arrays.copyOf(b, b.length + 2);
                    c[b.length] = (byte) 0xed; // an encoded surrogate: invalid UTF-8
                    c[b.length + 1] = (byte) 0xa0;
                    b = c;
                }
            }
        }
        return b;
    }

    static byte[] special(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> ("{\"v\":1,\"verb\":\"ping\",\"x\":" + "[".repeat(1 + r.nextInt(20_000)) + "}\n").getBytes(StandardCharsets.UTF_8);
            case 1 -> ("{\"a\":".repeat(1 + r.nextInt(2_000)) + "1" + "}".repeat(r.nextInt(2_000)) + "\n").getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                byte[] big = new byte[(1 << 20) + r.nextInt(1 << 20)];
                java.util.Arrays.fill(big, (byte) (r.nextBoolean() ? ' ' : '9'));
                yield big;
            }
            case 3 -> new byte[0];
            case 4 -> " \t\r\n".getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"v\":1,\"verb\":\"units\",\"units\":[" + "\"worker@z\",".repeat(5000) + "\"a\"]}\n").getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"v\":" + "1".repeat(10 + r.nextInt(100_000)) + ",\"verb\":\"ping\"}\n").getBytes(StandardCharsets.UTF_8);
            case 7 -> ("{\"v\":1,\"verb\":\"ping\"" + ",\"k\":1".repeat(1 + r.nextInt(50_000)) + "}\n").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] b = new byte[1 + r.nextInt(4096)];
                r.nextBytes(b);
                yield b;
            }
        };
    }
}
