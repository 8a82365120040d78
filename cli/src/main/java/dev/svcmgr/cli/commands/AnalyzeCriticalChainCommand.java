package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.engine.CriticalChain;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        List<CriticalChain.Job> jobs = new ArrayList<>();
        for (Map<String, Object> j : maps(t.get("jobs"))) {
            List<String> after = new ArrayList<>();
            if (j.get("after") instanceof List<?> l) for (Object a : l) after.add(String.valueOf(a));
            jobs.add(new CriticalChain.Job((String) j.get("unit"), j.get("start-ms") == null ? null : num(j.get("start-ms")),
                    j.get("end-ms") == null ? null : num(j.get("end-ms")), after));
        }
        String start = unit == null ? CriticalChain.last(jobs) : UnitNames.fromUser(unit);
        if (start == null || jobs.stream().noneMatch(j -> j.unit().equals(start))) {
            err().println("svcmgr: " + (start == null ? "the transition has no job" : start + " had no job in transition " + t.get("tx")));
            return 1;
        }
        List<Map<String, Object>> chain = new ArrayList<>();
        for (CriticalChain.Link l : CriticalChain.from(start, jobs)) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("unit", l.unit());
            link.put("at-ms", l.atMs());
            link.put("took-ms", l.tookMs());
            chain.add(link);
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
