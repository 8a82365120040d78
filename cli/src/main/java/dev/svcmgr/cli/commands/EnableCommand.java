package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr enable}. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Enable units: their install edges (install.wanted-by, install.required-by) are in force again. Kept across daemon restarts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed, permission denied or no daemon runs", "2:usage error", "4:no such unit"})
public final class EnableCommand extends ChoiceCommand {
    @picocli.CommandLine.Option(names = "--now", description = "Start the units too, once enabled (as systemctl enable --now).")
    boolean now;

    @Override
    String now() { return now ? "start" : null; }

    @Override
    Verb verb() { return Verb.ENABLE; }
}
