package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr try-restart}. */
@Command(name = "try-restart", mixinStandardHelpOptions = true,
        description = "Restart the named units that are active; leave inactive ones alone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class TryRestartCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.TRY_RESTART; }
}
