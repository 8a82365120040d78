package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr halt}. */
@Command(name = "halt", mixinStandardHelpOptions = true,
        description = "Stop every unit in reverse dependency order (isolate halt.target, ignore-on-isolate units included), then halt as PID 1, or make the daemon exit otherwise. Waits until the daemon is gone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every unit stopped and the daemon exited (or the final action runs)",
                "1:refused, permission denied or no daemon runs"})
public final class HaltCommand extends PowerCommand {
    @Override
    Verb verb() { return Verb.HALT; }
}
