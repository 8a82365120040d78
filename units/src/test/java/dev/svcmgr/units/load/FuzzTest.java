package dev.svcmgr.units.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds thousands of generated documents (random ones built from the schema, mutations of
 * valid units, and hostile ones: alias bombs, deep nesting, huge files, bad bytes) through
 * the whole loader, and checks that each comes back as units or clean one-line problems,
 * never an exception, each within a time bound. Seeded: a failure names its seed and case.
 */
class FuzzTest {
    /** Override with {@code -Dsvcmgr.fuzz.seed=N} to explore further; a failure prints the seed. */
    static final long SEED = Long.getLong("svcmgr.fuzz.seed", 0x5eed_0001L);
    /** Override with {@code -Dsvcmgr.fuzz.cases=N} for a longer run. */
    static final int CASES = Integer.getInteger("svcmgr.fuzz.cases", 3000);
    /**
     * Generous bound per document (a 1 MiB document of 60,000 keys takes a few hundred
     * milliseconds cold on a busy two-core machine; ordinary documents about a millisecond).
     */
    static final long BOUND_NANOS = 5_000_000_000L;

    @TempDir Path dir;

    private static final String[] KEYS = {
        "description", "documentation", "requires", "wants", "requisite", "binds-to", "part-of", "conflicts", "after", "before",
        "on-failure", "provides", "aliases", "conditions", "ignore-on-isolate", "install", "allow-isolate", "type", "exec",
        "exec-start-pre", "exec-start-post", "exec-reload", "exec-stop", "stop-signal", "timeout-start", "timeout-stop", "restart",
        "restart-delay", "restart-max-delay", "restart-reset-after", "start-limit", "remain-after-exit", "success-exit-status",
        "pid-file", "ready", "watchdog", "environment", "environment-file", "working-directory", "user", "group",
        "supplementary-groups", "umask", "limits", "sandbox", "log", "restat", "wanted-by", "path-exists", "env", "memory", "cpu",
        "burst", "interval", "notify", "fd", "tcp", "http", "path", "keep", "max-size", "required", "unit", "ordered", "<<", "%i",
        "\"re\\nstart\"", "\"\\u0007\"", "\"A\\tB\""};
    private static final String[] SCALARS = {
        "", "~", "null", "true", "false", "yes", "no", "on", "0", "-1", "0027", "0x1f", "1e309", "3.14", "100ms", "1min 30s",
        "infinity", "512M", "99999999999999999999G", "SIGTERM", "USR2", "12", "65", "50%", "150%", "%", "%i", "%x", "%%",
        "a.service", "b.target", "getty@tty1.service", "getty@.service", "kv-store", "../../etc/passwd", "/abs/path", "rel/path",
        "127.0.0.1:6379", "[::1]:80", "http://x/y", "'quoted'", "\"dq\"", "on-failure", "always", "sometimes", "notify",
        "oneshot", "forking", "/bin/sh -c 'echo hi'", "'unterminated", "\\", "\u00e9\u00e8", "\uD83D\uDE00", "A_B", "BAD-NAME",
        "\"a\\nb.service\"", "\"x\\u2028y\"", "\"\\u0000\""};

