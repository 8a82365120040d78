package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output FIFOs made ahead on their own thread, on real files: the order that keeps them apart from a shared FIFO, what output() then does with them, cancel. */
class FifosAheadTest {
    static ProcessRuntime os;
    @TempDir Path tmp;

    @BeforeAll
    static void up() { os = ProcessRuntime.linux("svcmgr-aheadtest-" + ProcessHandle.current().pid(), true); }

    @AfterAll
    static void down() { os.close(); }

    private static void poll(BooleanSupplier c, String what) throws InterruptedException { ProcessRuntimeTest.poll(c, what); }

    /** Queues a marker service after everything else and waits until it is made: what was queued before it is done. */
    /** A new directory and the FIFOs of {@code services} services s0, s1, ... queued in it. */
    private static FifosAhead queued(Path dir, int services) throws java.io.IOException {
        Files.createDirectory(dir);
        FifosAhead a = new FifosAhead();
        for (int i = 0; i < services; i++) a.add(dir.resolve("s" + i + ".stderr").toString(), dir.resolve("s" + i + ".stdout").toString());
        return a;
    }

    private static void awaitMarker(FifosAhead a, Path dir) throws InterruptedException {
        a.add(dir.resolve("marker.stderr").toString(), dir.resolve("marker.stdout").toString());
        poll(() -> Files.exists(dir.resolve("marker.stdout"), LinkOption.NOFOLLOW_LINKS), "the marker made");
    }

    private static boolean isFifo(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    @DisplayName("made ahead: 0600 FIFOs, never a .stdout without its .stderr; output() reuses them, unshared, each stream to its own")
    void fifosMadeAheadAreUsedAsTheirOwn() throws Exception {
        Path dir = tmp.resolve("fifo");
        int n = 300;
        for (int i = 0; i < n; i++) os.prepareOutput(dir, "u" + i + ".service");
        // while they are being made, look: a .stdout alone would be taken for a former manager's shared FIFO
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            assertTrue(System.nanoTime() < end, "all " + 2 * n + " FIFOs made within 10 s: " + names(dir).size());
            List<String> seen = names(dir);
            for (String f : seen) {
                if (f.endsWith(".stdout")) {
                    String err = f.substring(0, f.length() - ".stdout".length()) + ".stderr";
                    assertTrue(seen.contains(err) || Files.exists(dir.resolve(err), LinkOption.NOFOLLOW_LINKS), f + " without " + err);
                }
            }
            if (seen.size() == 2 * n) break;
        }
        for (String f : names(dir)) {
            Path p = dir.resolve(f);
            assertTrue(isFifo(p), p + " is a FIFO");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        }
        Path out = dir.resolve("u7.service.stdout");
        Object made = Files.readAttributes(out, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        Map<Integer, StringBuilder> got = new ConcurrentHashMap<>();
        OutputListener l = new OutputListener() {
            @Override
            public void data(int stream, byte[] buf, int len) {
                got.computeIfAbsent(stream, k -> new StringBuilder()).append(new String(buf, 0, len));
            }

            @Override
            public void closed(int stream) { }
        };
        try (OutputChannel c = os.output(dir, "u7.service", l)) {
            assertFalse(c.shared(), "two FIFOs, not one shared");
            assertEquals(made, Files.readAttributes(out, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey(), "the FIFO made ahead, reused");
            Map<Integer, ExitStatus> exits = new ConcurrentHashMap<>();
            int pid = os.spawn(SpawnRequest.of(List.of("/bin/sh", "-c", "echo to-out; echo to-err >&2"), ProcessRuntimeContract.ENV, null),
                    exits::put, c);
            poll(() -> exits.containsKey(pid), "the process's exit");
            poll(() -> got.getOrDefault(1, new StringBuilder()).toString().contains("to-out")
                    && got.getOrDefault(2, new StringBuilder()).toString().contains("to-err"), "each line on its own stream: " + got);
            assertFalse(got.get(1).toString().contains("to-err"), got.toString());
        }
    }

    @Test
    @DisplayName("cancel: nothing still queued is made afterwards, and the FIFO being made is done when it returns")
    void cancelLeavesNothingToCome() throws Exception {
        Path dir = tmp.resolve("c");
        FifosAhead a = queued(dir, 2000);
        a.cancel();
        int afterCancel = names(dir).size();
        assertEquals(0, a.queued());
        // a marker queued after the cancel is made after anything queued before it would have been
        awaitMarker(a, dir);
        assertEquals(afterCancel + 2, names(dir).size(), "nothing of the cancelled queue made after cancel returned");
        assertTrue(afterCancel < 4000, "cancelled before the whole queue was made (" + afterCancel + " made)");
    }

    @Test
    @DisplayName("claim: a service's queued FIFOs are never made afterwards; it names exactly those made here")
    void claimTakesAServiceOutOfTheQueue() throws Exception {
        Path dir = tmp.resolve("k");
        FifosAhead a = queued(dir, 500);
        String lastErr = dir.resolve("s499.stderr").toString(), lastOut = dir.resolve("s499.stdout").toString();
        int claimed = a.claim(lastErr, lastOut);
        boolean madeAlready = Files.exists(Path.of(lastErr), LinkOption.NOFOLLOW_LINKS); // nothing made after the claim
        assertEquals(madeAlready, (claimed & FifosAhead.STDERR) != 0, "STDERR exactly when this thread had made it");
        boolean after = Files.exists(Path.of(lastOut), LinkOption.NOFOLLOW_LINKS);
        assertEquals(after, (claimed & FifosAhead.STDOUT) != 0, "STDOUT exactly when this thread had made it");
        awaitMarker(a, dir);
        assertEquals(after, Files.exists(Path.of(lastOut), LinkOption.NOFOLLOW_LINKS), "nothing of the claimed service made after the claim");
        assertEquals(998 + (after ? 1 : 0) + (madeAlready ? 1 : 0) + 2, names(dir).size(), "every other FIFO made: " + names(dir).size());
        assertEquals(FifosAhead.STDERR | FifosAhead.STDOUT, a.claim(dir.resolve("s0.stderr").toString(), dir.resolve("s0.stdout").toString()),
                "both of s0's FIFOs were made here");
        assertEquals(0, a.claim(dir.resolve("s0.stderr").toString(), dir.resolve("s0.stdout").toString()), "once only");
    }
}
