package dev.svcmgr.core.http;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Transition;
import dev.svcmgr.core.protocol.UnitInfo;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /metrics} in the Prometheus text exposition format (version 0.0.4), with the names of
 * cli.md: {@code svcmgr_unit_active}, {@code svcmgr_unit_restarts_total}, {@code
 * svcmgr_unit_start_seconds}, {@code svcmgr_unit_memory_bytes}, {@code svcmgr_units}, {@code
 * svcmgr_events_total}, and {@code svcmgr_unit_cpu_seconds_total} where the CPU time is known.
 */
final class Metrics {
    private Metrics() {}

    static String text(StatusServer.Backend b) throws IOException, InterruptedException {
        List<UnitInfo> units = Api.detailed(b);
        Map<String, Double> startSeconds = lastStarts(b);
        StringBuilder m = new StringBuilder();
        head(m, "svcmgr_unit_active", "gauge", "One sample of value 1 per loaded unit, labelled with its current state.");
        for (UnitInfo u : units) {
            m.append("svcmgr_unit_active{unit=\"").append(esc(u.unit())).append("\",type=\"").append(esc(type(u)))
                    .append("\",active=\"").append(esc(u.active())).append("\",sub=\"").append(esc(u.sub())).append("\"} 1\n");
        }
        head(m, "svcmgr_unit_restarts_total", "counter", "Automatic restarts of the unit since its last reset-failed.");
        for (UnitInfo u : units) {
            if (u.details() != null && u.details().supervision() != null) {
                m.append("svcmgr_unit_restarts_total{unit=\"").append(esc(u.unit())).append("\"} ")
                        .append(u.details().supervision().restarts()).append('\n');
            }
        }
        head(m, "svcmgr_unit_start_seconds", "gauge", "How long the unit's last start job took, in seconds.");
        for (Map.Entry<String, Double> e : startSeconds.entrySet()) {
            m.append("svcmgr_unit_start_seconds{unit=\"").append(esc(e.getKey())).append("\"} ").append(num(e.getValue())).append('\n');
        }
        head(m, "svcmgr_unit_memory_bytes", "gauge", "Memory in use by the unit's processes (its cgroup's, else their resident memory).");
        for (UnitInfo u : units) {
            var p = u.details() == null ? null : u.details().processes();
            if (p != null && p.memoryBytes() != null) {
                m.append("svcmgr_unit_memory_bytes{unit=\"").append(esc(u.unit())).append("\"} ").append(p.memoryBytes()).append('\n');
            }
        }
        head(m, "svcmgr_unit_cpu_seconds_total", "counter", "CPU time used by the unit's processes, in seconds.");
        for (UnitInfo u : units) {
            var p = u.details() == null ? null : u.details().processes();
            if (p != null && p.cpuNanos() != null) {
                m.append("svcmgr_unit_cpu_seconds_total{unit=\"").append(esc(u.unit())).append("\"} ").append(num(p.cpuNanos() / 1e9)).append('\n');
            }
        }
        head(m, "svcmgr_units", "gauge", "Loaded units by active state.");
        Map<String, Integer> byState = new TreeMap<>();
        for (String s : List.of("active", "inactive", "failed", "starting", "stopping")) byState.put(s, 0);
        for (UnitInfo u : units) byState.merge(u.active(), 1, Integer::sum);
        byState.forEach((s, n) -> m.append("svcmgr_units{active=\"").append(esc(s)).append("\"} ").append(n).append('\n'));
        head(m, "svcmgr_events_total", "counter", "State changes since the daemon started (the last event's sequence number).");
        m.append("svcmgr_events_total ").append(b.eventsSoFar()).append('\n');
        return m.toString();
    }

    /** Each unit's last start job in the kept transitions, oldest first so that later ones win. */
    private static Map<String, Double> lastStarts(StatusServer.Backend b) throws IOException, InterruptedException {
        Map<String, Double> out = new TreeMap<>();
        List<Transition> ts = Api.expect(b.call(new Request.Analyze(), false), Reply.Analyze.class).transitions();
        for (Transition t : ts) {
            for (Transition.Job j : t.jobs()) {
                if (j.job().equals("start") && j.startMs() != null && j.endMs() != null) out.put(j.unit(), (j.endMs() - j.startMs()) / 1000.0);
            }
        }
        return out;
    }

    private static String type(UnitInfo u) {
        if (u.details() != null && u.details().type() != null) return u.details().type();
        int dot = u.unit().lastIndexOf('.');
        return dot < 0 ? "" : u.unit().substring(dot + 1);
    }

    private static void head(StringBuilder m, String name, String type, String help) {
        m.append("# HELP ").append(name).append(' ').append(help).append('\n');
        m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A label value: backslash, double quote and line feed escaped, as the format asks. */
    static String esc(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.6f", d);
    }

}