    @Test
    void generatedDocumentsGiveUnitsOrCleanProblemsWithinTheBound() throws IOException {
        Random rnd = new Random(SEED);
        List<String> seeds = validDocuments();
        long worst = 0;
        long total = 0;
        int bad = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] doc;
            int kind = i % 10;
            if (kind < 4) doc = randomDocument(rnd).getBytes(StandardCharsets.UTF_8);
            else if (kind < 9) doc = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8));
            else doc = hostile(rnd, i / 10);
            String type = rnd.nextInt(4) == 0 ? "target" : "service";
            String name = rnd.nextInt(5) == 0 ? "fz@." + type : "fz." + type;
            clear();
            Files.write(dir.resolve(name + ".yaml"), doc);
            if (name.contains("@")) Files.writeString(dir.resolve("ref.service.yaml"), "exec: /bin/true\nwants: [fz@one." + type + "]\n");
            if (rnd.nextInt(6) == 0) {
                Files.createDirectories(dir.resolve(name + ".d"));
                Files.write(dir.resolve(name + ".d").resolve("10-x.yaml"), mutate(rnd, seeds.get(rnd.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8)));
            }
            long t0 = System.nanoTime();
            UnitSet set;
            try {
                set = UnitLoader.load(List.of(dir));
            } catch (Throwable t) {
                throw new AssertionError("case " + i + " (seed " + SEED + ") threw " + t + " for:\n" + preview(doc), t);
            }
            long took = System.nanoTime() - t0;
            worst = Math.max(worst, took);
            total += took;
            if (took > BOUND_NANOS) fail("case " + i + " took " + took / 1_000_000 + " ms:\n" + preview(doc));
            if (!set.errors().isEmpty()) bad++;
            check(set, i, doc);
        }
        System.out.printf("fuzz: %d documents, %d with errors, mean %.2f ms, worst %.1f ms%n", CASES, bad,
                total / 1e6 / CASES, worst / 1e6);
        assertTrue(bad > CASES / 10, "the generator should produce many bad documents");
        assertTrue(bad < CASES, "and some good ones");
    }

    private void check(UnitSet set, int i, byte[] doc) {
        String where = "case " + i + " (seed " + SEED + ")";
        for (Problem p : set.problems()) {
            assertNotNull(p.message(), where);
            assertFalse(p.message().isBlank(), where);
            assertFalse(p.message().contains("\n"), where + ": multi-line message " + p.message());
            assertFalse(p.message().contains("Exception") || p.message().contains("org.yaml"), where + ": raw exception text: " + p.message());
            assertTrue(p.line() >= 0 && p.column() >= 0, where);
            assertTrue(p.format().startsWith(p.file() == null ? p.unit() : p.file()), where);
        }
        for (Unit u : set.units().values()) {
            boolean hasError = u.problems().stream().anyMatch(p -> p.severity() == Severity.ERROR);
            if (u.load() == LoadState.LOADED && u.type() == UnitType.SERVICE)
                assertNotNull(u.service(), where + ": a loaded service has its settings");
            if (u.load() == LoadState.BAD_SETTING) {
                assertTrue(hasError, where + ": a bad unit says why");
                assertEquals(null, u.service(), where);
            }
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) if (!p.equals(dir)) Files.delete(p);
        }
    }

    private static String preview(byte[] doc) {
        String s = new String(doc, 0, Math.min(doc.length, 400), StandardCharsets.UTF_8);
        return s + (doc.length > 400 ? "... (" + doc.length + " bytes)" : "");
    }

    private static List<String> validDocuments() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(RoundTripTest.SERVICE);
        out.add(RoundTripTest.TARGET);
        try (Stream<Path> s = Files.list(Path.of("../examples/units"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) out.add(Files.readString(p));
        }
        return out;
    }

    // ---- generators ---------------------------------------------------------------------------

    private static String randomDocument(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(KEYS[r.nextInt(KEYS.length)]).append(":");
            value(r, b, 0, "  ");
            b.append('\n');
        }
        return b.toString();
    }

    private static void value(Random r, StringBuilder b, int depth, String indent) {
        int k = depth > 3 ? 0 : r.nextInt(6);
        switch (k) {
            case 0, 1 -> b.append(' ').append(scalar(r));
            case 2 -> { // flow list
                b.append(" [");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(", ");
                    if (r.nextInt(5) == 0) {
                        b.append("{unit: ").append(scalar(r)).append(", ordered: ").append(scalar(r)).append('}');
                    } else if (r.nextInt(6) == 0) {
                        b.append('[').append(scalar(r)).append(", ").append(scalar(r)).append(']');
                    } else b.append(scalar(r));
                }
                b.append(']');
            }
            case 3 -> { // block list
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    b.append('\n').append(indent).append("-");
                    value(r, b, depth + 1, indent + "  ");
                }
            }
            default -> { // block map
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append('\n').append(indent).append(KEYS[r.nextInt(KEYS.length)]).append(':');
                    value(r, b, depth + 1, indent + "  ");
                }
            }
        }
    }

    private static String scalar(Random r) {
        String s = SCALARS[r.nextInt(SCALARS.length)];
        if (s.isEmpty() || s.startsWith("'") || s.startsWith("\"")) return s;
        return switch (r.nextInt(4)) {
            case 0 -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case 1 -> "'" + s.replace("'", "''") + "'";
            default -> s;
        };
    }

    private static byte[] mutate(Random r, byte[] in) {
        byte[] cur = in;
        int rounds = 1 + r.nextInt(4);
        byte[] specials = {':', '-', '[', ']', '{', '}', '&', '*', '!', '%', '\t', '\n', ' ', '"', '\'', '#', '|', '>', 0, (byte) 0xff, (byte) 0xc3};
        for (int k = 0; k < rounds; k++) {
            if (cur.length == 0) return specials;
            int pos = r.nextInt(cur.length);
            switch (r.nextInt(5)) {
                case 0 -> { // flip to a special byte
                    cur = cur.clone();
                    cur[pos] = specials[r.nextInt(specials.length)];
                }
                case 1 -> { // insert a special byte
                    byte[] out = new byte[cur.length + 1];
                    System.arraycopy(cur, 0, out, 0, pos);
                    out[pos] = specials[r.nextInt(specials.length)];
                    System.arraycopy(cur, pos, out, pos + 1, cur.length - pos);
                    cur = out;
                }
                case 2 -> { // delete a range
                    int len = Math.min(cur.length - pos, 1 + r.nextInt(20));
                    byte[] out = new byte[cur.length - len];
                    System.arraycopy(cur, 0, out, 0, pos);
                    System.arraycopy(cur, pos + len, out, pos, cur.length - pos - len);
                    cur = out;
                }
                case 3 -> { // duplicate a line (duplicate keys)
                    String s = new String(cur, StandardCharsets.UTF_8);
                    String[] lines = s.split("\n", -1);
                    int l = r.nextInt(lines.length);
                    cur = (s + "\n" + lines[l] + "\n").getBytes(StandardCharsets.UTF_8);
                }
                default -> { // replace a value with a random scalar
                    String s = new String(cur, StandardCharsets.UTF_8);
                    int c = s.indexOf(": ", r.nextInt(Math.max(1, s.length())));
                    if (c < 0) break;
                    int e = s.indexOf('\n', c);
                    if (e < 0) e = s.length();
                    cur = (s.substring(0, c + 2) + scalar(r) + s.substring(e)).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return cur;
    }

    private static byte[] hostile(Random r, int n) {
        StringBuilder b = new StringBuilder();
        switch (n % 8) {
            case 0 -> { // billion laughs
                b.append("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                for (char c = 'b'; c <= 'j'; c++) {
                    b.append(c).append(": &").append(c).append(" [");
                    for (int i = 0; i < 9; i++) b.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
                    b.append("]\n");
                }
                b.append("exec: *j\n");
            }
            case 1 -> b.append("exec: ").append("[".repeat(1000 + r.nextInt(5000))).append('\n');
            case 2 -> b.append("description: ").append("{a: ".repeat(100 + r.nextInt(100))).append('\n');
            case 3 -> { // huge: over the limit
                b.append("description: x\n");
                while (b.length() <= YamlFile.MAX_BYTES) b.append("# padding padding padding padding padding padding\n");
            }
            case 4 -> { // many keys; once just under the limit, otherwise 64 KiB (keeps the suite fast)
                long size = n == 4 ? YamlFile.MAX_BYTES - 100 : 64 * 1024;
                b.append("exec: /bin/true\nenvironment:\n");
                int i = 0;
                while (b.length() < size) b.append("  V").append(i++).append(": value\n");
            }
            case 5 -> b.append("exec: &x [*x]\n");
            case 6 -> { // many scalar aliases
                b.append("description: &d hello\nexec: [/bin/echo");
                for (int i = 0; i < 5000; i++) b.append(", *d");
                b.append("]\n");
            }
            default -> { // control bytes and bad UTF-8
                byte[] bytes = new byte[200 + r.nextInt(2000)];
                r.nextBytes(bytes);
                return bytes;
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
