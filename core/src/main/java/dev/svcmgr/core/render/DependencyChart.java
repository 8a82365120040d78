package dev.svcmgr.core.render;

import dev.svcmgr.core.protocol.Reply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dependency graph of one unit as an SVG document, without Graphviz: the unit at the top, each
 * unit it pulls in (requires, wants, requisite, binds-to, part-of) one row below the nearest unit
 * that pulls it in, boxes coloured by state; requirement edges solid, ordering dashed, conflicts
 * dotted. Very large graphs are cut at {@link #MAX_NODES} units (the title says so).
 */
public final class DependencyChart {
    private DependencyChart() {}

    static final int MAX_NODES = 400;
    static final int BOX_W = 190, BOX_H = 24, GAP_X = 20, GAP_Y = 46, MARGIN = 20;

    /** Fill colour of a unit's box by its active state. */
    public static String colour(String active) {
        return switch (active == null ? "" : active) {
            case "active" -> "#5cb85c";
            case "failed" -> "#d9534f";
            case "starting", "stopping" -> "#f0ad4e";
            default -> "#e4e7eb";
        };
    }

    public static String svg(Reply.Graph g, String root) {
        Map<String, Reply.Graph.Node> nodes = new HashMap<>();
        for (Reply.Graph.Node n : g.nodes()) nodes.put(n.unit(), n);
        Map<String, List<String>> pulls = new HashMap<>();
        for (Reply.Graph.Edge e : g.edges()) {
            if (e.kind().equals("after") || e.kind().equals("conflicts")) continue;
            pulls.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
        }
        // rows: breadth first from the root along the pulling edges; then anything the graph holds besides
        Map<String, Integer> depth = new HashMap<>();
        ArrayDeque<String> work = new ArrayDeque<>();
        if (nodes.containsKey(root)) {
            depth.put(root, 0);
            work.add(root);
        }
        while (!work.isEmpty()) {
            String u = work.poll();
            for (String v : pulls.getOrDefault(u, List.of())) {
                if (!depth.containsKey(v) && nodes.containsKey(v)) {
                    depth.put(v, depth.get(u) + 1);
                    work.add(v);
                }
            }
        }
        int last = depth.values().stream().max(Integer::compare).orElse(-1);
        for (String u : new java.util.TreeSet<>(nodes.keySet())) if (!depth.containsKey(u)) depth.put(u, last + 1);
        TreeMap<Integer, List<String>> rows = new TreeMap<>();
        depth.forEach((u, d) -> rows.computeIfAbsent(d, k -> new ArrayList<>()).add(u));
        Map<String, int[]> at = new HashMap<>();
        int shown = 0, widest = 1;
        boolean cut = false;
        for (Map.Entry<Integer, List<String>> row : rows.entrySet()) {
            List<String> us = row.getValue();
            us.sort(null);
            int x = 0;
            for (String u : us) {
                if (shown >= MAX_NODES) {
                    cut = true;
                    break;
                }
                at.put(u, new int[] {MARGIN + x * (BOX_W + GAP_X), MARGIN + 30 + row.getKey() * (BOX_H + GAP_Y)});
                x++;
                shown++;
            }
            widest = Math.max(widest, x);
        }
        int width = MARGIN * 2 + widest * (BOX_W + GAP_X);
        int height = MARGIN * 2 + 30 + (rows.isEmpty() ? 1 : rows.lastKey() + 1) * (BOX_H + GAP_Y);
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dependency-graph\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<text x=\"").append(MARGIN).append("\" y=\"").append(MARGIN + 4).append("\" font-size=\"13\" font-weight=\"bold\">")
                .append(BootChart.esc(root)).append(": what it pulls in").append(cut ? " (first " + MAX_NODES + " units)" : "")
                .append("</text>\n");
        for (Reply.Graph.Edge e : g.edges()) {
            int[] a = at.get(e.from()), z = at.get(e.to());
            if (a == null || z == null) continue;
            String dash = e.kind().equals("after") ? " stroke-dasharray=\"5,3\"" : e.kind().equals("conflicts") ? " stroke-dasharray=\"2,3\"" : "";
            b.append("<line class=\"edge ").append(BootChart.esc(e.kind())).append("\" x1=\"").append(a[0] + BOX_W / 2).append("\" y1=\"")
                    .append(a[1] + BOX_H).append("\" x2=\"").append(z[0] + BOX_W / 2).append("\" y2=\"").append(z[1])
                    .append("\" stroke=\"#888\"").append(dash).append("><title>").append(BootChart.esc(e.from() + " " + e.kind() + " " + e.to()))
                    .append("</title></line>\n");
        }
        for (Map.Entry<String, int[]> n : new TreeMap<>(at).entrySet()) {
            Reply.Graph.Node node = nodes.get(n.getKey());
            int[] p = n.getValue();
            b.append("<g class=\"node\" data-unit=\"").append(BootChart.esc(node.unit())).append("\" data-active=\"")
                    .append(BootChart.esc(node.active())).append("\"><rect x=\"").append(p[0]).append("\" y=\"").append(p[1])
                    .append("\" width=\"").append(BOX_W).append("\" height=\"").append(BOX_H).append("\" rx=\"4\" fill=\"")
                    .append(colour(node.active())).append("\" stroke=\"#555\"/><text x=\"").append(p[0] + 6).append("\" y=\"")
                    .append(p[1] + 16).append("\">").append(BootChart.esc(node.unit())).append("</text><title>")
                    .append(BootChart.esc(node.unit() + ": " + node.active())).append("</title></g>\n");
        }
        b.append("</svg>\n");
        return b.toString();
    }
}
