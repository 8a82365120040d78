package dev.svcmgr.cli.commands;

import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Command;

/** {@code svcmgr reboot}. */
@Command(name = "reboot", mixinStandardHelpOptions = true,
        description = "Stop every unit in reverse dependency order (isolate reboot.target, ignore-on-isolate units included), then reboot as PID 1, or make the daemon exit otherwise. Waits until the daemon is gone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every unit stopped and the daemon exited (or the final action runs)",
                "1:refused, permission denied or no daemon runs"})
public final class RebootCommand extends PowerCommand {
    @Override
    Verb verb() { return Verb.REBOOT; }
}
