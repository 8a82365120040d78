package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;

/** {@code svcmgr kill UNIT [--signal SIG]}. */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Send a signal to every process of the units. The unit's restart policy then applies as to any death.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:signalled", "1:a unit has no process, or no daemon runs", "2:usage error (e.g. unknown signal)",
                "4:no such unit"})
public final class KillCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIG", defaultValue = "SIGTERM",
            description = "Signal by name or number: SIGUSR2, USR2 or 12 (default SIGTERM).")
    String signal;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        try {
            Values.parseSignal(signal);
        } catch (IllegalArgumentException e) {
            err().println("svcmgr: --signal: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        client.call(new Request.Kill(unitNames(units), signal));
        return ExitCodes.OK;
    }
}
