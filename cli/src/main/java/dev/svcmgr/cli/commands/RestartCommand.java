package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr restart}. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart units (stop, then start); active units that require, bind to or are part of them are restarted too.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class RestartCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.RESTART; }
}
