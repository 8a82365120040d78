package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code svcmgr list-jobs}: JOB UNIT TYPE STATE, as systemctl prints them. */
@Command(name = "list-jobs", mixinStandardHelpOptions = true,
        description = {"List the jobs queued or running now: JOB (its number) UNIT TYPE (start, stop, reload, verify-active)"
                + " STATE (waiting: for the jobs it is ordered after; running: its unit is starting, stopping or reloading).",
                "With --json: [{\"id\",\"unit\",\"job\",\"state\"}]."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs", "2:usage error"})
public final class ListJobsCommand extends ClientCommand {
    @Option(names = "--no-legend", description = "Print no header and no count line.")
    boolean noLegend;

    @Option(names = "--plain", hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean plain;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.Jobs reply = client.call(new Request.Jobs());
        if (common.json) {
            printJson(reply.toJson().get("jobs"));
            return ExitCodes.OK;
        }
        if (reply.jobs().isEmpty()) {
            if (!noLegend) out().println("No jobs running.");
            out().flush();
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Reply.Jobs.Job j : reply.jobs()) rows.add(List.of(Long.toString(j.id()), j.unit(), j.job(), j.state()));
        out().print(Render.table(List.of("JOB", "UNIT", "TYPE", "STATE"), rows, !noLegend));
        if (!noLegend) {
            out().println();
            out().println(rows.size() + (rows.size() == 1 ? " job" : " jobs") + " listed.");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
