package dev.svcmgr.units;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A calendar event of systemd.time(7), the subset svcmgr timers use: {@code [DOW] [DATE] [TIME] [UTC]}
 * or a shorthand such as {@code daily}.
 *
 * <p>{@link #normalized()} prints the event as {@code systemd-analyze calendar} does, e.g.
 * {@code Mon,Tue,Wed 3:0} becomes {@code Mon..Wed *-*-* 03:00:00}. {@link #next} finds the next
 * elapse field by field (year, month, day, weekday, hour, minute, second), carrying into the next larger
 * field when a field has no match left; years end at 2199.
 *
 * <p>Not supported, each rejected with a message naming it: {@code ~} (days counted from the end of the
 * month), fractional seconds, {@code @}timestamps and time zones other than UTC.
 */
public final class CalendarEvent {
    private static final int MIN_YEAR = 1970;
    private static final int MAX_YEAR = 2199;
    private static final int ALL_DAYS = 0x7f;
    private static final String[] DAY_NAMES = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    /** Searches start no earlier than this, and instants past {@link #HORIZON} never elapse. */
    private static final Instant EARLIEST = Instant.parse("1969-12-31T00:00:00Z");
    private static final Instant HORIZON = Instant.parse("2200-01-02T00:00:00Z");

    /** The shorthands and the expressions they stand for (systemd's list, including its aliases). */
    private static final Map<String, String> SHORTHANDS = Map.ofEntries(
            Map.entry("minutely", "*-*-* *:*:00"),
            Map.entry("hourly", "*-*-* *:00:00"),
            Map.entry("daily", "*-*-* 00:00:00"),
            Map.entry("weekly", "Mon *-*-* 00:00:00"),
            Map.entry("monthly", "*-*-01 00:00:00"),
            Map.entry("quarterly", "*-01,04,07,10-01 00:00:00"),
            Map.entry("semiannually", "*-01,07-01 00:00:00"),
            Map.entry("semi-annually", "*-01,07-01 00:00:00"),
            Map.entry("biannually", "*-01,07-01 00:00:00"),
            Map.entry("bi-annually", "*-01,07-01 00:00:00"),
            Map.entry("yearly", "*-01-01 00:00:00"),
            Map.entry("annually", "*-01-01 00:00:00"),
            Map.entry("anually", "*-01-01 00:00:00"));

    /** The six date and time fields, in order, with their ranges and printed widths. */
    private enum Unit {
        YEAR("year", MIN_YEAR, MAX_YEAR, 4), MONTH("month", 1, 12, 2), DAY("day", 1, 31, 2),
        HOUR("hour", 0, 23, 2), MINUTE("minute", 0, 59, 2), SECOND("second", 0, 59, 2);

        final String label;
        final String article;
        final int min;
        final int max;
        final int width;

        Unit(String label, int min, int max, int width) {
            this.label = label;
            this.article = (label.startsWith("h") ? "an " : "a ") + label;
            this.min = min;
            this.max = max;
            this.width = width;
        }
    }

    /**
     * One element of a field's list: a value ({@code stop < 0, step == 0}), a range ({@code step == 1}),
     * or a repetition {@code start[..stop]/step}.
     */
    private record Item(int start, int stop, int step) {
        static final Comparator<Item> ORDER =
                Comparator.comparingInt(Item::start).thenComparingInt(Item::stop).thenComparingInt(Item::step);

        /** The smallest matching value in {@code from..limit}, or -1. */
        int first(int from, int limit) {
            int candidate;
            if (start >= from) {
                candidate = start;
            } else if (step > 0) {
                candidate = start + (from - start + step - 1) / step * step;
            } else {
                return -1;
            }
            int end = stop >= 0 ? Math.min(stop, limit) : limit;
            return candidate <= end ? candidate : -1;
        }

        String format(int width) {
            StringBuilder b = new StringBuilder(pad(start, width));
            if (stop >= 0) b.append("..").append(pad(stop, width));
            if (step > 0 && !(stop >= 0 && step == 1)) b.append('/').append(step);
            return b.toString();
        }
    }

    private final int weekdays;
    /** Indexed by {@link Unit#ordinal()}; a null entry matches any value. */
    private final List<List<Item>> fields;
    private final boolean utc;
    private final String normalized;

    private CalendarEvent(int weekdays, List<List<Item>> fields, boolean utc) {
        this.weekdays = weekdays;
        this.fields = fields;
        this.utc = utc;
        this.normalized = format();
    }

    /**
     * Parses an expression such as {@code daily}, {@code Mon..Fri 03:00}, {@code *-*-1,15 12:00} or
     * {@code *:0/15 UTC}. Surrounding white space is ignored; a two-digit year means 20YY below 70, else 19YY.
     *
     * @throws ParseException naming what was found and what was expected, with its column
     */
    public static CalendarEvent parse(String text) throws ParseException {
        Objects.requireNonNull(text, "text");
        int begin = 0;
        int end = text.length();
        while (begin < end && isSpace(text.charAt(begin))) begin++;
        while (end > begin && isSpace(text.charAt(end - 1))) end--;
        if (begin == end) {
            throw new ParseException("empty calendar expression (expected e.g. 'daily' or 'Mon..Fri 03:00')", 1);
        }
        boolean utc = false;
        if (end - begin >= 4 && text.regionMatches(true, end - 3, "UTC", 0, 3) && isSpace(text.charAt(end - 4))) {
            utc = true;
            end -= 4;
            while (isSpace(text.charAt(end - 1))) end--;
        } else if (end - begin == 3 && text.regionMatches(true, begin, "UTC", 0, 3)) {
            throw new ParseException("expected a calendar expression before 'UTC'", begin + 1);
        }
        for (int i = begin; i < end; i++) {
            if (text.charAt(i) == '~') {
                throw new ParseException("'~' (days counted from the end of the month) is not supported", i + 1);
            }
        }
        if (text.charAt(begin) == '@') {
            throw new ParseException("'@' timestamps are not supported (expected a calendar expression)", begin + 1);
        }
        List<Token> tokens = split(text, begin, end);
        String expansion = SHORTHANDS.get(tokens.get(0).text.toLowerCase(Locale.ROOT));
        if (expansion != null) {
            if (tokens.size() > 1) {
                throw new ParseException("unexpected '" + tokens.get(1).text + "' after '" + tokens.get(0).text
                        + "' (a shorthand stands alone, optionally followed by UTC)", tokens.get(1).column());
            }
            tokens = split(expansion, 0, expansion.length());
        }
        return parseTokens(tokens, utc);
    }

    /** The normalized form exactly as systemd-analyze prints it, e.g. {@code Mon..Fri *-*-* 03:00:00}. */
    public String normalized() {
        return normalized;
    }

    /** True when the expression ends in " UTC": elapses are computed in UTC, else in the zone given to next(). */
    public boolean utc() {
        return utc;
    }

    /**
     * The first elapse strictly after {@code after}, computed in {@code zone} (or UTC when {@link #utc()});
     * null when there is none before the end of 2199.
     *
     * <p>Candidates are local times strictly after the local time of {@code after}, taken in order; the
     * first whose instant is also strictly after {@code after} wins. A local time skipped by a DST change
     * elapses once, shifted forward by the gap (as {@link ZonedDateTime#of} does); a local time that occurs
     * twice elapses once, at the earlier offset. (A consequence of taking local times in order: on a
     * spring-forward day, {@code 02:30,03:15} elapses at 03:30, the shifted 02:30, and not at 03:15.)
     *
     * @param zone the zone of the local times; ignored (may be null) when {@link #utc()}
     */
    public Instant next(Instant after, ZoneId zone) {
        Objects.requireNonNull(after, "after");
        ZoneId z = utc ? ZoneOffset.UTC : Objects.requireNonNull(zone, "zone");
        if (after.isAfter(HORIZON)) return null;
        Instant probe = after.isBefore(EARLIEST) ? EARLIEST : after;
        LocalDateTime from = LocalDateTime.ofInstant(probe, z).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDateTime earliest = LocalDateTime.of(MIN_YEAR, 1, 1, 0, 0);
        if (from.isBefore(earliest)) from = earliest;
        while (true) {
            LocalDateTime local = nextLocal(from);
            if (local == null) return null;
            Instant instant = ZonedDateTime.of(local, z).toInstant();
            if (instant.isAfter(after)) return instant;
            from = local.plusSeconds(1);
        }
    }

    /** The normalized form. */
    @Override
    public String toString() {
        return normalized;
    }

    /** Events are equal when their normalized forms are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CalendarEvent other && normalized.equals(other.normalized);
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    // ---- matching

    /** The first matching local time at or after {@code t}, or null past 2199. */
    private LocalDateTime nextLocal(LocalDateTime t) {
        while (t.getYear() <= MAX_YEAR) {
            int year = first(Unit.YEAR, t.getYear(), MAX_YEAR);
            if (year < 0) return null;
            if (year != t.getYear()) t = LocalDateTime.of(year, 1, 1, 0, 0);

            int month = first(Unit.MONTH, t.getMonthValue(), 12);
            if (month < 0) {
                t = LocalDateTime.of(t.getYear() + 1, 1, 1, 0, 0);
                continue;
            }
            if (month != t.getMonthValue()) t = LocalDateTime.of(t.getYear(), month, 1, 0, 0);

            LocalDate date = t.toLocalDate();
            int day = first(Unit.DAY, t.getDayOfMonth(), date.lengthOfMonth());
            if (day < 0) {
                t = date.withDayOfMonth(1).plusMonths(1).atStartOfDay();
                continue;
            }
            if (day != t.getDayOfMonth()) t = date.withDayOfMonth(day).atStartOfDay();
            if ((weekdays & bit(t.getDayOfWeek())) == 0) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }

            int hour = first(Unit.HOUR, t.getHour(), 23);
            if (hour < 0) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (hour != t.getHour()) t = t.toLocalDate().atTime(hour, 0);

            int minute = first(Unit.MINUTE, t.getMinute(), 59);
            if (minute < 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (minute != t.getMinute()) t = t.truncatedTo(ChronoUnit.HOURS).withMinute(minute);

            int second = first(Unit.SECOND, t.getSecond(), 59);
            if (second < 0) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                continue;
            }
            return t.withSecond(second);
        }
        return null;
    }

    /** The smallest value of the field in {@code from..limit}, or -1. */
    private int first(Unit unit, int from, int limit) {
        List<Item> items = fields.get(unit.ordinal());
        if (items == null) return from <= limit ? from : -1;
        int best = -1;
        for (Item item : items) {
            int candidate = item.first(from, limit);
            if (candidate >= 0 && (best < 0 || candidate < best)) best = candidate;
        }
        return best;
    }

    private static int bit(DayOfWeek day) {
        return 1 << (day.getValue() - 1);
    }

    // ---- formatting

    private String format() {
        StringBuilder b = new StringBuilder();
        if (weekdays != ALL_DAYS) b.append(formatWeekdays(weekdays)).append(' ');
        b.append(formatField(Unit.YEAR)).append('-').append(formatField(Unit.MONTH)).append('-')
                .append(formatField(Unit.DAY)).append(' ').append(formatField(Unit.HOUR)).append(':')
                .append(formatField(Unit.MINUTE)).append(':').append(formatField(Unit.SECOND));
        if (utc) b.append(" UTC");
        return b.toString();
    }

    private String formatField(Unit unit) {
        List<Item> items = fields.get(unit.ordinal());
        if (items == null) return "*";
        // systemd keeps "any second" as 0/1 internally and prints it as '*'.
        if (unit == Unit.SECOND && items.equals(List.of(new Item(0, -1, 1)))) return "*";
        StringBuilder b = new StringBuilder();
        for (Item item : items) {
            if (b.length() > 0) b.append(',');
            b.append(item.format(unit.width));
        }
        return b.toString();
    }

    /** Runs of three or more days print as a range, shorter runs as a list: Mon..Wed,Sat,Sun. */
    private static String formatWeekdays(int bits) {
        StringBuilder b = new StringBuilder();
        int day = 0;
        while (day < 7) {
            if ((bits & (1 << day)) == 0) {
                day++;
                continue;
            }
            int last = day;
            while (last + 1 < 7 && (bits & (1 << (last + 1))) != 0) last++;
            if (b.length() > 0) b.append(',');
            b.append(DAY_NAMES[day]);
            if (last == day + 1) b.append(',').append(DAY_NAMES[last]);
            if (last > day + 1) b.append("..").append(DAY_NAMES[last]);
            day = last + 1;
        }
        return b.toString();
    }

    private static String pad(int value, int width) {
        String s = Integer.toString(value);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    // ---- parsing

    /** A white-space separated word of the expression and its offset in the text. */
    private record Token(String text, int offset) {
        int column() {
            return offset + 1;
        }
    }

    private static List<Token> split(String text, int begin, int end) {
        List<Token> tokens = new ArrayList<>();
        int i = begin;
        while (i < end) {
            while (i < end && isSpace(text.charAt(i))) i++;
            int start = i;
            while (i < end && !isSpace(text.charAt(i))) i++;
            if (i > start) tokens.add(new Token(text.substring(start, i), start));
        }
        return tokens;
    }

    private static CalendarEvent parseTokens(List<Token> tokens, boolean utc) throws ParseException {
        int weekdays = ALL_DAYS;
        // A missing date is *-*-*, a missing time 00:00:00.
        List<Item> zero = List.of(new Item(0, -1, 0));
        List<List<Item>> fields = new ArrayList<>(Arrays.asList(null, null, null, zero, zero, zero));

        int i = 0;
        if (startsWithLetter(tokens.get(i))) {
            weekdays = parseWeekdays(tokens.get(i++));
        }
        if (i < tokens.size() && !startsWithLetter(tokens.get(i)) && tokens.get(i).text.indexOf(':') < 0
                && tokens.get(i).text.indexOf('-') >= 0) {
            parseDate(new Cursor(tokens.get(i++)), fields);
        }
        if (i < tokens.size() && !startsWithLetter(tokens.get(i))) {
            parseTime(new Cursor(tokens.get(i++)), fields);
        }
        if (i < tokens.size()) throw unexpected(tokens.get(i));
        return new CalendarEvent(weekdays, fields, utc);
    }

    /** The error for a word left over after the date and time. */
    private static ParseException unexpected(Token token) {
        String word = token.text;
        if (word.equalsIgnoreCase("UTC")) {
            return new ParseException("'UTC' may appear only once, at the end", token.column());
        }
        if (startsWithLetter(token)) {
            int letters = 0;
            while (letters < word.length() && Character.isLetter(word.charAt(letters))) letters++;
            if (dayIndex(word.substring(0, letters)) >= 0) {
                return new ParseException("unexpected day name '" + word
                        + "' (day names come first, as one list like Mon,Wed..Fri)", token.column());
            }
            if (word.indexOf('/') >= 0 || word.chars().allMatch(Character::isUpperCase)) {
                return new ParseException("time zone '" + word + "' is not supported (only UTC)", token.column());
            }
            return new ParseException("unexpected '" + word + "' (expected a date, a time or UTC)", token.column());
        }
        return new ParseException("unexpected '" + word + "' after the time (expected the end, or UTC)",
                token.column());
    }

    private static int parseWeekdays(Token token) throws ParseException {
        String s = token.text;
        int bits = 0;
        int p = 0;
        int rangeFrom = -1;
        int rangeColumn = 0;
        boolean afterRange = false;
        while (true) {
            int start = p;
            while (p < s.length() && Character.isLetter(s.charAt(p))) p++;
            if (p == start) {
                String found = p < s.length() ? "found '" + s.charAt(p) + "'" : "found the end of '" + s + "'";
                throw new ParseException("expected a day name (Mon..Sun), " + found, token.offset + p + 1);
            }
            String name = s.substring(start, p);
            int day = dayIndex(name);
            if (day < 0) {
                throw new ParseException("unknown day name '" + name + "' (expected Mon..Sun)",
                        token.offset + start + 1);
            }
            if (rangeFrom >= 0) {
                if (day < rangeFrom) {
                    throw new ParseException("day range " + DAY_NAMES[rangeFrom] + ".." + DAY_NAMES[day]
                            + " runs backwards (ranges run within Mon..Sun)", rangeColumn);
                }
                for (int d = rangeFrom; d <= day; d++) bits |= 1 << d;
                rangeFrom = -1;
                afterRange = true;
            } else {
                bits |= 1 << day;
                afterRange = false;
            }
            if (p == s.length()) return bits;
            char c = s.charAt(p);
            if (c == ',') {
                if (++p == s.length()) return bits; // systemd allows a trailing comma
                continue;
            }
            boolean dots = s.startsWith("..", p);
            if ((dots || c == '-') && !afterRange) {
                rangeFrom = day;
                rangeColumn = token.offset + start + 1;
                p += dots ? 2 : 1;
                continue;
            }
            String expected = afterRange ? "(expected ',' after the range)" : "(expected ',' or '..')";
            throw new ParseException("unexpected '" + c + "' in the day names " + expected, token.offset + p + 1);
        }
    }

    private static int dayIndex(String name) {
        for (int d = 0; d < 7; d++) {
            String full = DayOfWeek.of(d + 1).name();
            if (name.equalsIgnoreCase(DAY_NAMES[d]) || name.equalsIgnoreCase(full)) return d;
        }
        return -1;
    }

    private static void parseDate(Cursor c, List<List<Item>> fields) throws ParseException {
        int dashes = 0;
        for (int i = 0; i < c.text.length(); i++) {
            if (c.text.charAt(i) == '-' && ++dashes == 3) {
                throw new ParseException("a third '-' in the date '" + c.text + "' (expected YYYY-MM-DD or MM-DD)",
                        c.offset + i + 1);
            }
        }
        if (dashes == 2) {
            fields.set(Unit.YEAR.ordinal(), parseField(c, Unit.YEAR));
            c.expect('-', "after the year");
        }
        fields.set(Unit.MONTH.ordinal(), parseField(c, Unit.MONTH));
        c.expect('-', "after the month");
        fields.set(Unit.DAY.ordinal(), parseField(c, Unit.DAY));
        if (!c.atEnd()) {
            throw c.error("unexpected '" + c.rest() + "' after the day (expected a space before the time)");
        }
    }

    private static void parseTime(Cursor c, List<List<Item>> fields) throws ParseException {
        fields.set(Unit.HOUR.ordinal(), parseField(c, Unit.HOUR));
        c.expect(':', "after the hour");
        fields.set(Unit.MINUTE.ordinal(), parseField(c, Unit.MINUTE));
        if (c.atEnd()) return; // seconds default to 00
        c.expect(':', "after the minute");
        fields.set(Unit.SECOND.ordinal(), parseField(c, Unit.SECOND));
        if (!c.atEnd()) throw c.error("unexpected '" + c.rest() + "' after the seconds");
    }

    /**
     * One field: {@code *}, {@code * /STEP} or a comma list of {@code N}, {@code A..B}, {@code N/STEP},
     * {@code A..B/STEP}. Returns null for {@code *}; otherwise the items normalized as systemd does.
     */
    private static List<Item> parseField(Cursor c, Unit unit) throws ParseException {
        if (c.peek() == '*') {
            int column = c.column();
            c.pos++;
            if (c.peek() == '/') {
                c.pos++;
                int step = parseStep(c);
                return List.of(item(unit.min, -1, step, unit, column, "*/" + step));
            }
            if (c.peek() == ',') throw c.error("'*' cannot be part of a list in the " + unit.label);
            return null;
        }
        List<Item> items = new ArrayList<>();
        while (true) {
            int column = c.column();
            int begin = c.pos;
            int start = parseValue(c, unit);
            int stop = -1;
            int step = 0;
            if (c.startsWith("..")) {
                c.pos += 2;
                stop = parseValue(c, unit);
                if (stop < start) {
                    throw new ParseException("range " + c.text.substring(begin, c.pos) + " runs backwards (the "
                            + unit.label + " range must not end before it starts)", column);
                }
                step = 1;
            }
            if (c.peek() == '.' && !c.startsWith("..")) {
                if (unit == Unit.SECOND) throw c.error("fractional seconds are not supported");
                throw c.error("expected '..' for a range in the " + unit.label + ", found a single '.'");
            }
            if (c.peek() == '/') {
                c.pos++;
                step = parseStep(c);
            }
            items.add(item(start, stop, step, unit, column, c.text.substring(begin, c.pos)));
            if (c.peek() != ',') break;
            c.pos++;
        }
        items.sort(Item.ORDER);
        List<Item> unique = new ArrayList<>();
        for (Item item : items) {
            if (unique.isEmpty() || !unique.get(unique.size() - 1).equals(item)) unique.add(item);
        }
        return List.copyOf(unique);
    }

    /**
     * Normalizes one item as systemd does: a range's end is lowered to its last repetition, a range that
     * never repeats or ends where it starts becomes its start; a repetition without an end must fit at
     * least once in the field.
     */
    private static Item item(int start, int stop, int step, Unit unit, int column, String written)
            throws ParseException {
        if (stop > start && step > 0) stop -= (stop - start) % step;
        if ((stop > start && start + step > stop) || start == stop) {
            stop = -1;
            step = 0;
        }
        if (stop < 0 && step > 0 && (long) start + step > unit.max) {
            throw new ParseException("repetition " + written + " never repeats (" + start + " plus " + step
                    + " is past the last " + unit.label + ", " + unit.max + ")", column);
        }
        return new Item(start, stop, step);
    }

    private static int parseValue(Cursor c, Unit unit) throws ParseException {
        int column = c.column();
        String digits = c.digits();
        if (digits.isEmpty()) {
            throw c.error("expected " + unit.article + " (a number or '*'), " + c.found());
        }
        long value = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (unit == Unit.YEAR && value < 100) value += value < 70 ? 2000 : 1900;
        if (value < unit.min || value > unit.max) {
            throw new ParseException(unit.label + " " + digits + " out of range " + unit.min + ".." + unit.max,
                    column);
        }
        return (int) value;
    }

    private static int parseStep(Cursor c) throws ParseException {
        int column = c.column();
        String digits = c.digits();
        if (digits.isEmpty()) throw c.error("expected a repetition step (a number) after '/', " + c.found());
        long step = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (step == 0) throw new ParseException("repetition step 0 (expected at least 1)", column);
        return (int) Math.min(step, Integer.MAX_VALUE);
    }

    /** Reads one word of the expression, reporting columns in the whole text. */
    private static final class Cursor {
        final String text;
        final int offset;
        int pos;

        Cursor(Token token) {
            this.text = token.text;
            this.offset = token.offset;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        boolean startsWith(String s) {
            return text.startsWith(s, pos);
        }

        int column() {
            return offset + pos + 1;
        }

        String rest() {
            return text.substring(pos);
        }

        String digits() {
            int start = pos;
            while (!atEnd() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
            return text.substring(start, pos);
        }

        String found() {
            return atEnd() ? "found the end of '" + text + "'" : "found '" + peek() + "'";
        }

        void expect(char separator, String where) throws ParseException {
            if (peek() != separator) {
                throw error("expected '" + separator + "' " + where + (atEnd() ? "" : ", " + found()));
            }
            pos++;
        }

        ParseException error(String message) {
            return new ParseException(message, column());
        }
    }

    private static boolean startsWithLetter(Token token) {
        return Character.isLetter(token.text.charAt(0));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Thrown for a bad expression; {@link #column()} points at the problem. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int column;

        /**
         * @param message one line: what was found and what was expected
         * @param column 1-based column in the expression text
         */
        public ParseException(String message, int column) {
            super(message);
            this.column = column;
        }

        /** The 1-based column in the expression text where the problem is. */
        public int column() {
            return column;
        }
    }
}
