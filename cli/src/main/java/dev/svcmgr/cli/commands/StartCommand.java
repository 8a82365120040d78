package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr start}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start units and what they pull in (requires, wants, binds-to), in dependency order; waits for the jobs and prints what failed and why.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class StartCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.START; }
}
