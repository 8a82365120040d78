package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr isolate}. */
@Command(name = "isolate", mixinStandardHelpOptions = true,
        description = "Start TARGET and its closure and stop every other active unit (but ignore-on-isolate ones), in dependency order. The target needs allow-isolate: true.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every job succeeded (a unit skipped for a condition counts as success)",
                "1:a job failed, the request was refused or replaced, or no daemon runs", "2:usage error",
                "4:no such unit"})
public final class IsolateCommand extends TransactionCommand {
    @Override
    Verb verb() { return Verb.ISOLATE; }
}
