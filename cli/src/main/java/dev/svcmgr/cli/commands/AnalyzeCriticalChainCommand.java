package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.engine.CriticalChain;
import dev.svcmgr.core.protocol.Transition;
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
        Transition t = transition(client);
        if (t == null) return ExitCodes.FAILURE;
        List<CriticalChain.Job> jobs = new ArrayList<>();
        for (Transition.Job j : t.jobs()) jobs.add(new CriticalChain.Job(j.unit(), j.startMs(), j.endMs(), j.after()));
        String start = unit == null ? CriticalChain.last(jobs) : UnitNames.fromUser(unit);
        if (start == null || jobs.stream().noneMatch(j -> j.unit().equals(start))) {
            err().println("svcmgr: " + (start == null ? "the transition has no job" : start + " had no job in transition " + t.tx()));
            return ExitCodes.FAILURE;
        }
        List<CriticalChain.Link> chain = CriticalChain.from(start, jobs);
        if (common.json) {
            List<Object> json = new ArrayList<>();
            for (CriticalChain.Link l : chain) {
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
        for (CriticalChain.Link link : chain) {
            out().println(indent + link.unit() + " @" + ms(link.atMs()) + " +" + ms(link.tookMs()));
            indent = indent.isEmpty() ? "\u2514\u2500" : "  " + indent;
        }
        out().flush();
        return ExitCodes.OK;
    }
}
