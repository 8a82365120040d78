package dev.svcmgr.core.render;

import dev.svcmgr.core.protocol.Transition;
import dev.svcmgr.units.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The boot chart of one transition as an SVG document ({@code svcmgr analyze plot}, the status
 * page): one bar per unit, light while its job waited for the jobs it is ordered after, amber while
 * it was starting (grey: stopping), green once active until the transition ended, red when it
 * failed; each bar's duration written after it, and a legend.
 */
public final class BootChart {
    private BootChart() {}

    static final int ROW = 18;
    static final int LABEL = 260;
    static final int WIDTH = 1000;
    static final int TOP = 50;

    public static String esc(Object o) {
        return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The chart of one transition as an SVG document. */
    public static String svg(Transition t) {
        List<Transition.Job> jobs = new ArrayList<>(t.jobs());
        jobs.removeIf(j -> j.startMs() == null);
        jobs.sort(Comparator.comparingLong((Transition.Job j) -> j.startMs()).thenComparing(Transition.Job::unit));
        long total = Math.max(1, Duration.between(Instant.parse(t.started()), Instant.parse(t.finished())).toMillis());
        double scale = (double) WIDTH / total;
        int height = TOP + jobs.size() * ROW + 30 + LEGEND;
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LABEL + WIDTH + 40).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<title>svcmgr transition ").append(esc(t.tx())).append(": ").append(esc(t.request())).append("</title>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">").append(esc(t.request()))
                .append(" (").append(total).append(" ms, ").append(jobs.size()).append(" jobs)</text>\n");
        long step = niceStep(total);
        for (long ms = 0; ms <= total; ms += step) {
            double x = LABEL + ms * scale;
            b.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP - 10).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(height - 20 - LEGEND).append("\" stroke=\"#ddd\"/>");
            b.append("<text x=\"").append(fmt(x + 2)).append("\" y=\"").append(TOP - 14).append("\" fill=\"#666\">")
                    .append(ms).append("ms</text>\n");
        }
        int row = 0;
        for (Transition.Job j : jobs) {
            int y = TOP + row * ROW;
            long s = num(j.startMs());
            long e = num(j.endMs());
            boolean failed = j.result() != null && !"success".equals(j.result()) && !"condition".equals(j.result());
            boolean stop = "stop".equals(j.job());
            b.append("<g class=\"unit\" data-unit=\"").append(esc(j.unit())).append("\">");
            b.append("<text x=\"").append(LABEL - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\">")
                    .append(esc(j.unit())).append(stop ? " (stop)" : "").append("</text>");
            bar(b, 0, s, y, scale, "#e8eef7", "waiting");
            bar(b, s, e, y, scale, failed ? "#d9534f" : stop ? "#9aa5b1" : "#f0ad4e", stop ? "stopping" : "starting");
            if (!failed && !stop) bar(b, e, total, y, scale, "#5cb85c", "active");
            // the job's own duration, written just after its starting (stopping) bar
            b.append("<text class=\"duration\" x=\"").append(fmt(LABEL + e * scale + 4)).append("\" y=\"").append(y + 13)
                    .append("\" fill=\"#222\" font-size=\"11\">").append(e - s <= 0 ? "0ms" : esc(Durations.format(Duration.ofMillis(e - s))))
                    .append(failed ? " (" + esc(j.result()) + ")" : "").append("</text>");
            b.append("</g>\n");
            row++;
        }
        legend(b, height - LEGEND + 4);
        b.append("</svg>\n");
        return b.toString();
    }

    /** Height of the legend row under the bars. */
    static final int LEGEND = 26;

    /** What each colour means, in one row. */
    private static void legend(StringBuilder b, int y) {
        String[][] keys = {{"#e8eef7", "waiting for the jobs it is ordered after"}, {"#f0ad4e", "starting"},
                {"#5cb85c", "active"}, {"#9aa5b1", "stopping"}, {"#d9534f", "failed"}};
        b.append("<g class=\"legend\">");
        int x = LABEL;
        for (String[] k : keys) {
            b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(k[0]).append("\" stroke=\"#999\"/>");
            b.append("<text x=\"").append(x + 16).append("\" y=\"").append(y + 11).append("\">").append(esc(k[1])).append("</text>");
            x += 16 + 7 * k[1].length() + 18;
        }
        b.append("<text x=\"").append(x).append("\" y=\"").append(y + 11).append("\" fill=\"#666\">(the time after a bar: how long its job took)</text>");
        b.append("</g>\n");
    }

    private static void bar(StringBuilder b, long from, long to, int y, double scale, String colour, String what) {
        double w = Math.max(1, (to - from) * scale);
        b.append("<rect class=\"").append(what).append("\" x=\"").append(fmt(LABEL + from * scale)).append("\" y=\"")
                .append(y + 2).append("\" width=\"").append(fmt(w)).append("\" height=\"").append(ROW - 4)
                .append("\" fill=\"").append(colour).append("\"><title>").append(what).append(' ').append(to - from)
                .append(" ms</title></rect>");
    }

    private static long num(Long ms) { return ms == null ? 0 : ms; }

    private static String fmt(double d) { return String.format(java.util.Locale.ROOT, "%.1f", d); }

    private static long niceStep(long total) {
        long[] steps = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000};
        for (long s : steps) if (total / s <= 12) return s;
        return 120000;
    }
}
