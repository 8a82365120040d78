package dev.svcmgr.core.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON encoder and decoder for the control protocol, the state
 * files and the command line's {@code --json} output. {@link #write} takes maps (keys in iteration order), lists,
 * strings, numbers, booleans and null; {@link #parse} returns {@link LinkedHashMap},
 * {@link ArrayList}, {@link String}, {@link Long} (integers that fit) or {@link Double},
 * {@link Boolean} and null, and throws {@link IllegalArgumentException} naming the
 * position of the first error. Numbers a double cannot hold ({@code 1e400}), numbers longer
 * than {@link #MAX_NUMBER} characters, nesting deeper than {@link #MAX_DEPTH} and a key that
 * occurs twice in one object are such errors, so a parsed document can always be written back
 * and means one thing only (no "last key wins" for a request or a state file).
 */
public final class Json {
    /** Deepest nesting {@link #parse} accepts. */
    public static final int MAX_DEPTH = 256;
    /** Longest number (in characters) {@link #parse} accepts. */
    public static final int MAX_NUMBER = 64;

    private Json() {}

    /** One line of JSON for {@code value}. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH);
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Boolean bo) {
            b.append(bo ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("JSON cannot represent " + d);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) b.append((long) d);
            else b.append(d);
        } else if (v instanceof Number n) {
            b.append(n.toString());
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                quote(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue(), depth + 1);
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) b.append(',');
                first = false;
                write(b, o, depth + 1);
            }
            b.append(']');
        } else if (v instanceof Object[] a) {
            write(b, List.of(a), depth);
        } else if (v instanceof Enum<?> en) {
            quote(b, en.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        } else if (v instanceof Character ch) {
            quote(b, ch.toString());
        } else {
            throw new IllegalArgumentException("JSON cannot represent a " + v.getClass().getName());
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || (Character.isSurrogate(c) && !validSurrogate(s, i)))
                        b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Parses a JSON object; throws {@link IllegalArgumentException} for any other document. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new IllegalArgumentException("bad JSON: expected an object");
        return (Map<String, Object>) v;
    }

    /** {@code value} as indented JSON (two spaces), for files people read. */
    public static String pretty(Object value) {
        String s = write(value);
        StringBuilder b = new StringBuilder();
        int level = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\') b.append(s.charAt(++i));
                else if (c == '"') inString = false;
                continue;
            }
            switch (c) {
                case '"' -> { inString = true; b.append(c); }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < s.length() && s.charAt(i + 1) == close) {
                        b.append(c).append(close);
                        i++;
                    } else {
                        b.append(c).append('\n').append("  ".repeat(++level));
                    }
                }
                case '}', ']' -> b.append('\n').append("  ".repeat(--level)).append(c);
                case ',' -> b.append(",\n").append("  ".repeat(level));
                case ':' -> b.append(": ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Parses one JSON document (surrounding whitespace allowed, nothing else). */
    public static Object parse(String text) {
        if (text == null) throw new IllegalArgumentException("bad JSON: no input");
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i < text.length()) throw p.fail("expected the end of the document");
        return v;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        IllegalArgumentException fail(String what) {
            String got = i < s.length() ? "'" + s.charAt(i) + "'" : "the end";
            return new IllegalArgumentException("bad JSON at position " + i + ": " + what + ", got " + got);
        }

        void ws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
                else break;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw fail("nesting deeper than " + MAX_DEPTH);
            if (i >= s.length()) throw fail("expected a value");
            char c = s.charAt(i);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return word("true", Boolean.TRUE);
                case 'f': return word("false", Boolean.FALSE);
                case 'n': return word("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw fail("expected a value");
            }
        }

        private Object word(String w, Object v) {
            if (!s.startsWith(w, i)) throw fail("expected " + w);
            i += w.length();
            return v;
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                if (i >= s.length() || s.charAt(i) != '"') throw fail("expected a string key");
                int at = i;
                String k = string();
                if (m.containsKey(k)) {
                    throw new IllegalArgumentException("bad JSON at position " + at + ": duplicate key " + shortKey(k));
                }
                ws();
                if (i >= s.length() || s.charAt(i) != ':') throw fail("expected ':'");
                i++;
                ws();
                m.put(k, value(depth + 1));
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                throw fail("expected ',' or '}'");
            }
        }

        /** A key for a message: quoted, at most 40 characters. */
        private static String shortKey(String k) {
            StringBuilder b = new StringBuilder();
            quote(b, k.length() > 40 ? k.substring(0, 37) + "..." : k);
            return b.toString();
        }

        private List<Object> array(int depth) {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return l;
            }
            while (true) {
                ws();
                l.add(value(depth + 1));
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < s.length() && s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                throw fail("expected ',' or ']'");
            }
        }

        private String string() {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw fail("unterminated string");
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    return b.toString();
                }
                if (c < 0x20) throw fail("control character in a string");
                if (c != '\\') {
                    b.append(c);
                    i++;
                    continue;
                }
                i++;
                if (i >= s.length()) throw fail("unterminated escape");
                char e = s.charAt(i);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 >= s.length()) throw fail("expected four hex digits after \\u");
                        int cp = 0;
                        for (int k = 1; k <= 4; k++) {
                            int d = Character.digit(s.charAt(i + k), 16);
                            if (d < 0) {
                                i += k;
                                throw fail("expected a hex digit");
                            }
                            cp = cp * 16 + d;
                        }
                        b.append((char) cp);
                        i += 4;
                    }
                    default -> throw fail("unknown escape");
                }
                i++;
            }
        }

        private Object number() {
            int start = i;
            if (s.charAt(i) == '-') i++;
            if (i >= s.length()) throw fail("expected a digit");
            if (s.charAt(i) == '0') i++;
            else if (Character.isDigit(s.charAt(i))) while (i < s.length() && isDigit(s.charAt(i))) i++;
            else throw fail("expected a digit");
            boolean fraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                fraction = true;
                i++;
                if (i >= s.length() || !isDigit(s.charAt(i))) throw fail("expected a digit after '.'");
                while (i < s.length() && isDigit(s.charAt(i))) i++;
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                fraction = true;
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                if (i >= s.length() || !isDigit(s.charAt(i))) throw fail("expected a digit in the exponent");
                while (i < s.length() && isDigit(s.charAt(i))) i++;
            }
            if (i - start > MAX_NUMBER) {
                i = start;
                throw fail("a number longer than " + MAX_NUMBER + " characters");
            }
            String num = s.substring(start, i);
            if (!fraction) {
                try {
                    return Long.parseLong(num);
                } catch (NumberFormatException e) {
                    // too large for a long: a double below
                }
            }
            double d = Double.parseDouble(num);
            if (Double.isInfinite(d)) {
                i = start;
                throw fail("a number out of range");
            }
            return d;
        }

        private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
    }
}
