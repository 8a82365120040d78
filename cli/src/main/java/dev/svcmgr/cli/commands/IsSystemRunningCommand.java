package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code svcmgr is-system-running [--wait]}. */
@Command(name = "is-system-running", mixinStandardHelpOptions = true,
        description = "Print the system state: starting (boot transaction running), running, degraded (some unit failed) or stopping.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:running", "1:any other state, or no daemon runs", "2:usage error"})
public final class IsSystemRunningCommand extends ClientCommand {
    @Option(names = "--wait", description = "Wait until the boot transaction has finished, then answer.")
    boolean waitForBoot;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.SystemState reply = client.call(new Request.SystemState(waitForBoot));
        if (common.json) {
            printJson(StatusCommand.systemJson(reply));
        } else {
            out().println(reply.state());
            out().flush();
        }
        return "running".equals(reply.state()) ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
