package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;

/** {@code svcmgr is-active UNIT...}. */
@Command(name = "is-active", mixinStandardHelpOptions = true,
        description = "Print each unit's active state (inactive, starting, active, stopping, failed).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every unit is active", "1:no daemon runs", "2:usage error", "3:a unit is not active",
                "4:no such unit"})
public final class IsActiveCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    /** The command for {@code units}, configured as picocli would (for the fast path). */
    public static IsActiveCommand of(List<String> units) {
        IsActiveCommand c = new IsActiveCommand();
        c.units = List.copyOf(units);
        return c;
    }

    /** The units asked about. */
    public List<String> units() { return units; }

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        return UnitQuery.run(this, client, units, u -> "active".equals(u.active()), u -> str(u.active()), ExitCodes.NOT_ACTIVE);
    }
}
