package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Transition;
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
        Transition t = transition(client);
        if (t == null) return ExitCodes.FAILURE;
        Map<String, Transition.Job> jobs = new HashMap<>();
        String last = null;
        long lastEnd = -1;
        for (Transition.Job j : t.jobs()) {
            jobs.put(j.unit(), j);
            if (j.endMs() != null && j.endMs() >= lastEnd) {
                lastEnd = j.endMs();
                last = j.unit();
            }
        }
        String start = unit == null ? last : UnitNames.fromUser(unit);
        if (start == null || !jobs.containsKey(start)) {
            err().println("svcmgr: " + (start == null ? "the transition has no job" : start + " had no job in transition " + t.tx()));
            return ExitCodes.FAILURE;
        }
        record Link(String unit, long atMs, long tookMs) {}
        List<Link> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = start;
        while (cur != null && seen.add(cur)) {
            Transition.Job j = jobs.get(cur);
            chain.add(new Link(cur, num(j.endMs()), num(j.endMs()) - num(j.startMs())));
            String next = null;
            long best = -1;
            for (String a : j.after()) {
                Transition.Job pj = jobs.get(a);
                if (pj != null && pj.endMs() != null && pj.endMs() > best) {
                    best = pj.endMs();
                    next = a;
                }
            }
            cur = next;
        }
        if (common.json) {
            List<Object> json = new ArrayList<>();
            for (Link l : chain) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("unit", l.unit());
                m.put("at-ms", l.atMs());
                m.put("took-ms", l.tookMs());
                json.add(m);
            }
            printJson(json);
            return ExitCodes.OK;
        }
        out().println("# transition " + t.tx() + ": " + t.request());
        String indent = "";
        for (Link link : chain) {
            out().println(indent + link.unit() + " @" + ms(link.atMs()) + " +" + ms(link.tookMs()));
            indent = indent.isEmpty() ? "\u2514\u2500" : "  " + indent;
        }
        out().flush();
        return ExitCodes.OK;
    }
}
