package dev.svcmgr.core.log;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogReaderSpanTest {
    @TempDir
    Path dir;

    private static String rec(int minute, String text) {
        return String.format("2026-12-02T10:%02d:00.000Z stdout %s", minute, text);
    }

    private static Instant at(int minute) { return Instant.parse(String.format("2026-12-02T10:%02d:00Z", minute)); }

    /** Minutes 0..9 in .log.2 (0-3), .log.1 (4-6) and .log (7-9). */
    private void write() throws Exception {
        Files.write(LogFile.rotated(dir, "a.service", 2), List.of(rec(0, "m0"), rec(1, "m1"), rec(2, "m2"), rec(3, "m3")));
        Files.write(LogFile.rotated(dir, "a.service", 1), List.of(rec(4, "m4"), "no time here", rec(5, "m5"), rec(6, "m6")));
        Files.write(LogFile.current(dir, "a.service"), List.of(rec(7, "m7"), rec(8, "m8"), rec(9, "m9")));
    }

    private List<String> texts(int n, Instant from, Instant to) {
        return LogReader.tail(dir, "a.service", n, from, to).stream().map(LogRecords::text).toList();
    }

    @Test
    @DisplayName("the last n records of a span, across rotated files, oldest first; n < 0 is every one; a line without time only without a span")
    void spans() throws Exception {
        write();
        assertEquals(List.of("m3", "m4", "m5"), texts(-1, at(3), at(5)));
        assertEquals(List.of("m4", "m5"), texts(2, at(3), at(5)));
        assertEquals(List.of("m8", "m9"), texts(-1, at(8), null));
        assertEquals(List.of("m0", "m1"), texts(-1, null, at(1)));
        assertEquals(List.of("m1"), texts(1, null, at(1)));
        assertEquals(List.of(), texts(-1, at(11), null));
        assertEquals(List.of("m8", "m9"), texts(2, null, null));
        assertEquals(11, texts(-1, null, null).size());
        assertEquals(List.of("m6", "m7"), texts(-1, at(6), at(7)));
        assertEquals(List.of("m4", "no time here", "m5"), texts(-1, null, null).subList(4, 7));
    }

    @Test
    @DisplayName("records split into time, stream and text; other lines have neither time nor stream")
    void records() {
        assertEquals(at(7), LogRecords.time(rec(7, "x y")));
        assertEquals("stdout", LogRecords.stream(rec(7, "x y")));
        assertEquals("x y", LogRecords.text(rec(7, "x y")));
        assertEquals(null, LogRecords.time("hello world"));
        assertEquals(null, LogRecords.stream("hello world"));
        assertEquals("hello world", LogRecords.text("hello world"));
        assertEquals("", LogRecords.text("2026-12-02T10:00:00.000Z stdout "));
    }
}
