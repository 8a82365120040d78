package dev.svcmgr.units.systemd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A systemd unit file lexed by systemd's rules (systemd.syntax(7)): {@code [Section]} headers,
 * {@code Key=Value} assignments with the whitespace around key and value removed, comment lines
 * starting with {@code #} or {@code ;} (also inside a continuation), and a line ending in
 * {@code \} continued on the next (the backslash becomes a space). Repeated keys are kept in
 * order: what a repetition or an empty value means is the mapping's business.
 *
 * @param entries every assignment in file order
 */
public record IniFile(List<Entry> entries) {
    /** One assignment, with the line where it starts (1-based). */
    public record Entry(String section, String key, String value, int line) {}

    /** A file that is not a systemd unit file: where and why. */
    public static final class SyntaxError extends Exception {
        private final int line;

        public SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }

        /** The 1-based line, 0 for the whole file. */
        public int line() { return line; }
    }

    /** Largest file read, as for unit YAML. */
    public static final int MAX_BYTES = 1 << 20;

    /** Decodes UTF-8 strictly and lexes. */
    public static IniFile parse(byte[] bytes) throws SyntaxError {
        if (bytes.length > MAX_BYTES) throw new SyntaxError(0, "file larger than 1 MiB");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxError(0, "invalid UTF-8");
        }
        return parse(text);
    }

    /** Lexes {@code text}. */
    public static IniFile parse(String text) throws SyntaxError {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        String section = null;
        StringBuilder cont = null;
        int contLine = 0;
        for (int i = 0; i <= lines.length; i++) { // one empty line more ends a continuation on the last line
            int no = i + 1;
            String l = i < lines.length ? strip(lines[i]) : "";
            if (cont != null && (l.startsWith("#") || l.startsWith(";"))) continue; // comments inside a continuation
            if (cont == null && (l.isEmpty() || l.startsWith("#") || l.startsWith(";"))) continue;
            boolean continues = l.endsWith("\\");
            String body = continues ? l.substring(0, l.length() - 1) : l;
            if (cont != null) {
                cont.append(' ').append(body);
                if (continues) continue;
                l = cont.toString();
                cont = null;
                no = contLine;
            } else if (continues) {
                cont = new StringBuilder(body);
                contLine = no;
                continue;
            }
            if (l.startsWith("[")) {
                if (!l.endsWith("]") || l.length() < 3) throw new SyntaxError(no, "invalid section header '" + shown(l) + "' (expected [Name])");
                section = l.substring(1, l.length() - 1);
                continue;
            }
            if (l.startsWith(".include ")) throw new SyntaxError(no, ".include is not supported (systemd dropped it too; use a drop-in)");
            int eq = l.indexOf('=');
            if (eq < 0) throw new SyntaxError(no, "expected Key=Value or [Section], got '" + shown(l) + "'");
            String key = strip(l.substring(0, eq));
            if (key.isEmpty()) throw new SyntaxError(no, "assignment without a key: '" + shown(l) + "'");
            if (section == null) throw new SyntaxError(no, "assignment '" + key + "=' outside any [Section]");
            out.add(new Entry(section, key, strip(l.substring(eq + 1)), no));
        }
        return new IniFile(List.copyOf(out));
    }

    private static String strip(String s) {
        int a = 0, b = s.length();
        while (a < b && isSpace(s.charAt(a))) a++;
        while (b > a && isSpace(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    /** A value as messages quote it: one line, control characters escaped, at most 80 characters ({@link dev.svcmgr.units.UnitNames#shown}). */
    static String shown(String s) { return dev.svcmgr.units.UnitNames.shown(s); }
}
