package dev.svcmgr.cli.commands;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times {@code logs --since} and {@code --until} take (cli.md "More commands"): an ISO time with
 * an offset ({@code 2026-12-02T10:00:00Z}, {@code 2026-12-02T11:00+01:00}) or without one, then local
 * time ({@code 2026-12-02T10:00}, {@code 2026-12-02 10:00:00}, {@code 2026-12-02}: its midnight);
 * {@code now}, {@code today} and {@code yesterday} (local midnight); {@code N min ago} and {@code N h
 * ago}. A pure function of the text and the moment and zone it is read in.
 */
final class LogTimes {
    private LogTimes() {}

    /** What the message of a time that cannot be read says is accepted. */
    static final String EXPECTED = "expected an ISO time (2026-12-02T10:00:00Z; local time without an offset),"
            + " today, yesterday, now, 'N min ago' or 'N h ago'";

    private static final Pattern AGO = Pattern.compile("(\\d{1,9})\\s*(min|h)\\s+ago");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:.*)");

    /**
     * The instant {@code text} means, read at {@code now} (whose zone is local time).
     *
     * @throws IllegalArgumentException with one line saying what is accepted
     */
    static Instant parse(String text, ZonedDateTime now) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "now":
                return now.toInstant();
            case "today":
                return now.toLocalDate().atStartOfDay(now.getZone()).toInstant();
            case "yesterday":
                return now.toLocalDate().minusDays(1).atStartOfDay(now.getZone()).toInstant();
            default:
                break;
        }
        Matcher ago = AGO.matcher(t);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            return now.toInstant().minusSeconds(ago.group(2).equals("h") ? n * 3600 : n * 60);
        }
        String iso = text.strip();
        Matcher sp = DATE_SPACE_TIME.matcher(iso);
        if (sp.matches()) iso = sp.group(1) + "T" + sp.group(2);
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: local time below
        }
        try {
            return LocalDateTime.parse(iso).atZone(now.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            // a date alone below
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(now.getZone()).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("cannot read '" + text + "' as a time: " + EXPECTED);
        }
    }
}
