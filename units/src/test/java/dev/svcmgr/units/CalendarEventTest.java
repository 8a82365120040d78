package dev.svcmgr.units;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarEventTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Tuesday. */
    private static final Instant T0 = Instant.parse("2026-03-10T10:17:23Z");

    private static CalendarEvent event(String text) {
        try {
            return CalendarEvent.parse(text);
        } catch (CalendarEvent.ParseException e) {
            throw new AssertionError("'" + text + "' did not parse: " + e.getMessage() + " at column " + e.column());
        }
    }

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    // ---- normalized forms

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // the shorthands
        "minutely                    | *-*-* *:*:00",
        "hourly                      | *-*-* *:00:00",
        "daily                       | *-*-* 00:00:00",
        "weekly                      | Mon *-*-* 00:00:00",
        "monthly                     | *-*-01 00:00:00",
        "yearly                      | *-01-01 00:00:00",
        "annually                    | *-01-01 00:00:00",
        "quarterly                   | *-01,04,07,10-01 00:00:00",
        "semiannually                | *-01,07-01 00:00:00",
        "DAILY                       | *-*-* 00:00:00",
        "daily UTC                   | *-*-* 00:00:00 UTC",
        // the brief's examples
        "Mon..Fri *-*-* 03:00:00     | Mon..Fri *-*-* 03:00:00",
        "Mon..Fri 03:00              | Mon..Fri *-*-* 03:00:00",
        "Sat,Sun                     | Sat,Sun *-*-* 00:00:00",
        "Mon,Tue,Wed                 | Mon..Wed *-*-* 00:00:00",
        "*:0/15                      | *-*-* *:00/15:00",
        "2027-1-5 8:3                | 2027-01-05 08:03:00",
        "03:00 UTC                   | *-*-* 03:00:00 UTC",
        "*-*-1,15 12:00              | *-*-01,15 12:00:00",
        // systemd.time(7)'s examples within the subset
        "Sat,Thu,Mon..Wed,Sat..Sun   | Mon..Thu,Sat,Sun *-*-* 00:00:00",
        "Mon,Sun 12-*-* 2,1:23       | Mon,Sun 2012-*-* 01,02:23:00",
        "Wed *-1                     | Wed *-*-01 00:00:00",
        "Wed..Wed,Wed *-1            | Wed *-*-01 00:00:00",
        "Wed, 17:48                  | Wed *-*-* 17:48:00",
        "Wed..Sat,Tue 12-10-15 1:2:3 | Tue..Sat 2012-10-15 01:02:03",
        "*-*-7 0:0:0                 | *-*-07 00:00:00",
        "10-15                       | *-10-15 00:00:00",
        "monday *-12-* 17:00         | Mon *-12-* 17:00:00",
        "Mon,Fri *-*-3,1,2 *:30:45   | Mon,Fri *-*-01,02,03 *:30:45",
        "12,14,13,12:20,10,30        | *-*-* 12,13,14:10,20,30:00",
        "12..14:10,20,30             | *-*-* 12..14:10,20,30:00",
        "mon,fri *-1/2-1,3 *:30:45   | Mon,Fri *-01/2-01,03 *:30:45",
        "03-05 08:05:40              | *-03-05 08:05:40",
        "2003-03-05 05:40            | 2003-03-05 05:40:00",
        "2003-02..04-05              | 2003-02..04-05 00:00:00",
        "2003-03-05 05:40 UTC        | 2003-03-05 05:40:00 UTC",
        "*:2/3                       | *-*-* *:02/3:00",
        // the rest of the grammar
        "Monday,Wednesday            | Mon,Wed *-*-* 00:00:00",
        "Mon-Fri                     | Mon..Fri *-*-* 00:00:00",
        "Mon,Wed..Fri                | Mon,Wed..Fri *-*-* 00:00:00",
        "Mon..Sun 12:00              | *-*-* 12:00:00",
        "8..18:00                    | *-*-* 08..18:00:00",
        "8..18/4:00                  | *-*-* 08..16/4:00:00",
        "0..10/20:00                 | *-*-* 00:00:00",
        "*:5..5                      | *-*-* *:05:00",
        "*-*/3-1                     | *-01/3-01 00:00:00",
        "*:*/20                      | *-*-* *:00/20:00",
        "*-*-* *:*:*                 | *-*-* *:*:*",
        "*-*-* *:*:30                | *-*-* *:*:30",
        "15,1,15:00                  | *-*-* 01,15:00:00",
        "2026..2030-06-01            | 2026..2030-06-01 00:00:00",
        "\"  weekly  \"              | Mon *-*-* 00:00:00",
        "12:00 utc                   | *-*-* 12:00:00 UTC",
    })
    void normalizesAsSystemdAnalyzeDoes(String text, String normalized) {
        assertEquals(normalized, event(text).normalized());
    }

    @Test
    void utcFlagEqualityAndToString() {
        assertTrue(event("daily UTC").utc());
        assertFalse(event("daily").utc());
        assertEquals(event("daily"), event("*-*-* 00:00"));
        assertEquals(event("daily").hashCode(), event("*-*-* 00:00").hashCode());
        assertNotEquals(event("daily"), event("daily UTC"));
        assertEquals("Mon *-*-* 00:00:00", event("weekly").toString());
    }

    // ---- errors

    @ParameterizedTest(name = "[{0}] -> column {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Mox 12:00       | 1  | unknown day name 'Mox' (expected Mon..Sun)",
        "Mon,Tux 12:00   | 5  | unknown day name 'Tux' (expected Mon..Sun)",
        "*-13-01         | 3  | month 13 out of range 1..12",
        "2026-13-01      | 6  | month 13 out of range 1..12",
        "*-*-32          | 5  | day 32 out of range 1..31",
        "2200-01-01      | 1  | year 2200 out of range 1970..2199",
        "1900-01-01      | 1  | year 1900 out of range 1970..2199",
        "24:00           | 1  | hour 24 out of range 0..23",
        "12:60           | 4  | minute 60 out of range 0..59",
        "12:00:60        | 7  | second 60 out of range 0..59",
        "12              | 3  | expected ':' after the hour",
        "Mon 12          | 7  | expected ':' after the hour",
        "12-01 7         | 8  | expected ':' after the hour",
        "12:             | 4  | expected a minute (a number or '*'), found the end of '12:'",
        "12:00:          | 7  | expected a second (a number or '*'), found the end of '12:00:'",
        "12:00:00x       | 9  | unexpected 'x' after the seconds",
        "12:00 foo       | 7  | unexpected 'foo' (expected a date, a time or UTC)",
        "12:00:00 13:00  | 10 | unexpected '13:00' after the time (expected the end, or UTC)",
        "daily x         | 7  | unexpected 'x' after 'daily' (a shorthand stands alone, optionally followed by UTC)",
        "*-02~03         | 5  | '~' (days counted from the end of the month) is not supported",
        "\"\"            | 1  | empty calendar expression (expected e.g. 'daily' or 'Mon..Fri 03:00')",
        "\"   \"         | 1  | empty calendar expression (expected e.g. 'daily' or 'Mon..Fri 03:00')",
        "12:00:30.5      | 9  | fractional seconds are not supported",
        "1.5:00          | 2  | expected '..' for a range in the hour, found a single '.'",
        "03:00 Europe/Berlin | 7 | time zone 'Europe/Berlin' is not supported (only UTC)",
        "03:00 CET       | 7  | time zone 'CET' is not supported (only UTC)",
        "12:00 UTC UTC   | 7  | 'UTC' may appear only once, at the end",
        "UTC             | 1  | expected a calendar expression before 'UTC'",
        "@1234           | 1  | '@' timestamps are not supported (expected a calendar expression)",
        "Fri..Mon        | 1  | day range Fri..Mon runs backwards (ranges run within Mon..Sun)",
        "Mon..           | 6  | expected a day name (Mon..Sun), found the end of 'Mon..'",
        "Mon..Wed..Fri   | 9  | unexpected '.' in the day names (expected ',' after the range)",
        "Mon,,Tue        | 5  | expected a day name (Mon..Sun), found ','",
        "Mon Tue         | 5  | unexpected day name 'Tue' (day names come first, as one list like Mon,Wed..Fri)",
        "*-*-5..3        | 5  | range 5..3 runs backwards (the day range must not end before it starts)",
        "*:50/15         | 3  | repetition 50/15 never repeats (50 plus 15 is past the last minute, 59)",
        "*:*/60          | 3  | repetition */60 never repeats (0 plus 60 is past the last minute, 59)",
        "*:0/0           | 5  | repetition step 0 (expected at least 1)",
        "*:0/            | 5  | expected a repetition step (a number) after '/', found the end of '*:0/'",
        "*,5:00          | 2  | '*' cannot be part of a list in the hour",
        "2026-01-01-01   | 11 | a third '-' in the date '2026-01-01-01' (expected YYYY-MM-DD or MM-DD)",
        "2026x-01-01     | 5  | expected '-' after the year, found 'x'",
        "*-*-* 99999999999:00 | 7 | hour 99999999999 out of range 0..23",
    })
    void errorsNameTheProblemAndItsColumn(String text, int column, String message) {
        CalendarEvent.ParseException e =
                assertThrows(CalendarEvent.ParseException.class, () -> CalendarEvent.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(column, e.column());
    }

    // ---- next()

    @Test
    void eachShorthandElapsesNextFromAFixedInstant() {
        assertAll(
                () -> assertEquals(at("2026-03-10T10:18:00Z"), event("minutely").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-03-10T11:00:00Z"), event("hourly").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-03-11T00:00:00Z"), event("daily").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-03-16T00:00:00Z"), event("weekly").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-04-01T00:00:00Z"), event("monthly").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-04-01T00:00:00Z"), event("quarterly").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2026-07-01T00:00:00Z"), event("semiannually").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2027-01-01T00:00:00Z"), event("yearly").next(T0, ZoneOffset.UTC)),
                () -> assertEquals(at("2027-01-01T00:00:00Z"), event("annually").next(T0, ZoneOffset.UTC)),
                // computed in the zone given: midnight in Berlin is 23:00 UTC in winter
                () -> assertEquals(at("2026-03-10T23:00:00Z"), event("daily").next(T0, BERLIN)));
    }

    @Test
    void nextIsStrictlyAfterEvenOnAnElapse() {
        CalendarEvent hourly = event("hourly");
        assertEquals(at("2026-03-10T12:00:00Z"), hourly.next(at("2026-03-10T11:00:00Z"), ZoneOffset.UTC));
        assertEquals(at("2026-03-10T11:00:00Z"), hourly.next(at("2026-03-10T10:59:59.999Z"), ZoneOffset.UTC));
        assertEquals(at("2026-03-10T12:00:00Z"), hourly.next(at("2026-03-10T11:00:00.001Z"), ZoneOffset.UTC));
    }

    @Test
    void weekdaysSkipTheWeekend() {
        CalendarEvent workdays = event("Mon..Fri 03:00");
        // Friday 04:00 -> Monday 03:00
        assertEquals(at("2026-03-16T03:00:00Z"), workdays.next(at("2026-03-13T04:00:00Z"), ZoneOffset.UTC));
        Instant t = T0;
        for (int i = 0; i < 20; i++) {
            t = workdays.next(t, ZoneOffset.UTC);
            DayOfWeek day = t.atZone(ZoneOffset.UTC).getDayOfWeek();
            assertNotEquals(DayOfWeek.SATURDAY, day);
            assertNotEquals(DayOfWeek.SUNDAY, day);
        }
        assertEquals(at("2026-04-07T03:00:00Z"), t); // 20 workdays after Tue 2026-03-10
    }

    @Test
    void weekdayAndDateMustBothMatch() {
        CalendarEvent friday13 = event("Fri *-*-13");
        Instant t = at("2026-01-01T00:00:00Z");
        assertEquals(at("2026-02-13T00:00:00Z"), t = friday13.next(t, ZoneOffset.UTC));
        assertEquals(at("2026-03-13T00:00:00Z"), t = friday13.next(t, ZoneOffset.UTC));
        assertEquals(at("2026-11-13T00:00:00Z"), friday13.next(t, ZoneOffset.UTC));
    }

    @Test
    void leapDayFindsTheNextLeapYear() {
        CalendarEvent leap = event("*-02-29");
        assertEquals(at("2028-02-29T00:00:00Z"), leap.next(T0, ZoneOffset.UTC));
        assertEquals(at("2032-02-29T00:00:00Z"), leap.next(at("2028-02-29T00:00:00Z"), ZoneOffset.UTC));
        // 2100 is not a leap year
        assertEquals(at("2104-02-29T00:00:00Z"), leap.next(at("2096-03-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void everyQuarterHourGivesFourAnHour() {
        CalendarEvent quarter = event("*:0/15");
        List<Instant> elapses = new ArrayList<>();
        Instant t = at("2026-03-10T10:59:59Z");
        while ((t = quarter.next(t, ZoneOffset.UTC)).isBefore(at("2026-03-10T12:00:00Z"))) elapses.add(t);
        assertEquals(List.of(at("2026-03-10T11:00:00Z"), at("2026-03-10T11:15:00Z"), at("2026-03-10T11:30:00Z"),
                at("2026-03-10T11:45:00Z")), elapses);
    }

    @Test
    void eventsThatCannotElapseAgainGiveNull() {
        assertNull(event("2000..2010-*-* 00:00").next(T0, ZoneOffset.UTC));
        assertNull(event("2020-01-01").next(T0, ZoneOffset.UTC));
        assertNull(event("*-02-30").next(T0, ZoneOffset.UTC));
        assertNull(event("daily").next(at("2199-12-31T00:00:00Z"), ZoneOffset.UTC));
        assertNull(event("daily").next(Instant.MAX, ZoneOffset.UTC));
        assertEquals(at("2199-12-31T00:00:00Z"), event("daily").next(at("2199-12-30T12:00:00Z"), ZoneOffset.UTC));
        assertEquals(at("1970-01-01T00:00:00Z"), event("daily").next(Instant.MIN, ZoneOffset.UTC));
    }

    @Test
    void utcExpressionsIgnoreTheZone() {
        CalendarEvent event = event("03:00 UTC");
        Instant expected = at("2026-03-11T03:00:00Z");
        assertEquals(expected, event.next(T0, BERLIN));
        assertEquals(expected, event.next(T0, ZoneId.of("Pacific/Auckland")));
        assertEquals(expected, event.next(T0, null));
        assertEquals(at("2026-03-11T02:00:00Z"), event("03:00").next(T0, BERLIN));
    }

    // ---- daylight saving time (Europe/Berlin: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00)

    @Test
    void aSkippedLocalTimeElapsesOnceShiftedByTheGap() {
        List<Instant> elapses = elapses(event("*-*-* 02:30:00"), at("2026-03-24T12:00:00Z"), 10, BERLIN);
        assertOnePerDay(elapses, LocalDate.of(2026, 3, 25));
        assertTrue(elapses.contains(at("2026-03-28T01:30:00Z"))); // 02:30 CET
        assertTrue(elapses.contains(at("2026-03-29T01:30:00Z"))); // 03:30 CEST, the gap's 02:30 shifted
        assertTrue(elapses.contains(at("2026-03-30T00:30:00Z"))); // 02:30 CEST
    }

    @Test
    void aRepeatedLocalTimeElapsesOnceAtTheEarlierOffset() {
        CalendarEvent event = event("*-*-* 02:30:00");
        List<Instant> elapses = elapses(event, at("2026-10-20T12:00:00Z"), 10, BERLIN);
        assertOnePerDay(elapses, LocalDate.of(2026, 10, 21));
        Instant first = at("2026-10-25T00:30:00Z"); // 02:30 CEST
        assertTrue(elapses.contains(first));
        assertFalse(elapses.contains(at("2026-10-25T01:30:00Z"))); // 02:30 CET, the second pass
        assertEquals(at("2026-10-26T01:30:00Z"), event.next(first, BERLIN));
        // from inside the second pass, 02:30 of that day has already elapsed
        assertEquals(at("2026-10-26T01:30:00Z"), event.next(at("2026-10-25T01:15:00Z"), BERLIN));
    }

    @Test
    void hourlyAcrossFallBackNeitherRepeatsNorGoesBackwards() {
        List<Instant> elapses = elapsesUntil(event("hourly"), at("2026-10-24T21:30:00Z"), at("2026-10-25T06:00:00Z"));
        assertEquals(List.of(
                at("2026-10-24T22:00:00Z"), // 00:00 CEST
                at("2026-10-24T23:00:00Z"), // 01:00 CEST
                at("2026-10-25T00:00:00Z"), // 02:00 CEST; 02:00 CET (01:00Z) does not elapse again
                at("2026-10-25T02:00:00Z"), // 03:00 CET
                at("2026-10-25T03:00:00Z"),
                at("2026-10-25T04:00:00Z"),
                at("2026-10-25T05:00:00Z")), elapses);
    }

    @Test
    void hourlyAcrossSpringForwardElapsesOnceForTheGap() {
        List<Instant> elapses = elapsesUntil(event("hourly"), at("2026-03-28T22:30:00Z"), at("2026-03-29T04:00:00Z"));
        assertEquals(List.of(
                at("2026-03-28T23:00:00Z"), // 00:00 CET
                at("2026-03-29T00:00:00Z"), // 01:00 CET
                at("2026-03-29T01:00:00Z"), // 03:00 CEST (02:00 does not exist)
                at("2026-03-29T02:00:00Z"), // 04:00 CEST
                at("2026-03-29T03:00:00Z")), elapses);
    }

    private static List<Instant> elapses(CalendarEvent event, Instant from, int count, ZoneId zone) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < count; i++) out.add(t = event.next(t, zone));
        return out;
    }

    private static List<Instant> elapsesUntil(CalendarEvent event, Instant from, Instant until) {
        List<Instant> out = new ArrayList<>();
        for (Instant t = event.next(from, BERLIN); t.isBefore(until); t = event.next(t, BERLIN)) {
            if (!out.isEmpty()) assertTrue(t.isAfter(out.get(out.size() - 1)), "went backwards at " + t);
            out.add(t);
        }
        return out;
    }

    /** Strictly increasing instants, one on each local day from {@code firstDay}. */
    private static void assertOnePerDay(List<Instant> elapses, LocalDate firstDay) {
        for (int i = 0; i < elapses.size(); i++) {
            if (i > 0) assertTrue(elapses.get(i).isAfter(elapses.get(i - 1)), "not increasing at " + i);
            assertEquals(firstDay.plusDays(i), elapses.get(i).atZone(BERLIN).toLocalDate());
        }
    }

    // ---- property: next(t) > t, next(t) matches, and nothing matches in between

    /** An expression with an independent matcher of local times; frequent ones are brute-forced. */
    private record Case(String text, boolean frequent, Predicate<LocalDateTime> matches) {}

    private static boolean workday(LocalDateTime t) {
        return t.getDayOfWeek().getValue() <= 5;
    }

    private static boolean at(LocalDateTime t, int hour, int minute, int second) {
        return t.getHour() == hour && t.getMinute() == minute && t.getSecond() == second;
    }

    private static final List<Case> CASES = List.of(
            new Case("minutely", true, t -> t.getSecond() == 0),
            new Case("hourly", true, t -> t.getMinute() == 0 && t.getSecond() == 0),
            new Case("*:0/15", true, t -> t.getMinute() % 15 == 0 && t.getSecond() == 0),
            new Case("*-*-* *:*:30", true, t -> t.getSecond() == 30),
            new Case("*:*:0/10", true, t -> t.getSecond() % 10 == 0),
            new Case("*:5..10,40", true, t -> (t.getMinute() >= 5 && t.getMinute() <= 10 || t.getMinute() == 40)
                    && t.getSecond() == 0),
            new Case("*-*-* *:*:*", true, t -> true),
            new Case("*:00/20:15", true, t -> t.getMinute() % 20 == 0 && t.getSecond() == 15),
            new Case("*:59:59", true, t -> t.getMinute() == 59 && t.getSecond() == 59),
            new Case("*:7,3..4/1:0/45 UTC", true, t -> (t.getMinute() == 7 || t.getMinute() == 3 || t.getMinute() == 4)
                    && (t.getSecond() == 0 || t.getSecond() == 45)),
            new Case("daily", false, t -> at(t, 0, 0, 0)),
            new Case("weekly", false, t -> t.getDayOfWeek() == DayOfWeek.MONDAY && at(t, 0, 0, 0)),
            new Case("monthly", false, t -> t.getDayOfMonth() == 1 && at(t, 0, 0, 0)),
            new Case("yearly", false, t -> t.getDayOfYear() == 1 && at(t, 0, 0, 0)),
            new Case("quarterly", false, t -> t.getMonthValue() % 3 == 1 && t.getDayOfMonth() == 1 && at(t, 0, 0, 0)),
            new Case("semiannually", false, t -> t.getMonthValue() % 6 == 1 && t.getDayOfMonth() == 1
                    && at(t, 0, 0, 0)),
            new Case("Mon..Fri 03:00", false, t -> workday(t) && at(t, 3, 0, 0)),
            new Case("Sat,Sun 10:30", false, t -> !workday(t) && at(t, 10, 30, 0)),
            new Case("*-*-1,15 12:00", false, t -> (t.getDayOfMonth() == 1 || t.getDayOfMonth() == 15)
                    && at(t, 12, 0, 0)),
            new Case("*-02-29", false, t -> t.getMonthValue() == 2 && t.getDayOfMonth() == 29 && at(t, 0, 0, 0)),
            new Case("*-*-* 02:30:00", false, t -> at(t, 2, 30, 0)),
            new Case("Fri *-*-13", false, t -> t.getDayOfWeek() == DayOfWeek.FRIDAY && t.getDayOfMonth() == 13
                    && at(t, 0, 0, 0)),
            new Case("*-01/3-01", false, t -> t.getMonthValue() % 3 == 1 && t.getDayOfMonth() == 1 && at(t, 0, 0, 0)),
            new Case("8..18:00", false, t -> t.getHour() >= 8 && t.getHour() <= 18 && t.getMinute() == 0
                    && t.getSecond() == 0),
            new Case("8..18/4:00", false, t -> (t.getHour() == 8 || t.getHour() == 12 || t.getHour() == 16)
                    && t.getMinute() == 0 && t.getSecond() == 0),
            new Case("2026..2030-06-01", false, t -> t.getYear() >= 2026 && t.getYear() <= 2030
                    && t.getMonthValue() == 6 && t.getDayOfMonth() == 1 && at(t, 0, 0, 0)),
            new Case("Mon *-*-1..7 09:00", false, t -> t.getDayOfWeek() == DayOfWeek.MONDAY && t.getDayOfMonth() <= 7
                    && at(t, 9, 0, 0)),
            new Case("*-*-* 23:59:59", false, t -> at(t, 23, 59, 59)),
            new Case("*-12-31 23:59:59 UTC", false, t -> t.getMonthValue() == 12 && t.getDayOfMonth() == 31
                    && at(t, 23, 59, 59)),
            new Case("Tue,Thu *-*-10..20 6:15:30", false, t -> (t.getDayOfWeek() == DayOfWeek.TUESDAY
                    || t.getDayOfWeek() == DayOfWeek.THURSDAY) && t.getDayOfMonth() >= 10 && t.getDayOfMonth() <= 20
                    && at(t, 6, 15, 30)));

    @Test
    void nextIsTheFirstMatchingSecondAfterStart() {
        assertEquals(30, CASES.size());
        Random random = new Random(20260310L);
        long from = at("2020-01-01T00:00:00Z").getEpochSecond();
        long span = at("2032-01-01T00:00:00Z").getEpochSecond() - from;
        List<Instant> starts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            starts.add(Instant.ofEpochSecond(from + (long) (random.nextDouble() * span),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000)));
        }
        // UTC and a zone with a fixed non-hour offset and no DST
        for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.of("Asia/Kolkata"))) {
            for (Case c : CASES) {
                CalendarEvent event = event(c.text);
                ZoneId local = event.utc() ? ZoneOffset.UTC : zone;
                for (Instant t : starts) check(c, event, t, zone, local);
            }
        }
    }

    private static void check(Case c, CalendarEvent event, Instant t, ZoneId zone, ZoneId local) {
        String where = c.text + " from " + t + " in " + zone;
        Instant next = event.next(t, zone);
        if (next == null) {
            // only the year range runs out before 2032
            assertEquals("2026..2030-06-01", c.text, where);
            assertFalse(t.isBefore(at("2030-06-01T00:00:00Z")), where);
            return;
        }
        assertTrue(next.isAfter(t), where);
        assertEquals(0, next.getNano(), where);
        assertTrue(c.matches.test(LocalDateTime.ofInstant(next, local)), where + " gave " + next);
        assertEquals(next, event.next(next.minusNanos(1), zone), where + ": not found again from just before");
        if (c.frequent) {
            assertTrue(next.isBefore(t.plus(1, ChronoUnit.HOURS).plusSeconds(1)), where + " gave " + next);
            // both zones keep one offset over the test's years, so seconds map one to one
            ZoneOffset offset = local.getRules().getOffset(t);
            for (long s = t.getEpochSecond() + 1; s < next.getEpochSecond(); s++) {
                if (c.matches.test(LocalDateTime.ofEpochSecond(s, 0, offset))) {
                    fail(where + " skipped " + Instant.ofEpochSecond(s) + " for " + next);
                }
            }
        }
    }
}
