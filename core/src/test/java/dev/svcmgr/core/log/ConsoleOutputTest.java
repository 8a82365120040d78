package dev.svcmgr.core.log;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleOutputTest {
    /** A stdout nobody reads: every write blocks until released. */
    private static final class Blocked extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (got) {
                got.write(b, off, len);
            }
        }

        String text() {
            synchronized (got) {
                return got.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    @DisplayName("lines are written whole as unit[pid]: line, and unit: line when there is no main PID")
    void linesAreHeadedByUnitAndPid() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ConsoleOutput c = new ConsoleOutput(out, out, 1024)) {
            byte[] x = b("..hello..");
            c.line("a.service", 42, x, 2, 5);
            c.line("b.service", 0, b("bye"), 0, 3);
        }
        assertEquals("a.service[42]: hello\nb.service: bye\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a stdout that blocks never blocks the caller: lines beyond the bound are dropped, counted and reported")
    void aBlockedStdoutDropsAndCounts() throws Exception {
        Blocked out = new Blocked();
        ConsoleOutput c = new ConsoleOutput(out, null, 100);
        c.line("a.service", 7, b("first"), 0, 5);
        assertTrue(out.entered.await(10, TimeUnit.SECONDS), "the writer never wrote");
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) c.line("a.service", 7, b("line " + i), 0, b("line " + i).length);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 5_000, "10,000 lines took " + ms + " ms against a blocked stdout");
        long dropped = c.dropped();
        assertTrue(dropped > 9_000, "dropped " + dropped);
        out.release.countDown();
        c.close(10_000);
        String text = out.text();
        assertTrue(text.startsWith("a.service[7]: first\n"), text);
        assertTrue(text.contains("svcmgr: " + dropped + " lines of service output dropped (stdout did not keep up)\n"), text);
        for (String l : text.split("\n")) {
            assertTrue(l.matches("a\\.service\\[7\\]: (first|line \\d+)|svcmgr: \\d+ lines of service output dropped .*"), l);
        }
        assertEquals(10_001 - dropped, text.lines().filter(l -> l.startsWith("a.service")).count(), text);
    }

    @Test
    @DisplayName("the daemon's own lines go through the same queue, whole, in order with the services' lines; flush waits for them")
    void daemonLinesShareTheQueue() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleOutput c = new ConsoleOutput(out, out, 1024);
        java.io.PrintStream own = c.printStream();
        own.print("[  OK  ] Started ");
        c.line("a.service", 3, b("hello"), 0, 5);
        own.println("a.service");
        c.flush(5000);
        assertEquals("a.service[3]: hello\n[  OK  ] Started a.service\n", out.toString(StandardCharsets.UTF_8));
        c.close();
    }

    @Test
    @DisplayName("the writer thread starts with the first line and ends when idle; the next line starts another")
    void theWriterThreadExistsOnlyWhileLinesFlow() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleOutput c = new ConsoleOutput(out, out, 1024, "daemon output");
        assertFalse(writerAlive(), "no thread before the first line");
        java.io.PrintStream p = c.printStream();
        p.println("[  OK  ] Started a.service");
        c.flush(10_000);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("svcmgr-console")) t.join(TimeUnit.SECONDS.toMillis(20)); // it ends 3 s after its last line
        }
        assertFalse(writerAlive(), "the idle writer ended");
        p.println("[  OK  ] Started b.service");
        p.print("[  OK  ] Started c.service\n[  OK  ] Started d.service\n[  OK  ] St");
        p.print("arted e.service\n");
        c.close(10_000);
        synchronized (out) {
            assertEquals("[  OK  ] Started a.service\n[  OK  ] Started b.service\n[  OK  ] Started c.service\n"
                    + "[  OK  ] Started d.service\n[  OK  ] Started e.service\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    private static boolean writerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("svcmgr-console") && t.isAlive());
    }
}
