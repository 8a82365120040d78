package dev.svcmgr.core.http;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Transition;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.core.render.BootChart;
import dev.svcmgr.core.render.DependencyChart;
import dev.svcmgr.units.UnitNames;

import java.io.IOException;
import java.util.List;

/**
 * The status page: one HTML document made on the server (no framework; the page works without
 * JavaScript, and {@code /app.js} keeps it live from {@code /events}): the system state, every unit
 * with its state (coloured), why, restarts and description, the last transition's boot chart and the
 * dependency graph of one unit ({@code ?unit=NAME}, default {@code default.target}).
 */
final class Page {
    private Page() {}

    static String html(StatusServer.Backend b, String selected, boolean showLogs) throws IOException, InterruptedException {
        Reply.SystemState system = Api.system(b);
        List<UnitInfo> units = Api.detailed(b);
        String graphOf = selected != null && !selected.isBlank() ? UnitNames.fromUser(selected) : "default.target";
        String graph = graph(b, graphOf);
        String chart = chart(b);
        StringBuilder h = new StringBuilder(16_384 + units.size() * 300);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>svcmgr on ").append(esc(b.hostName())).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        h.append("<header><h1>svcmgr on ").append(esc(b.hostName())).append("</h1>")
                .append("<p>System: <strong id=\"system-state\" class=\"sys-").append(esc(system.state())).append("\">")
                .append(esc(system.state())).append("</strong> · <span id=\"jobs\">").append(system.jobs()).append(" jobs</span> · ")
                .append("<span id=\"failed\">").append(system.failed().isEmpty() ? "no failed units" : "failed: " + esc(String.join(", ", system.failed())))
                .append("</span> · <span id=\"live\" title=\"the page follows /events\">static</span> <span id=\"last-event\"></span></p>")
                .append("<nav><a href=\"/metrics\">/metrics</a> · <a href=\"/api/units\">/api/units</a> · <a href=\"/chart.svg\">boot chart</a></nav></header>\n");
        h.append("<main>\n<section><h2>Units (").append(units.size()).append(")</h2>\n<table id=\"units\"><thead><tr><th>Unit</th><th>State</th>")
                .append("<th>Restarts</th><th>Why</th><th>Description</th>").append(showLogs ? "<th>Log</th>" : "").append("</tr></thead><tbody>\n");
        for (UnitInfo u : units) row(h, u, showLogs);
        h.append("</tbody></table>\n");
        if (showLogs) h.append("<pre id=\"log\" hidden></pre>\n");
        h.append("</section>\n<section id=\"chart\"><h2>Last transition</h2>\n")
                .append(chart == null ? "<p>No transition yet.</p>" : chart).append("</section>\n");
        h.append("<section id=\"graph\"><h2>Dependencies of <code>").append(esc(graphOf)).append("</code></h2>\n")
                .append("<p>Pick a unit in the table to see its graph.</p>\n")
                .append(graph == null ? "<p>No unit " + esc(graphOf) + ".</p>" : graph).append("</section>\n</main>\n");
        h.append("<script src=\"/app.js\" data-logs=\"").append(showLogs).append("\"></script>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, UnitInfo u, boolean showLogs) {
        UnitInfo.Details d = u.details();
        Object restarts = d != null && d.supervision() != null ? d.supervision().restarts() : "";
        String why = d == null || d.cause() == null ? "" : d.cause();
        h.append("<tr data-unit=\"").append(esc(u.unit())).append("\" data-active=\"").append(esc(u.active())).append("\" data-sub=\"")
                .append(esc(u.sub())).append("\" class=\"st-").append(esc(u.active())).append("\">")
                .append("<td class=\"name\"><a href=\"/?unit=").append(esc(java.net.URLEncoder.encode(u.unit(), java.nio.charset.StandardCharsets.UTF_8)))
                .append("#graph\">").append(esc(u.unit())).append("</a></td>")
                .append("<td class=\"state\">").append(esc(u.active())).append(" (").append(esc(u.sub())).append(")</td>")
                .append("<td class=\"restarts\">").append(restarts).append("</td>")
                .append("<td class=\"why\">").append(esc(why)).append("</td>")
                .append("<td class=\"description\">").append(esc(u.description())).append("</td>");
        if (showLogs) h.append("<td><button type=\"button\" class=\"logs\">log</button></td>");
        h.append("</tr>\n");
    }

    /** The last transition's boot chart as an inline SVG element, or null when there was none. */
    static String chart(StatusServer.Backend b) throws IOException, InterruptedException {
        Transition t = Api.lastTransition(b);
        if (t == null) return null;
        String svg = BootChart.svg(t);
        return svg.substring(svg.indexOf("<svg"));
    }

    /** The dependency graph of {@code unit} as an SVG element, or null when no unit has that name. */
    static String graph(StatusServer.Backend b, String unit) throws IOException, InterruptedException {
        String n = UnitNames.fromUser(unit);
        if (!UnitNames.isValid(n)) return null;
        Reply r = b.call(new Request.Graph(n), false);
        if (!(r instanceof Reply.Graph g)) return null;
        return DependencyChart.svg(g, n);
    }

    static String esc(Object o) { return BootChart.esc(o); }

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:0 1.5em 2em;color:#222}
            header p,nav{margin:.3em 0}
            table{border-collapse:collapse;width:100%;font-size:14px}
            th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #e5e5e5;vertical-align:top}
            th{background:#f5f5f5;position:sticky;top:0}
            td.why{color:#555;font-size:12px;max-width:40em}
            tr.st-active td.state{color:#1e7b1e;font-weight:600}
            tr.st-failed td.state,tr.st-failed td.name a{color:#c0392b;font-weight:600}
            tr.st-starting td.state,tr.st-stopping td.state{color:#b26a00;font-weight:600}
            tr.st-inactive td.state{color:#777}
            .sys-running{color:#1e7b1e}.sys-degraded{color:#c0392b}.sys-starting,.sys-stopping{color:#b26a00}
            #live.on{color:#1e7b1e}
            section{margin-top:1.5em;overflow-x:auto}
            pre#log{background:#111;color:#eee;padding:.6em;max-height:24em;overflow:auto}
            """;

    /** {@code /app.js}: keeps the rows, the system line and new units live from {@code /events}; no framework. */
    static String script() {
        return """
                'use strict';
                (function () {
                  const tbody = document.querySelector('#units tbody');
                  const rows = new Map();
                  tbody.querySelectorAll('tr[data-unit]').forEach(r => rows.set(r.dataset.unit, r));
                  const logs = document.currentScript && document.currentScript.dataset.logs === 'true';
                  function text(r, cls, t) { const c = r.querySelector('td.' + cls); if (c) c.textContent = t; }
                  function rowFor(unit) {
                    let r = rows.get(unit);
                    if (r) return r;
                    r = document.createElement('tr');
                    r.dataset.unit = unit;
                    r.innerHTML = '<td class="name"><a></a></td><td class="state"></td><td class="restarts"></td>' +
                      '<td class="why"></td><td class="description"></td>' + (logs ? '<td><button type="button" class="logs">log</button></td>' : '');
                    const a = r.querySelector('a');
                    a.href = '/?unit=' + encodeURIComponent(unit) + '#graph';
                    a.textContent = unit;
                    const names = [...rows.keys(), unit].sort();
                    const next = rows.get(names[names.indexOf(unit) + 1]);
                    tbody.insertBefore(r, next || null);
                    rows.set(unit, r);
                    return r;
                  }
                  function setState(unit, active, sub) {
                    const r = rowFor(unit);
                    r.dataset.active = active;
                    r.dataset.sub = sub;
                    r.className = 'st-' + active;
                    text(r, 'state', active + ' (' + sub + ')');
                  }
                  async function refreshUnit(unit) {
                    const res = await fetch('/api/units/' + encodeURIComponent(unit));
                    if (!res.ok) return;
                    const u = await res.json();
                    const r = rowFor(unit);
                    if (u.restarts !== undefined) text(r, 'restarts', String(u.restarts));
                    text(r, 'why', u.cause || '');
                    text(r, 'description', u.description || '');
                  }
                  async function refreshAll() {
                    const res = await fetch('/api/units');
                    if (!res.ok) return;
                    for (const u of await res.json()) setState(u.unit, u.active, u.sub);
                  }
                  let systemTimer = null;
                  function refreshSystem() {
                    if (systemTimer) return;
                    systemTimer = setTimeout(async () => {
                      systemTimer = null;
                      const res = await fetch('/api/system');
                      if (!res.ok) return;
                      const s = await res.json();
                      const e = document.getElementById('system-state');
                      e.textContent = s.state;
                      e.className = 'sys-' + s.state;
                      document.getElementById('jobs').textContent = s.jobs + ' jobs';
                      document.getElementById('failed').textContent = s.failed.length ? 'failed: ' + s.failed.join(', ') : 'no failed units';
                    }, 200);
                  }
                  const live = document.getElementById('live');
                  const events = new EventSource('/events');
                  events.onopen = () => { live.textContent = 'live'; live.className = 'on'; refreshAll(); refreshSystem(); };
                  events.onerror = () => { live.textContent = 'reconnecting'; live.className = ''; };
                  events.onmessage = m => {
                    const e = JSON.parse(m.data);
                    setState(e.unit, e.active, e.sub);
                    refreshUnit(e.unit);
                    refreshSystem();
                    document.getElementById('last-event').textContent = '(event ' + m.lastEventId + ')';
                  };
                  if (logs) {
                    tbody.addEventListener('click', async ev => {
                      if (!ev.target.classList.contains('logs')) return;
                      const unit = ev.target.closest('tr').dataset.unit;
                      const res = await fetch('/api/logs/' + encodeURIComponent(unit));
                      const pre = document.getElementById('log');
                      pre.hidden = false;
                      pre.textContent = res.ok ? unit + '\\n' + ((await res.json()).lines || []).join('\\n') : await res.text();
                    });
                  }
                })();
                """;
    }
}
