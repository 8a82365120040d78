package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr poweroff}. */
@Command(name = "poweroff", mixinStandardHelpOptions = true,
        description = "Stop every unit in reverse dependency order (isolate poweroff.target, ignore-on-isolate units included), then power off as PID 1, or make the daemon exit otherwise. Waits until the daemon is gone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every unit stopped and the daemon exited (or the final action runs)",
                "1:refused, permission denied or no daemon runs"})
public final class PoweroffCommand extends PowerCommand {
    @Override
    Verb verb() { return Verb.POWEROFF; }
}
