package dev.svcmgr.units.systemd;

import dev.svcmgr.units.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** systemd's value syntaxes (booleans, time spans, sizes, modes) read and written in svcmgr's forms. */
final class SystemdValues {
    private SystemdValues() {}

    /** systemd's booleans: 1/yes/y/true/t/on and 0/no/n/false/f/off; null for anything else. */
    static Boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> true;
            case "0", "no", "n", "false", "f", "off" -> false;
            default -> null;
        };
    }

    /**
     * A systemd time span ({@code 5}, {@code 1min 30s}, {@code 2h30min}, {@code 500ms}, {@code infinity})
     * in svcmgr's form ({@link Durations#format}); a bare number is seconds. Null when unreadable.
     * {@code zeroIsInfinity}: a timeout of 0 means none in systemd.
     */
    static String timespan(String s, boolean zeroIsInfinity) {
        String t = s.trim();
        if (t.equals("infinity")) return "infinity";
        BigDecimal micros = BigDecimal.ZERO;
        int i = 0, n = t.length();
        boolean any = false;
        while (i < n) {
            while (i < n && t.charAt(i) == ' ') i++;
            if (i >= n) break;
            int a = i;
            while (i < n && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
            if (a == i) return null;
            BigDecimal v;
            try {
                v = new BigDecimal(t.substring(a, i));
            } catch (NumberFormatException e) {
                return null;
            }
            while (i < n && t.charAt(i) == ' ') i++;
            int u = i;
            while (i < n && (Character.isLetter(t.charAt(i)) || t.charAt(i) == 'µ')) i++;
            long scale = switch (t.substring(u, i)) {
                case "usec", "us", "µs" -> 1L;
                case "msec", "ms" -> 1_000L;
                case "", "seconds", "second", "sec", "s" -> 1_000_000L;
                case "minutes", "minute", "min", "m" -> 60_000_000L;
                case "hours", "hour", "hr", "h" -> 3_600_000_000L;
                case "days", "day", "d" -> 86_400_000_000L;
                case "weeks", "week", "w" -> 604_800_000_000L;
                case "months", "month", "M" -> 2_629_800_000_000L;
                case "years", "year", "y" -> 31_557_600_000_000L;
                default -> -1L;
            };
            if (scale < 0) return null;
            micros = micros.add(v.multiply(BigDecimal.valueOf(scale)));
            any = true;
        }
        if (!any) return null;
        if (micros.signum() == 0) return zeroIsInfinity ? "infinity" : "0";
        long ms = micros.divide(BigDecimal.valueOf(1000), 0, java.math.RoundingMode.UP).longValueExact();
        return Durations.format(Duration.ofMillis(ms));
    }

    /** A size with systemd's 1024-based suffixes ({@code 512M}, {@code 1G}, {@code 4096}) in svcmgr's form; null when not one. */
    static String size(String s) {
        String t = s.trim();
        if (t.matches("[0-9]+")) return t;
        if (t.matches("[0-9]+[KMGT]")) return t;
        if (t.matches("[0-9]+[KMGT]i?B")) return t.substring(0, t.indexOf(t.contains("i") ? 'i' : 'B'));
        return null;
    }

    /** An octal mode as four digits in quotes' worth of text ({@code 007} -> {@code 0007}); null when not octal. */
    static String mode(String s) {
        String t = s.trim();
        if (!t.matches("[0-7]{1,4}")) return null;
        return "0".repeat(4 - t.length()) + t;
    }
}
