package dev.svcmgr.cli.client;

import dev.svcmgr.core.protocol.UnitInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

    /** The systemctl-like block for one unit; {@code logs} are the last log lines. */
    public static String status(UnitInfo u, List<String> logs, boolean colour) {
        StringBuilder b = new StringBuilder();
        UnitInfo.Details d = u.details();
        String desc = u.description();
        b.append(dot(u.active(), colour)).append(' ').append(u.unit());
        if (!desc.isEmpty()) b.append(" - ").append(desc);
        b.append('\n');
        String frag = u.fragmentPath() == null ? "" : u.fragmentPath();
        b.append("     Loaded: ").append(u.load());
        if (!frag.isEmpty()) b.append(" (").append(frag).append("; ").append(u.enabled() == null ? "" : u.enabled()).append(')');
        b.append('\n');
        List<String> dropIns = d == null ? List.of() : d.dropIns();
        if (!dropIns.isEmpty()) {
            b.append("    Drop-In: ");
            for (int i = 0; i < dropIns.size(); i++) {
                if (i > 0) b.append("\n             ");
                b.append(dropIns.get(i));
            }
            b.append('\n');
        }
        b.append("     Active: ").append(u.active()).append(" (").append(u.sub()).append(')');
        if (u.since() != null && !u.since().isEmpty()) {
            Instant i = Instant.parse(u.since());
            b.append(" since ").append(u.since()).append("; ").append(ago(i, Instant.now()));
        }
        b.append('\n');
        if (u.result() != null && !"success".equals(u.result())) {
            b.append("     Result: ").append(u.result());
            if (d != null && d.resultDetail() != null) b.append(" (").append(d.resultDetail()).append(')');
            b.append('\n');
        }
        if (d != null && d.cause() != null) b.append("        Why: ").append(d.cause()).append('\n');
        UnitInfo.Supervision sup = d == null ? null : d.supervision();
        if (sup != null && sup.restarts() > 0) b.append("   Restarts: ").append(sup.restarts()).append('\n');
        if (sup != null && !sup.failures().isEmpty()) {
            UnitInfo.Failure last = sup.failures().get(sup.failures().size() - 1);
            b.append("  Last fail: ").append(last.result());
            if (last.detail() != null) b.append(" (").append(last.detail()).append(')');
            b.append(" at ").append(last.time()).append('\n');
        }
        if (d != null && d.statusText() != null) b.append("     Status: \"").append(d.statusText()).append("\"\n");
        if (u.mainPid() != null) b.append("   Main PID: ").append(u.mainPid()).append('\n');
        UnitInfo.Processes proc = d == null ? null : d.processes();
        if (proc != null && proc.tasks() != 0) b.append("      Tasks: ").append(proc.tasks()).append('\n');
        if (proc != null && proc.memory() != null) b.append("     Memory: ").append(proc.memory()).append('\n');
        if (sup != null) for (String w : sup.warnings()) b.append("    Warning: ").append(w).append('\n');
        if (d != null) for (String p : d.problems()) b.append("    Problem: ").append(p).append('\n');
        if (d != null && d.needsDaemonReload()) {
            b.append("    Warning: the unit file changed on disk; run 'svcmgr daemon-reload'\n");
        }
        if (proc != null && proc.changedSinceStart()) {
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
        return table(header, rows, true);
    }

    /** {@link #table(List, List)}, without its header line when {@code legend} is false ({@code --no-legend}). */
    public static String table(List<String> header, List<List<String>> rows, boolean legend) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length - 1; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        if (legend) appendRow(b, header, w);
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
