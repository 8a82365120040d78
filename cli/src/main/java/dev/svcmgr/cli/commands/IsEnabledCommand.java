package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;

/** {@code svcmgr is-enabled UNIT...}. */
@Command(name = "is-enabled", mixinStandardHelpOptions = true,
        description = "Print enabled, disabled, masked or static (no install section) for each unit.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every unit is enabled or static", "1:a unit is disabled or masked, or no daemon runs",
                "2:usage error", "4:no such unit"})
public final class IsEnabledCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        return UnitQuery.run(this, client, units,
                u -> "enabled".equals(u.enabled()) || "static".equals(u.enabled()),
                u -> str(u.enabled()), ExitCodes.FAILURE);
    }
}
