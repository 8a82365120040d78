package dev.svcmgr.units;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsers for the value syntaxes of unit files (units.md "Precise rules"), shared
 * by the loader and by the command line ({@code kill --signal}). Every parser
 * throws {@link IllegalArgumentException} with a one-line message saying what
 * was expected; none of them knows about YAML.
 */
public final class Values {
    private static final String[] SIGNALS = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
        "PROF", "WINCH", "IO", "PWR", "SYS"};
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Values() {}

    /** A numeric socket address: {@code host} null for every address. */
    public record HostPort(String host, int port) {}

    private static final java.util.regex.Pattern HOST_PORT =
            java.util.regex.Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)\\]|([0-9.]*)):([0-9]{1,5})");

    /**
     * {@code 127.0.0.1:8080}, {@code [::1]:8080} or {@code :8080} (every address; port 0 picks a free
     * one), as socket units' {@code listen} and {@code daemon --http} take them; null for anything else.
     */
    public static HostPort parseHostPort(String text) {
        java.util.regex.Matcher m = HOST_PORT.matcher(text == null ? "" : text);
        if (!m.matches()) return null;
        int port = Integer.parseInt(m.group(3));
        String host = m.group(1) != null ? m.group(1) : m.group(2).isEmpty() ? null : m.group(2);
        boolean hostOk = host == null || host.contains(":") || host.matches("(\\d{1,3}\\.){3}\\d{1,3}");
        return port > 65535 || !hostOk ? null : new HostPort(host, port);
    }

    /**
     * A duration: {@code 100ms}, {@code 90s}, {@code 2m}, {@code 1min 30s}, {@code 1h}, a bare number of
     * seconds ({@code 10}, {@code 1.5}), or {@code infinity} ({@link Durations#INFINITY}).
     */
    public static Duration parseDuration(String text) {
        if (text == null) throw new IllegalArgumentException("expected a duration like 100ms, 90s or 1min 30s, got nothing");
        String s = text.trim();
        String expected = "expected a duration like 100ms, 90s, 1min 30s or infinity, got '" + UnitNames.shown(String.valueOf(text)) + "'";
        if (s.isEmpty()) throw new IllegalArgumentException(expected);
        if (s.equals("infinity")) return Durations.INFINITY;
        long nanos = 0;
        int i = 0;
        int n = s.length();
        boolean any = false;
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            if (i >= n) break;
            int start = i;
            while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException(expected);
            String num = s.substring(start, i);
            while (i < n && s.charAt(i) == ' ') i++;
            int us = i;
            while (i < n && Character.isLetter(s.charAt(i))) i++;
            String unit = s.substring(us, i);
            long scale = switch (unit) {
                case "" -> {
                    if (any || i < n) throw new IllegalArgumentException(expected);
                    yield 1_000_000_000L;
                }
                case "ms" -> 1_000_000L;
                case "s", "sec" -> 1_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> throw new IllegalArgumentException(expected);
            };
            java.math.BigDecimal v;
            try {
                v = new java.math.BigDecimal(num);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected);
            }
            java.math.BigDecimal part = v.multiply(java.math.BigDecimal.valueOf(scale));
            if (part.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE / 4)) > 0)
                throw new IllegalArgumentException("duration '" + UnitNames.shown(text) + "' is too long (use infinity)");
            nanos += part.longValue();
            if (nanos > Long.MAX_VALUE / 4) throw new IllegalArgumentException("duration '" + UnitNames.shown(text) + "' is too long (use infinity)");
            any = true;
        }
        if (!any) throw new IllegalArgumentException(expected);
        return Duration.ofNanos(nanos);
    }

    /**
     * A size in bytes: a bare number, or a number with {@code K}, {@code M}, {@code G}, {@code T}
     * (1024-based; {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} also accepted).
     */
    public static long parseSize(String text) {
        String expected = "expected a size like 512M, 10K, 1G or a number of bytes, got '" + UnitNames.shown(String.valueOf(text)) + "'";
        if (text == null) throw new IllegalArgumentException(expected);
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i == 0 || i > 19) throw new IllegalArgumentException(i > 19 ? "size '" + UnitNames.shown(text) + "' is too large" : expected);
        long shift = switch (s.substring(i).trim()) {
            case "" -> 0;
            case "K", "KiB" -> 10;
            case "M", "MiB" -> 20;
            case "G", "GiB" -> 30;
            case "T", "TiB" -> 40;
            default -> throw new IllegalArgumentException(expected);
        };
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + UnitNames.shown(text) + "' is too large");
        }
        if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("size '" + UnitNames.shown(text) + "' is too large");
        return n << shift;
    }

    /** A signal by name ({@code SIGUSR2}, {@code USR2}, {@code SIGRTMIN+3}) or number (1 to 64). */
    public static int parseSignal(String text) {
        String expected = "expected a signal name like SIGTERM or USR2, or a number from 1 to 64, got '" + UnitNames.shown(String.valueOf(text)) + "'";
        if (text == null) throw new IllegalArgumentException(expected);
        String s = text.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            if (s.length() > 3) throw new IllegalArgumentException(expected);
            int n = Integer.parseInt(s);
            if (n < 1 || n > SIGRTMAX || (n > 31 && n < SIGRTMIN)) throw new IllegalArgumentException(expected);
            return n;
        }
        String u = s.toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) u = u.substring(3);
        if (u.equals("POLL")) return 29;
        if (u.equals("IOT")) return 6;
        for (int i = 1; i < SIGNALS.length; i++) if (SIGNALS[i].equals(u)) return i;
        if (u.equals("RTMIN")) return SIGRTMIN;
        if (u.equals("RTMAX")) return SIGRTMAX;
        if (u.startsWith("RTMIN+") && u.length() <= 8 && u.substring(6).chars().allMatch(Character::isDigit) && u.length() > 6) {
            int n = SIGRTMIN + Integer.parseInt(u.substring(6));
            if (n <= SIGRTMAX) return n;
        }
        if (u.startsWith("RTMAX-") && u.length() <= 8 && u.substring(6).chars().allMatch(Character::isDigit) && u.length() > 6) {
            int n = SIGRTMAX - Integer.parseInt(u.substring(6));
            if (n >= SIGRTMIN) return n;
        }
        throw new IllegalArgumentException(expected);
    }

    /** {@code SIGTERM} for 15, {@code SIGRTMIN+2} for 36; {@code SIG<n>} for numbers without a name. */
    public static String signalName(int signal) {
        if (signal > 0 && signal < SIGNALS.length) return "SIG" + SIGNALS[signal];
        if (signal == SIGRTMIN) return "SIGRTMIN";
        if (signal > SIGRTMIN && signal <= SIGRTMAX) return "SIGRTMIN+" + (signal - SIGRTMIN);
        return "SIG" + signal;
    }

    /** A percentage such as {@code 50%} or {@code 150%}: the number before {@code %}. */
    public static int parsePercent(String text) {
        String expected = "expected a percentage like 50%, got '" + UnitNames.shown(String.valueOf(text)) + "'";
        if (text == null) throw new IllegalArgumentException(expected);
        String s = text.trim();
        if (!s.endsWith("%")) throw new IllegalArgumentException(expected);
        String num = s.substring(0, s.length() - 1).trim();
        if (num.isEmpty() || num.length() > 7 || !num.chars().allMatch(Character::isDigit))
            throw new IllegalArgumentException(expected);
        return Integer.parseInt(num);
    }

    /**
     * Splits a command into words the way a POSIX shell would, without any expansion:
     * blanks separate words, {@code '...'} is literal, {@code "..."} honours {@code \"},
     * {@code \\}, {@code \$} and {@code \`}, a backslash outside quotes escapes the next character.
     *
     * @throws IllegalArgumentException on an unterminated quote or a trailing backslash
     */
    public static List<String> splitCommand(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated single quote at character " + (i + 1) + " of the command");
                w.append(text, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char d = text.charAt(j);
                    if (d == '"') {
                        closed = true;
                        break;
                    }
                    if (d == '\\' && j + 1 < n && "\"\\$`\n".indexOf(text.charAt(j + 1)) >= 0) {
                        if (text.charAt(j + 1) != '\n') w.append(text.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    w.append(d);
                    j++;
                }
                if (!closed) throw new IllegalArgumentException("unterminated double quote at character " + (i + 1) + " of the command");
                i = j;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new IllegalArgumentException("trailing backslash in the command");
                char d = text.charAt(++i);
                if (d != '\n') {
                    w.append(d);
                    inWord = true;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }
}
