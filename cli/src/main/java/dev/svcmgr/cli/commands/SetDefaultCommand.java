package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Map;

/** {@code svcmgr set-default TARGET}. */
@Command(name = "set-default", mixinStandardHelpOptions = true,
        description = {"Make TARGET the boot target: default.target names it from now on (the daemon reads its units again,"
                + " as daemon-reload), and the daemon boots to it at its next start unless given --target. A choice kept"
                + " in the state directory across daemon restarts; it wins over a default.target file or alias.",
                "With --json: {\"target\",\"chosen\"}."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:set", "1:not a target, or no daemon runs", "2:usage error", "4:no such unit"})
public final class SetDefaultCommand extends ClientCommand {
    @Parameters(paramLabel = "TARGET", description = "The target (a bare name means NAME.target).")
    String target;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        String name = target.contains(".") && dev.svcmgr.units.UnitType.ofName(target) != null ? target : target + ".target";
        Reply.Default d = client.call(new Request.SetDefault(UnitNames.fromUser(name)));
        if (common.json) printJson(Map.of("target", d.target(), "chosen", d.chosen()));
        else out().println("default.target now names " + d.target() + ".");
        return ExitCodes.OK;
    }
}
