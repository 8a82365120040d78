package dev.svcmgr.core.log;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The parts of a log record as {@link LogFile} writes it, {@code <time> <stream> <text>}
 * ({@code 2026-11-25T05:44:03.123Z stdout hello}); a line that does not have that shape (written
 * by something else) has no time and no stream, and its text is the whole line.
 */
public final class LogRecords {
    private LogRecords() {}

    /** When {@code record} was written, or null when it does not start with a time. */
    public static Instant time(String record) {
        int sp = record.indexOf(' ');
        if (sp < 20 || sp > 40 || record.charAt(4) != '-') return null;
        try {
            return Instant.parse(record.substring(0, sp));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The stream ({@code stdout}, {@code stderr}, {@code output}, {@code svcmgr}), or null. */
    public static String stream(String record) {
        if (time(record) == null) return null;
        int a = record.indexOf(' ');
        int b = record.indexOf(' ', a + 1);
        return b < 0 ? record.substring(a + 1) : record.substring(a + 1, b);
    }

    /** What the service wrote, without the time and stream. */
    public static String text(String record) {
        if (time(record) == null) return record;
        int a = record.indexOf(' ');
        int b = record.indexOf(' ', a + 1);
        return b < 0 ? "" : record.substring(b + 1);
    }

    /** True when {@code record} was written in {@code [from, to]} (null: open); with a span, a line without time is not. */
    public static boolean within(String record, Instant from, Instant to) {
        if (from == null && to == null) return true;
        Instant t = time(record);
        if (t == null) return false;
        return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
    }
}
