package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code svcmgr analyze critical-chain [UNIT]}. */
@Command(name = "critical-chain", mixinStandardHelpOptions = true,
        description = {"The chain of waits that decided when UNIT (default: the transition's last job to finish) was done:"
                + " at each step the job it was ordered after that finished last.",
                "'@' is when the job finished after the transition began, '+' how long the job itself took."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs, no such transition, or the unit had no job in it", "2:usage error"})
public final class AnalyzeCriticalChainCommand extends AnalyzeBase {
    @Parameters(paramLabel = "UNIT", arity = "0..1", description = "The unit; a bare name means NAME.service.")
    String unit;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> t = transition(client);
        if (t == null) return 1;
        Map<String, Map<String, Object>> jobs = new HashMap<>();
        String last = null;
        long lastEnd = -1;
        for (Map<String, Object> j : maps(t.get("jobs"))) {
            jobs.put((String) j.get("unit"), j);
            if (j.get("end-ms") != null && num(j.get("end-ms")) >= lastEnd) {
                lastEnd = num(j.get("end-ms"));
                last = (String) j.get("unit");
            }
        }
        String start = unit == null ? last : UnitNames.fromUser(unit);
        if (start == null || !jobs.containsKey(start)) {
            err().println("svcmgr: " + (start == null ? "the transition has no job" : start + " had no job in transition " + t.get("tx")));
            return 1;
        }
        List<Map<String, Object>> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = start;
        while (cur != null && seen.add(cur)) {
            Map<String, Object> j = jobs.get(cur);
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("unit", cur);
            link.put("at-ms", num(j.get("end-ms")));
            link.put("took-ms", num(j.get("end-ms")) - num(j.get("start-ms")));
            chain.add(link);
            String next = null;
            long best = -1;
            Object after = j.get("after");
            if (after instanceof List<?> l) {
                for (Object a : l) {
                    Map<String, Object> pj = jobs.get((String) a);
                    if (pj != null && pj.get("end-ms") != null && num(pj.get("end-ms")) > best) {
                        best = num(pj.get("end-ms"));
                        next = (String) a;
                    }
                }
            }
            cur = next;
        }
        if (common.json) {
            printJson(chain);
            return 0;
        }
        out().println("# transition " + t.get("tx") + ": " + t.get("request"));
        String indent = "";
        for (Map<String, Object> link : chain) {
            out().println(indent + link.get("unit") + " @" + ms(num(link.get("at-ms"))) + " +" + ms(num(link.get("took-ms"))));
            indent = indent.isEmpty() ? "\u2514\u2500" : "  " + indent;
        }
        out().flush();
        return 0;
    }
}
