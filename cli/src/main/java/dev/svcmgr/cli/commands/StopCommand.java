package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop units and everything that requires, binds to or is part of them, dependents first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class StopCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.STOP; }
}
