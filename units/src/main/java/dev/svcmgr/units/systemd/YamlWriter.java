package dev.svcmgr.units.systemd;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the converted unit as YAML: mappings in block style, lists of plain values in flow style
 * ({@code [a, b]}), {@code null} as an empty value (a map reset in a drop-in). A string is written
 * plain only when YAML cannot read it as anything else; otherwise double-quoted with escapes, so
 * every value reads back exactly as the string it was.
 */
public final class YamlWriter {
    private static final Pattern PLAIN = Pattern.compile("(?:[A-Za-z/_]|-[A-Za-z-])[A-Za-z0-9_./@%+=-]*|[0-9]+(?:ms|s|min|h)");
    private static final Set<String> WORDS = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n");

    private YamlWriter() {}

    /** The document for {@code map} (insertion order kept). */
    public static String write(Map<String, ?> map) {
        StringBuilder b = new StringBuilder();
        mapping(b, map, 0);
        return b.toString();
    }

    private static void mapping(StringBuilder b, Map<String, ?> map, int indent) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            b.append(" ".repeat(indent)).append(scalar(e.getKey())).append(':');
            value(b, e.getValue(), indent);
        }
    }

    /** Writes {@code v} after a {@code key:} already on the line, ending the line(s). */
    private static void value(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append('\n');
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append(" {}\n");
                return;
            }
            b.append('\n');
            @SuppressWarnings("unchecked") Map<String, ?> mm = (Map<String, ?>) m;
            mapping(b, mm, indent + 2);
        } else if (v instanceof List<?> l && !flowable(l)) {
            b.append('\n');
            for (Object item : l) {
                b.append(" ".repeat(indent + 2)).append("- ");
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!first) b.append(" ".repeat(indent + 4));
                        first = false;
                        b.append(scalar(String.valueOf(e.getKey()))).append(':');
                        value(b, e.getValue(), indent + 4);
                    }
                } else {
                    b.append(inline(item)).append('\n');
                }
            }
        } else {
            b.append(' ').append(inline(v)).append('\n');
        }
    }

    private static boolean flowable(List<?> l) {
        int len = 0;
        for (Object o : l) {
            if (o instanceof Map<?, ?>) return false;
            if (o instanceof List<?>) return false; // a list of lists (commands): one per line
            len += inline(o).length() + 2;
        }
        return len < 100;
    }

    /** A scalar or a list of scalars on one line. */
    private static String inline(Object o) {
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append(inline(l.get(i)));
            return b.append(']').toString();
        }
        if (o instanceof Map<?, ?> m && m.isEmpty()) return "{}";
        if (o instanceof Boolean || o instanceof Integer || o instanceof Long) return String.valueOf(o);
        return scalar(String.valueOf(o));
    }

    /** A string as YAML reads it back unchanged: plain when safe, else double-quoted. */
    public static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !WORDS.contains(s.toLowerCase(java.util.Locale.ROOT))) return s;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else if (c == '\u0085' || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
