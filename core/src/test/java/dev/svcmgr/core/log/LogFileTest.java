package dev.svcmgr.core.log;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileTest {
    static final String TS = "2026-11-25T05:44:03.123Z";

    @Test
    void rotationKeepsTheNewestFilesAndNeverSplitsARecord() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        try (LogFile f = new LogFile(d, "a.service", 1000, 3)) {
            for (int i = 0; i < 200; i++) f.append(TS, "stdout", String.format("line %05d", i));
        }
        assertTrue(Files.exists(LogFile.rotated(d, "a.service", 3)));
        assertFalse(Files.exists(LogFile.rotated(d, "a.service", 4)));
        List<String> all = new ArrayList<>();
        for (int i = 3; i >= 1; i--) all.addAll(Files.readAllLines(LogFile.rotated(d, "a.service", i)));
        all.addAll(Files.readAllLines(LogFile.current(d, "a.service")));
        for (int i = 1; i <= 3; i++) assertTrue(Files.size(LogFile.rotated(d, "a.service", i)) <= 1000);
        // consecutive numbers up to the last one written; each a whole record
        int last = 199;
        for (int i = all.size() - 1; i >= 0; i--, last--) {
            assertEquals(TS + " stdout " + String.format("line %05d", last), all.get(i));
        }
    }

    @Test
    void tailReadsAcrossRotatedFilesInOrder() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        try (LogFile f = new LogFile(d, "b.service", 500, 10)) {
            for (int i = 0; i < 100; i++) f.append(TS, "stderr", "n" + i);
        }
        List<String> t = LogReader.tail(d, "b.service", 30);
        assertEquals(30, t.size());
        for (int i = 0; i < 30; i++) assertEquals(TS + " stderr n" + (70 + i), t.get(i));
        assertEquals(100, LogReader.tail(d, "b.service", 1000).size());
        assertEquals(List.of(), LogReader.tail(d, "none.service", 10));
    }

    @Test
    void followSeesEveryNewRecordAcrossRotations() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        List<String> got = new CopyOnWriteArrayList<>();
        try (LogFile f = new LogFile(d, "c.service", 300, 50)) {
            f.append(TS, "stdout", "old");
            f.flush();
            try (LogReader.Follow fo = LogReader.follow(d, "c.service", 1, got::add)) {
                long end = System.nanoTime() + 20_000_000_000L;
                for (int i = 0; i < 100; i++) {
                    f.append(TS, "stdout", "new" + i);
                    f.flush();
                    // every ten records (more than one rotation at 300 bytes) let the follower catch up,
                    // so a loaded machine tests following rotations, not the reader's scheduling
                    if (i % 10 == 9) {
                        int want = i + 2;
                        while (got.size() < want && System.nanoTime() < end) Thread.sleep(5);
                    }
                }
                while (got.size() < 101 && System.nanoTime() < end) Thread.sleep(5);
            }
        }
        assertEquals(101, got.size(), got.toString());
        assertEquals(TS + " stdout old", got.get(0));
        for (int i = 0; i < 100; i++) assertEquals(TS + " stdout new" + i, got.get(i + 1));
    }

    @Test
    void aSinkCutsLinesAndFlushesThePartialLastLineAtClose() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        boolean[] closed = {false};
        try (LogFile f = new LogFile(d, "s.service", 1 << 20, 2)) {
            LogSink s = new LogSink(f, () -> closed[0] = true);
            byte[] a = "one\ntw".getBytes();
            s.data(1, a, a.length);
            byte[] b = "o\nthree".getBytes();
            s.data(1, b, b.length);
            byte[] e = "err\n".getBytes();
            s.data(2, e, e.length);
            s.closed(1);
            assertFalse(closed[0]);
            s.closed(2);
            assertTrue(closed[0]);
        }
        List<String> l = LogReader.tail(d, "s.service", 10).stream().map(x -> x.substring(25)).toList();
        assertEquals(List.of("stdout one", "stdout two", "stderr err", "stdout three"), l);
    }
}
