package dev.svcmgr.units.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * systemd's word splitting (systemd.syntax(7) "Quoting", systemd.service(5) "Command lines"):
 * words are separated by whitespace; single and double quotes group a word's characters (and
 * are removed); C-style escapes ({@code \n \t \\ \" \' \s \xHH \NNN \\uXXXX}) are decoded in and
 * outside quotes (an unknown one stays as written); in a command line a lone unquoted {@code ;} separates commands and
 * {@code \;} is a literal semicolon word.
 */
public final class Words {
    private Words() {}

    /** One word: its text and whether it was a lone unquoted {@code ;}. */
    record Token(String text, boolean separator) {}

    /** Splits a value into words; {@link IllegalArgumentException} for an unclosed quote or a bad escape. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (Token t : tokens(s)) out.add(t.text);
        return out;
    }

    static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (true) {
            while (i < n && IniFile.isSpace(s.charAt(i))) i++;
            if (i >= n) return out;
            StringBuilder w = new StringBuilder();
            boolean plain = true;
            char quote = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (quote == 0 && IniFile.isSpace(c)) break;
                if (c == '\\') {
                    i = escape(s, i, w);
                    plain = false;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                    plain = false;
                } else if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            }
            if (quote != 0) throw new IllegalArgumentException("unclosed " + (quote == '"' ? "double" : "single") + " quote");
            out.add(new Token(w.toString(), plain && w.toString().equals(";")));
        }
    }

    /** Decodes the escape at {@code s[i]} (a backslash) into {@code w}; returns the index of its last character. */
    private static int escape(String s, int i, StringBuilder w) {
        if (i + 1 >= s.length()) throw new IllegalArgumentException("a lone backslash at the end");
        char c = s.charAt(i + 1);
        switch (c) {
            case 'a' -> w.append('\u0007');
            case 'b' -> w.append('\b');
            case 'f' -> w.append('\f');
            case 'n' -> w.append('\n');
            case 'r' -> w.append('\r');
            case 't' -> w.append('\t');
            case 'v' -> w.append('\u000b');
            case 's' -> w.append(' ');
            case '\\', '"', '\'', ';', ' ' -> w.append(c);
            case 'x' -> {
                return hex(s, i, 2, w);
            }
            case 'u' -> {
                return hex(s, i, 4, w);
            }
            case 'U' -> {
                return hex(s, i, 8, w);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    if (i + 3 >= s.length()) throw new IllegalArgumentException("bad octal escape \\" + s.substring(i + 1));
                    String oct = s.substring(i + 1, i + 4);
                    if (!oct.matches("[0-7]{3}")) throw new IllegalArgumentException("bad octal escape \\" + oct);
                    int v = Integer.parseInt(oct, 8);
                    if (v == 0) throw new IllegalArgumentException("escape \\000 (a NUL byte) is not allowed");
                    w.append((char) v);
                    return i + 3;
                }
                w.append('\\').append(c); // an unknown escape stays as written (systemd's relaxed unescaping)
            }
        }
        return i + 1;
    }

    private static int hex(String s, int i, int digits, StringBuilder w) {
        int start = i + 2, end = start + digits;
        if (end > s.length() || !s.substring(start, end).matches("[0-9a-fA-F]+"))
            throw new IllegalArgumentException("bad escape \\" + s.charAt(i + 1) + " (expected " + digits + " hex digits)");
        int v = Integer.parseInt(s.substring(start, end), 16);
        if (v == 0) throw new IllegalArgumentException("escape of a NUL byte is not allowed");
        w.appendCodePoint(v);
        return end - 1;
    }

    /**
     * One command of an {@code Exec*=} line: its words (the path first), and the prefixes:
     * {@code -} ignore failure, {@code +} privileged, {@code !}/{@code !!} privileged without
     * the user change, {@code :} no variable expansion, {@code @} the second word is argv[0].
     */
    public record Command(List<String> argv, boolean ignoreFailure, boolean privileged, boolean elevated, boolean noExpand,
                          String argv0) {}

    /** The commands of one {@code Exec*=} value (several when separated by a lone {@code ;}). */
    public static List<Command> commands(String value) {
        List<Command> out = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        for (Token t : tokens(value)) {
            if (t.separator) {
                if (!cur.isEmpty()) out.add(command(cur));
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        if (!cur.isEmpty()) out.add(command(cur));
        return out;
    }

    private static Command command(List<Token> ts) {
        String first = ts.get(0).text;
        boolean ignore = false, priv = false, elev = false, noExp = false, at = false;
        int p = 0;
        for (; p < first.length(); p++) {
            char c = first.charAt(p);
            if (c == '-') ignore = true;
            else if (c == '+') priv = true;
            else if (c == '!') elev = true;
            else if (c == ':') noExp = true;
            else if (c == '@') at = true;
            else break;
        }
        List<String> argv = new ArrayList<>();
        String path = first.substring(p);
        if (path.isEmpty()) throw new IllegalArgumentException("a command prefix '" + first + "' without a command");
        argv.add(path);
        String argv0 = null;
        for (int i = 1; i < ts.size(); i++) {
            if (at && i == 1) argv0 = ts.get(i).text;
            else argv.add(ts.get(i).text);
        }
        if (at && argv0 == null) throw new IllegalArgumentException("'@' without an argv[0] word after the command");
        return new Command(List.copyOf(argv), ignore, priv, elev, noExp, argv0);
    }
}
