package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.Map;

/** {@code svcmgr daemon-reload}. */
@Command(name = "daemon-reload", mixinStandardHelpOptions = true,
        description = "Re-read the unit files. Running services keep running; new units appear; a changed unit takes"
                + " effect at its next start. Problems found are printed, one line each.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reloaded (problems are reported but do not fail the reload)", "1:failed or no daemon runs"})
public final class DaemonReloadCommand extends ClientCommand {
    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.Reloaded reply = client.call(new Request.DaemonReload());
        if (common.json) printJson(Map.of("problems", reply.problems()));
        else for (String p : reply.problems()) err().println(p);
        return ExitCodes.OK;
    }
}
