package dev.svcmgr.core.log;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void aBufferedLineTouchesNoFileUntilTheFlushKeepsItsOrderAndStartsANewFileWhenTheOldIsFull() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        try (LogFile f = new LogFile(d, "q.service", 100, 2)) {
            f.appendBuffered(TS, "svcmgr", "failed: signal: KILL");
            assertFalse(Files.exists(LogFile.current(d, "q.service")), "no file made by the append");
            f.append(TS, "stdout", "after it");
            f.flush();
            assertEquals(List.of(TS + " svcmgr failed: signal: KILL", TS + " stdout after it"),
                    Files.readAllLines(LogFile.current(d, "q.service")));
        }
        // the file closed (another log object of the unit, as after a manager restart): buffered lines that would
        // take it past 100 bytes go to a new file, the old one rotated whole
        long before = Files.size(LogFile.current(d, "q.service"));
        try (LogFile f = new LogFile(d, "q.service", 100, 2)) {
            f.appendBuffered(TS, "svcmgr", "exited again");
            f.flush();
        }
        assertEquals(before, Files.size(LogFile.rotated(d, "q.service", 1)));
        assertEquals(List.of(TS + " svcmgr exited again"), Files.readAllLines(LogFile.current(d, "q.service")));
        // a second line while the first still waits goes the usual way (the file opened, rotation record by record)
        try (LogFile f = new LogFile(d, "q.service", 100, 2)) {
            f.appendBuffered(TS, "svcmgr", "one");
            f.appendBuffered(TS, "svcmgr", "two");
            f.flush();
        }
        assertEquals(List.of(TS + " svcmgr exited again", TS + " svcmgr one"), Files.readAllLines(LogFile.rotated(d, "q.service", 1)),
                "the waiting line written to the old file, which still had room for it");
        assertEquals(List.of(TS + " svcmgr two"), Files.readAllLines(LogFile.current(d, "q.service")), "the next, past 100 bytes, in a new one");
    }

    private static long openIn(Path d) throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).startsWith(d);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void atMostTheCapOfLogFilesStayOpenTheLeastRecentlyWrittenClosesAndOpensAgain() throws Exception {
        Path d = Files.createTempDirectory("svcmgr-log");
        OpenLogs.SHARED.cap(3);
        List<LogFile> logs = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                LogFile f = new LogFile(d, "s" + i + ".service", 1 << 20, 2);
                logs.add(f);
                f.append(TS, "stdout", "first " + i);
                f.flush();
                assertTrue(openIn(d) <= 3, "at most 3 log files open after " + (i + 1) + ": " + openIn(d));
            }
            assertEquals(3, openIn(d), "the 3 written last stay open");
            // the first log was closed long ago: its next record opens it again, closing another
            logs.get(0).append(TS, "stderr", "second 0");
            logs.get(0).flush();
            assertEquals(3, openIn(d));
            for (int i = 0; i < 8; i++) {
                List<String> lines = Files.readAllLines(LogFile.current(d, "s" + i + ".service"));
                assertEquals(TS + " stdout first " + i, lines.get(0));
                if (i == 0) assertEquals(List.of(TS + " stdout first 0", TS + " stderr second 0"), lines);
            }
        } finally {
            for (LogFile f : logs) f.close();
            OpenLogs.SHARED.cap(0);
        }
        assertEquals(0, openIn(d));
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
    void tailWhileTheFilesRotateUnderItNeverFails() throws Exception {
        // `svcmgr logs` during a flood: files are renamed between the reader's listing and its
        // open (the CI failure of 2026-12-02: "cannot read .../flood.service.log"). The reader
        // takes the read again: it never fails, never comes back empty, and its lines are the
        // newest ones in order.
        Path d = Files.createTempDirectory("svcmgr-log");
        try (LogFile f = new LogFile(d, "r.service", 64 * 1024, 3)) {
            f.append(TS, "stdout", String.format("line %06d", 0));
            f.flush();
            int total = 300_000;
            Thread writer = new Thread(() -> {
                for (int i = 1; i < total; i++) {
                    f.append(TS, "stdout", String.format("line %06d", i));
                    if (i % 8 == 0) f.flush();
                }
            });
            writer.start();
            int reads = 0;
            long rotationsSeen = 0;
            while (writer.isAlive()) {
                List<String> t = LogReader.tail(d, "r.service", 3);
                assertFalse(t.isEmpty(), "a tail while rotating found nothing");
                int prev = -1;
                for (String l : t) {
                    assertTrue(l.matches(Pattern.quote(TS) + " stdout line \\d{6}"), "whole record: " + l);
                    int n = Integer.parseInt(l.substring(l.length() - 6));
                    assertTrue(prev < 0 || n == prev + 1, "consecutive: " + t);
                    prev = n;
                }
                if (Files.exists(LogFile.rotated(d, "r.service", 3))) rotationsSeen++;
                reads++;
            }
            writer.join();
            f.flush();
            assertTrue(rotationsSeen > 0, "the files rotated while read (" + reads + " reads)");
            assertEquals(List.of(TS + String.format(" stdout line %06d", total - 1)), LogReader.tail(d, "r.service", 1));
        }
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

    /** Records what a {@link LogFile.Listener} is told. */
    static final class Heard implements LogFile.Listener {
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<Long> recoveries = new CopyOnWriteArrayList<>();

        @Override public void problem(String unit, String line) { problems.add(unit + ": " + line); }

        @Override public void recovered(String unit, long lost) { recoveries.add(lost); }
    }

    static final long SECOND = 1_000_000_000L;

    @Test
    void anUncreatableDirectoryLosesLinesWithoutThrowingAndResumesWithAMarker() throws Exception {
        Path tmp = Files.createTempDirectory("svcmgr-log");
        Path blocker = Files.writeString(tmp.resolve("file"), "a regular file, so file/sub cannot be made, even by root");
        Path d = blocker.resolve("sub");
        AtomicLong clock = new AtomicLong(5 * SECOND);
        Heard heard = new Heard();
        try (LogFile f = new LogFile(d, "a.service", 1 << 20, 2, null, clock::get)) {
            f.setListener(heard);
            for (int i = 0; i < 100; i++) {
                f.append(TS, "stdout", "lost " + i);
                if (i % 10 == 9) f.flush();
            }
            assertEquals(100, f.lostLines());
            String p = f.problem();
            assertTrue(p != null && p.startsWith("cannot write " + LogFile.current(d, "a.service") + ": "), p);
            assertTrue(p.endsWith("Not a directory"), p);
            assertEquals(List.of("a.service: " + p), heard.problems);

            // within a second of the last attempt the disk is not tried again
            Files.delete(blocker);
            Files.createDirectory(blocker);
            clock.addAndGet(SECOND / 2);
            f.append(TS, "stdout", "lost 100");
            f.flush();
            assertEquals(101, f.lostLines());
            assertFalse(Files.exists(d));

            clock.addAndGet(SECOND);
            for (int i = 0; i < 3; i++) f.append(TS, "stdout", "kept " + i);
            f.flush();
            assertNull(f.problem());
            assertEquals(101, f.lostLines());
            assertEquals(List.of(101L), heard.recoveries);
            assertEquals(1, heard.problems.size());
        }
        assertEquals(List.of(TS + " svcmgr 101 lines lost (Not a directory)",
                        TS + " stdout kept 0", TS + " stdout kept 1", TS + " stdout kept 2"),
                Files.readAllLines(LogFile.current(d, "a.service")));
    }

    @Test
    void aFullDiskLeavesOnlyWholeRecordsNeverTwiceAndResumesWhenSpaceIsFreed() throws Exception {
        Path mnt = Files.createTempDirectory("svcmgr-logfull");
        Assumptions.assumeTrue(mountSmallTmpfs(mnt), () -> {
            String why = "skipped: cannot mount a 64 KiB tmpfs on " + mnt + " (needs root and permission to mount)";
            System.out.println(why);
            return why;
        });
        try {
            Path filler = Files.write(mnt.resolve("filler"), new byte[16 * 1024]);
            Path d = mnt.resolve("log");
            AtomicLong clock = new AtomicLong(0);
            Heard heard = new Heard();
            Pattern record = Pattern.compile(Pattern.quote(TS) + " stdout (?:before \\d{6} x{0,36}|after \\d{6})");
            try (LogFile f = new LogFile(d, "full.service", 1 << 20, 2, null, clock::get)) {
                f.setListener(heard);
                // records of varied length flushed in batches of varied size, so writes end mid-page;
                // the clock stands still, so once full no retry runs (a retry could fit in the last page)
                for (int n = 0; n < 3000; n++) {
                    f.append(TS, "stdout", String.format("before %06d ", n) + "x".repeat(n % 37));
                    if (n % 7 == 3) f.flush();
                }
                f.flush();
                long lost = f.lostLines();
                assertTrue(lost > 0, "nothing lost: the 64 KiB file system did not fill up");
                assertTrue(f.problem() != null && f.problem().endsWith("No space left on device"), f.problem());
                assertEquals(1, heard.problems.size(), heard.problems.toString());
                checkWholeOnceInOrder(Files.readAllLines(LogFile.current(d, "full.service")), record);

                Files.delete(filler);
                clock.addAndGet(2 * SECOND);
                for (int i = 0; i < 20; i++) f.append(TS, "stdout", String.format("after %06d", i));
                f.flush();
                assertNull(f.problem());
                assertEquals(lost, f.lostLines());
                assertEquals(List.of(lost), heard.recoveries);
            }
            List<String> lines = Files.readAllLines(LogFile.current(d, "full.service"));
            int marker = lines.indexOf(TS + " svcmgr " + heard.recoveries.get(0) + " lines lost (No space left on device)");
            assertEquals(lines.size() - 21, marker, lines.subList(Math.max(0, lines.size() - 25), lines.size()).toString());
            for (int i = 0; i < 20; i++) assertEquals(TS + " stdout " + String.format("after %06d", i), lines.get(marker + 1 + i));
            List<String> without = new ArrayList<>(lines);
            without.remove(marker);
            checkWholeOnceInOrder(without, record);
        } finally {
            run("umount", mnt.toString());
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void aProblemLineGivesTheOperatingSystemsReasonWithoutRepeatingThePath() {
        assertEquals("Too many open files",
                LogFile.reason(new java.io.FileNotFoundException("/var/log/svcmgr/a.service.log (Too many open files)")));
        assertEquals("Permission denied", LogFile.reason(new java.nio.file.AccessDeniedException("/var/log/svcmgr")));
        assertEquals("No space left on device", LogFile.reason(new IOException("No space left on device")));
        assertEquals("Not a directory", LogFile.reason(new java.nio.file.FileSystemException("/a/b", null, "Not a directory")));
    }

    /** Every line a whole record of the expected format, no line twice, numbers rising. */
    private static void checkWholeOnceInOrder(List<String> lines, Pattern record) {
        Set<String> seen = new HashSet<>();
        Pattern num = Pattern.compile("(before|after) (\\d{6})");
        String last = "";
        for (String l : lines) {
            assertTrue(record.matcher(l).matches(), "not a whole record: " + l);
            assertTrue(seen.add(l), "written twice: " + l);
            Matcher m = num.matcher(l);
            assertTrue(m.find());
            String key = (m.group(1).equals("before") ? "0" : "1") + m.group(2);
            assertTrue(key.compareTo(last) > 0, "out of order: " + l);
            last = key;
        }
    }

    private static boolean mountSmallTmpfs(Path at) {
        try {
            return run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", at.toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
