package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr disable}. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable units: drop their install edges, so targets no longer pull them in. Kept across daemon restarts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed, permission denied or no daemon runs", "2:usage error", "4:no such unit"})
public final class DisableCommand extends ChoiceCommand {
    @picocli.CommandLine.Option(names = "--now", description = "Stop the units too, once disabled (as systemctl disable --now).")
    boolean now;

    @Override
    String now() { return now ? "stop" : null; }

    @Override
    Verb verb() { return Verb.DISABLE; }
}
