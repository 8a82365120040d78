package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr reload}. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload units: run their exec-reload, with $MAINPID set to the main PID.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class ReloadCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.RELOAD; }
}
