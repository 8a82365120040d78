package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Transition;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code svcmgr analyze blame}. */
@Command(name = "blame", mixinStandardHelpOptions = true,
        description = "How long each unit's job took (from the job's start to its end) in the transition, slowest first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs, or no such transition", "2:usage error"})
public final class AnalyzeBlameCommand extends AnalyzeBase {
    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Transition t = transition(client);
        if (t == null) return ExitCodes.FAILURE;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Transition.Job j : t.jobs()) {
            if (j.startMs() == null) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("unit", j.unit());
            r.put("ms", num(j.endMs()) - num(j.startMs()));
            rows.add(r);
        }
        rows.sort(Comparator.comparingLong((Map<String, Object> r) -> (Long) r.get("ms")).reversed()
                .thenComparing(r -> (String) r.get("unit")));
        if (common.json) {
            printJson(rows);
            return ExitCodes.OK;
        }
        out().println("# transition " + t.tx() + ": " + t.request());
        for (Map<String, Object> r : rows) out().printf("%10s %s%n", ms((Long) r.get("ms")), r.get("unit"));
        out().flush();
        return ExitCodes.OK;
    }
}
