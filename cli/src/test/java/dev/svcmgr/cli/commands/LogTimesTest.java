package dev.svcmgr.cli.commands;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogTimesTest {
    /** 2026-12-02 10:30:15 in Berlin (UTC+1). */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 2, 10, 30, 15, 0, ZoneId.of("Europe/Berlin"));

    private static Instant at(String t) { return LogTimes.parse(t, NOW); }

    @Test
    @DisplayName("an ISO time with an offset is that instant")
    void isoWithOffset() {
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), at("2026-12-01T08:00:00Z"));
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), at("2026-12-01T10:00+02:00"));
        assertEquals(Instant.parse("2026-12-01T08:00:00.250Z"), at("2026-12-01T08:00:00.250Z"));
    }

    @Test
    @DisplayName("an ISO time without an offset is local time; a date alone its midnight; a space may stand for T")
    void localTime() {
        assertEquals(Instant.parse("2026-12-01T07:00:00Z"), at("2026-12-01T08:00"));
        assertEquals(Instant.parse("2026-12-01T07:00:05Z"), at("2026-12-01 08:00:05"));
        assertEquals(Instant.parse("2026-11-30T23:00:00Z"), at("2026-12-01"));
        // summer time: the offset of that day, not of now
        assertEquals(Instant.parse("2026-07-01T06:00:00Z"), at("2026-07-01T08:00"));
    }

    @Test
    @DisplayName("today and yesterday are local midnights, now is now, N min ago and N h ago count back")
    void words() {
        assertEquals(Instant.parse("2026-12-01T23:00:00Z"), at("today"));
        assertEquals(Instant.parse("2026-11-30T23:00:00Z"), at("yesterday"));
        assertEquals(NOW.toInstant(), at("now"));
        assertEquals(NOW.toInstant().minusSeconds(5 * 60), at("5 min ago"));
        assertEquals(NOW.toInstant().minusSeconds(2 * 3600), at("2 h ago"));
        assertEquals(NOW.toInstant().minusSeconds(2 * 3600), at(" 2h ago "));
        assertEquals(NOW.toInstant().minusSeconds(90 * 60), at("90 MIN AGO"));
    }

    @Test
    @DisplayName("anything else is one line saying what is accepted")
    void errors() {
        for (String bad : new String[] {"", "tomorrow", "5 days ago", "-5 min ago", "2026-13-01", "2026-12-01T25:00", "min ago", "12:00"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> at(bad), bad);
            assertEquals("cannot read '" + bad + "' as a time: " + LogTimes.EXPECTED, e.getMessage());
        }
    }
}
