package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code svcmgr reset-failed [UNIT...]}. */
@Command(name = "reset-failed", mixinStandardHelpOptions = true,
        description = "Clear the failed state and start-limit counters of the units (all failed units without UNIT).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed or no daemon runs", "2:usage error"})
public final class ResetFailedCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "0..*", description = "Units; a bare name means NAME.service.")
    List<String> units = new ArrayList<>();

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        client.call(new Request.ResetFailed(unitNames(units)));
        return ExitCodes.OK;
    }
}
