package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr mask}. */
@Command(name = "mask", mixinStandardHelpOptions = true,
        description = "Mask units: they cannot be started by any request or dependency. Kept across daemon restarts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed, permission denied or no daemon runs", "2:usage error", "4:no such unit"})
public final class MaskCommand extends ChoiceCommand {
    @Override
    Verb verb() { return Verb.MASK; }
}
