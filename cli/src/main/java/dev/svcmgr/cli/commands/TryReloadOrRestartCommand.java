package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr try-reload-or-restart}. */
@Command(name = "try-reload-or-restart", mixinStandardHelpOptions = true,
        description = "Reload the named active units that can reload (services with exec-reload); restart the other active ones; leave inactive ones alone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class TryReloadOrRestartCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.TRY_RELOAD_OR_RESTART; }
}
