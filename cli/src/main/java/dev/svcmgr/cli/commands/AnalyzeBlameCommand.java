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
        record Row(String unit, long ms) {}
        List<Row> rows = new ArrayList<>();
        for (Transition.Job j : t.jobs()) if (j.startMs() != null) rows.add(new Row(j.unit(), num(j.endMs()) - num(j.startMs())));
        rows.sort(Comparator.comparingLong(Row::ms).reversed().thenComparing(Row::unit));
        if (common.json) {
            List<Object> json = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("unit", r.unit());
                m.put("ms", r.ms());
                json.add(m);
            }
            printJson(json);
            return ExitCodes.OK;
        }
        out().println("# transition " + t.tx() + ": " + t.request());
        for (Row r : rows) out().printf("%10s %s%n", ms(r.ms()), r.unit());
        out().flush();
        return ExitCodes.OK;
    }
}
