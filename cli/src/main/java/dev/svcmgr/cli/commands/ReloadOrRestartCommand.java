package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr reload-or-restart}. */
@Command(name = "reload-or-restart", mixinStandardHelpOptions = true,
        description = "Reload the named units that can reload (active services with exec-reload); restart the others (starting the inactive ones), as systemctl does.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class ReloadOrRestartCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.RELOAD_OR_RESTART; }
}
