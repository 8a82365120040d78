package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze blame, critical-chain and plot against a real boot. */
class AnalyzeTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    @Test
    @DisplayName("blame lists slowest first, critical-chain follows the slowest wait, plot is an SVG with one bar group per unit, each with its duration, and a legend")
    @SuppressWarnings("unchecked")
    void analyzeTheBoot() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-analyze-"));
        Path ready = h.base.resolve("slow-ready");
        h.unit("fast.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("slow.service.yaml", "exec: [/bin/sh, -c, 'sleep 0.4; touch " + ready + "; exec sleep 1000']\n"
                + "ready: {path: " + ready + "}\n");
        h.unit("app.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [slow.service, fast.service]\n");
        h.unit("default.target.yaml", "wants: [app.service]\n");
        h.start();
        assertEquals(0, h.cli("is-system-running", "--wait").code());
        DaemonHarness.Cli blame = h.cli("analyze", "blame", "--transition", "boot", "--json");
        assertEquals(0, blame.code(), blame.toString());
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(blame.out());
        assertEquals("slow.service", rows.get(0).get("unit"), blame.out());
        assertTrue(((Number) rows.get(0).get("ms")).longValue() >= 300, blame.out());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(((Number) rows.get(i - 1).get("ms")).longValue() >= ((Number) rows.get(i).get("ms")).longValue());
        }
        DaemonHarness.Cli chain = h.cli("analyze", "critical-chain", "app", "--json");
        List<Map<String, Object>> links = (List<Map<String, Object>>) Json.parse(chain.out());
        assertEquals(List.of("app.service", "slow.service"), links.stream().map(l -> l.get("unit")).toList(), chain.out());
        DaemonHarness.Cli human = h.cli("analyze", "critical-chain", "app");
        assertTrue(human.out().contains("\u2514\u2500slow.service @"), human.out());
        DaemonHarness.Cli plot = h.cli("analyze", "plot", "--transition", "boot");
        assertEquals(0, plot.code(), plot.toString());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(plot.out().getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList groups = doc.getElementsByTagName("g");
        Set<String> units = new HashSet<>();
        Element legend = null;
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").equals("legend")) {
                legend = g;
                continue;
            }
            units.add(g.getAttribute("data-unit"));
            NodeList texts = g.getElementsByTagName("text");
            Element duration = null;
            for (int k = 0; k < texts.getLength(); k++) if (((Element) texts.item(k)).getAttribute("class").equals("duration")) duration = (Element) texts.item(k);
            assertTrue(duration != null && duration.getTextContent().matches("([0-9]+(min|s|ms) ?)+"), "each bar has its duration: " + plot.out());
            if (g.getAttribute("data-unit").equals("slow.service")) {
                assertEquals(dev.svcmgr.units.Durations.format(java.time.Duration.ofMillis(((Number) rows.get(0).get("ms")).longValue())),
                        duration.getTextContent(), "the bar says what blame says");
            }
        }
        assertEquals(Set.of("fast.service", "slow.service", "app.service", "default.target"), units);
        assertTrue(legend != null, "a legend: " + plot.out());
        assertEquals(5, legend.getElementsByTagName("rect").getLength());
        String legendText = legend.getTextContent();
        for (String w : List.of("waiting", "starting", "active", "stopping", "failed")) assertTrue(legendText.contains(w), legendText);
        assertEquals(1, h.cli("analyze", "blame", "--transition", "99").code());
    }
}
