package dev.svcmgr.cli.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Human renderings shared by the client commands (systemctl-like). */
public final class Render {
    private Render() {}

    private static final String RESET = "\u001b[0m";

    /** True when stdout is a terminal and colours are wanted. */
    public static boolean colour() {
        return System.console() != null && System.getenv("NO_COLOR") == null;
    }

    /** A {@code ●} coloured by state on a terminal, plain otherwise. */
    public static String dot(String active, boolean colour) {
        if (!colour) return "\u25cf";
        String c = switch (active == null ? "" : active) {
            case "active" -> "\u001b[32m";
            case "failed" -> "\u001b[31m";
            case "starting", "stopping" -> "\u001b[33m";
            default -> "";
        };
        return c.isEmpty() ? "\u25cf" : c + "\u25cf" + RESET;
    }

    /** {@code 3s ago}, {@code 2min 5s ago}, {@code 1h 2min ago}. */
    public static String ago(Instant since, Instant now) {
        long s = Math.max(0, Duration.between(since, now).getSeconds());
        if (s < 60) return s + "s ago";
        if (s < 3600) return (s / 60) + "min " + (s % 60) + "s ago";
        if (s < 86400) return (s / 3600) + "h " + ((s % 3600) / 60) + "min ago";
        return (s / 86400) + "d " + ((s % 86400) / 3600) + "h ago";
    }

    private static String s(Object o) { return o == null ? "" : o.toString(); }

    /** The systemctl-like block for one unit; {@code logs} are the last log lines. */
    public static String status(Map<String, Object> u, List<String> logs, boolean colour) {
        StringBuilder b = new StringBuilder();
        String desc = s(u.get("description"));
        b.append(dot(s(u.get("active")), colour)).append(' ').append(u.get("unit"));
        if (!desc.isEmpty()) b.append(" - ").append(desc);
        b.append('\n');
        String frag = s(u.get("fragment-path"));
        b.append("     Loaded: ").append(u.get("load"));
        if (!frag.isEmpty()) b.append(" (").append(frag).append("; ").append(s(u.get("enabled"))).append(')');
        b.append('\n');
        Object dropIns = u.get("drop-ins");
        if (dropIns instanceof List<?> l && !l.isEmpty()) {
            b.append("    Drop-In: ");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) b.append("\n             ");
                b.append(l.get(i));
            }
            b.append('\n');
        }
        b.append("     Active: ").append(u.get("active")).append(" (").append(u.get("sub")).append(')');
        Object since = u.get("since");
        if (since instanceof String t && !t.isEmpty()) {
            Instant i = Instant.parse(t);
            b.append(" since ").append(t).append("; ").append(ago(i, Instant.now()));
        }
        b.append('\n');
        Object result = u.get("result");
        if (result != null && !"success".equals(result)) {
            b.append("     Result: ").append(result);
            if (u.get("result-detail") != null) b.append(" (").append(u.get("result-detail")).append(')');
            b.append('\n');
        }
        if (u.get("cause") != null) b.append("        Why: ").append(u.get("cause")).append('\n');
        if (u.get("restarts") instanceof Number n && n.longValue() > 0) b.append("   Restarts: ").append(n).append('\n');
        Object failures = u.get("failures");
        if (failures instanceof List<?> fl && !fl.isEmpty() && fl.get(fl.size() - 1) instanceof Map<?, ?> last) {
            b.append("  Last fail: ").append(last.get("result"));
            if (last.get("detail") != null) b.append(" (").append(last.get("detail")).append(')');
            b.append(" at ").append(last.get("time")).append('\n');
        }
        if (u.get("status-text") != null) b.append("     Status: \"").append(u.get("status-text")).append("\"\n");
        if (u.get("main-pid") != null) b.append("   Main PID: ").append(u.get("main-pid")).append('\n');
        if (u.get("tasks") != null && !"0".equals(s(u.get("tasks")))) b.append("      Tasks: ").append(u.get("tasks")).append('\n');
        if (u.get("memory") != null) b.append("     Memory: ").append(u.get("memory")).append('\n');
        Object warnings = u.get("warnings");
        if (warnings instanceof List<?> wl) for (Object w : wl) b.append("    Warning: ").append(w).append('\n');
        Object problems = u.get("problems");
        if (problems instanceof List<?> pl) for (Object p : pl) b.append("    Problem: ").append(p).append('\n');
        if (Boolean.TRUE.equals(u.get("needs-daemon-reload"))) {
            b.append("    Warning: the unit file changed on disk; run 'svcmgr daemon-reload'\n");
        }
        if (Boolean.TRUE.equals(u.get("changed-since-start"))) {
            b.append("    Warning: running with the definition it was started with; restart to apply the new one\n");
        }
        if (logs != null && !logs.isEmpty()) {
            b.append('\n');
            for (String line : logs) b.append(line).append('\n');
        }
        return b.toString();
    }

    /** A left-aligned table with a header row. */
    public static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length - 1; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        appendRow(b, header, w);
        for (List<String> r : rows) appendRow(b, r, w);
        return b.toString();
    }

    private static void appendRow(StringBuilder b, List<String> r, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            line.append(r.get(i));
            if (i < r.size() - 1) line.append(" ".repeat(w[i] - r.get(i).length() + 1));
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }
}
