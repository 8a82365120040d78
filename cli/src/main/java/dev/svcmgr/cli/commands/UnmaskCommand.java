package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr unmask}. */
@Command(name = "unmask", mixinStandardHelpOptions = true,
        description = "Unmask units: they can be started again.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed, permission denied or no daemon runs", "2:usage error", "4:no such unit"})
public final class UnmaskCommand extends ChoiceCommand {
    @Override
    Verb verb() { return Verb.UNMASK; }
}
