package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code svcmgr adopt PID --unit NAME}. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = {"Supervise a running process the manager did not start (a daemon an installer started before the",
                "manager ran) as the main process of the stopped service NAME: it is moved into NAME's cgroup, its exit is",
                "seen at once (a pidfd), and NAME's restart policy and on-failure apply; a restart runs NAME's exec."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:adopted", "1:refused (the service runs, the process is gone or already supervised) or no daemon runs",
                "2:usage error", "4:no such unit"})
public final class AdoptCommand extends ClientCommand {
    @Parameters(paramLabel = "PID", arity = "1", description = "The process to adopt.")
    long pid;

    @Option(names = "--unit", paramLabel = "NAME", required = true, description = "The service that adopts it; a bare name means NAME.service.")
    String unit;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        if (pid < 2) {
            err().println("svcmgr: PID must be a process ID above 1, not " + pid);
            return ExitCodes.USAGE;
        }
        client.call(new Request.Adopt(pid, UnitNames.fromUser(unit)));
        return ExitCodes.OK;
    }
}
