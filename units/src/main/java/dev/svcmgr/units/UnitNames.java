package dev.svcmgr.units;

import java.util.regex.Pattern;

/** Rules for unit names (units.md "Files and names"). */
public final class UnitNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9:_.@-]{1,255}");

    private UnitNames() {}

    /** Null when {@code name} is a valid full unit name, else why not (one line). */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "empty unit name";
        if (name.length() > 255) return "unit name longer than 255 characters";
        if (!VALID.matcher(name).matches())
            return "unit name '" + shown(name) + "' has characters outside [A-Za-z0-9:_.@-]";
        if (name.startsWith(".")) return "unit name '" + shown(name) + "' starts with '.'";
        if (UnitType.ofName(name) == null)
            return "unit name '" + shown(name) + "' has no type suffix (expected .service or .target)";
        int at = name.indexOf('@');
        if (at >= 0 && name.indexOf('@', at + 1) >= 0) return "unit name '" + shown(name) + "' has more than one '@'";
        return null;
    }

    /** A name as messages show it: on one line (control characters escaped) and at most 80 characters. */
    public static String shown(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 80; i++) {
            char c = name.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (c == '\t') b.append("\\t");
            else if (Character.isISOControl(c)) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (b.length() >= 80 && name.length() > 80) {
            b.setLength(77);
            b.append("...");
        }
        return b.toString();
    }

    public static boolean isValid(String name) { return problem(name) == null; }

    /**
     * A name typed on the command line: a bare name means a service. A glob pattern ({@link #isGlob})
     * is kept as it is (as systemctl does): {@code 'worker@*'} matches units of every type.
     */
    public static String fromUser(String arg) {
        if (arg == null || arg.isEmpty() || isGlob(arg)) return arg;
        return UnitType.ofName(arg) == null ? arg + ".service" : arg;
    }

    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9:_.@\\-*?\\[\\]!^]{1,255}");

    /**
     * True when {@code arg} is a glob pattern over unit names: it has {@code *}, {@code ?} or
     * {@code [} and otherwise only the characters of names ({@code [!a-z]} and {@code [^a-z]} negate).
     */
    public static boolean isGlob(String arg) {
        if (arg == null || arg.startsWith(".")) return false;
        boolean wild = arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0 || arg.indexOf('[') >= 0;
        return wild && GLOB.matcher(arg).matches();
    }

    /** True when {@code name} matches the glob {@code pattern} ({@code *}, {@code ?}, {@code [...]}; fnmatch without flags). */
    public static boolean matches(String pattern, String name) {
        return match(pattern, 0, name, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') pi++;
                if (pi == p.length()) return true;
                for (int k = si; k <= s.length(); k++) if (match(p, pi, s, k)) return true;
                return false;
            }
            if (si >= s.length()) return false;
            if (c == '?') {
                pi++;
                si++;
            } else if (c == '[') {
                int end = p.indexOf(']', pi + 2);
                if (end < 0) { // no closing bracket: a literal '['
                    if (s.charAt(si) != '[') return false;
                    pi++;
                    si++;
                    continue;
                }
                boolean negate = p.charAt(pi + 1) == '!' || p.charAt(pi + 1) == '^';
                int from = negate ? pi + 2 : pi + 1;
                if (negate && end == from) end = p.indexOf(']', from + 1);
                if (end < 0) return false;
                boolean in = false;
                char ch = s.charAt(si);
                for (int k = from; k < end; k++) {
                    char lo = p.charAt(k);
                    if (k + 2 < end && p.charAt(k + 1) == '-') {
                        if (ch >= lo && ch <= p.charAt(k + 2)) in = true;
                        k += 2;
                    } else if (ch == lo) {
                        in = true;
                    }
                }
                if (in == negate) return false;
                pi = end + 1;
                si++;
            } else {
                if (c != s.charAt(si)) return false;
                pi++;
                si++;
            }
        }
        return si == s.length();
    }

    /** {@code getty@.service} for {@code getty@tty1.service}, or null when not an instance. */
    public static String templateOf(String name) {
        int at = name.indexOf('@');
        if (at < 0) return null;
        UnitType t = UnitType.ofName(name);
        if (t == null) return null;
        String inst = name.substring(at + 1, name.length() - t.suffix().length() - 1);
        if (inst.isEmpty()) return null;
        return name.substring(0, at + 1) + "." + t.suffix();
    }

    /** The instance part of {@code getty@tty1.service} ({@code tty1}), or null. */
    public static String instanceOf(String name) {
        int at = name.indexOf('@');
        if (at < 0) return null;
        UnitType t = UnitType.ofName(name);
        if (t == null) return null;
        String inst = name.substring(at + 1, name.length() - t.suffix().length() - 1);
        return inst.isEmpty() ? null : inst;
    }

    /** True for a template name such as {@code getty@.service}. */
    public static boolean isTemplate(String name) {
        UnitType t = UnitType.ofName(name);
        return t != null && name.endsWith("@." + t.suffix());
    }

    /** The name without its type suffix ({@code %N}). */
    public static String stem(String name) {
        UnitType t = UnitType.ofName(name);
        return t == null ? name : name.substring(0, name.length() - t.suffix().length() - 1);
    }
}
