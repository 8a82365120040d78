package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.Map;

/** {@code svcmgr daemon-reexec}. */
@Command(name = "daemon-reexec", mixinStandardHelpOptions = true,
        description = {"Re-execute the daemon in place (same PID, same command line; a rebuilt jar takes effect).",
                "The daemon writes its state, the new image re-adopts every service: same main PIDs, states, results,"
                        + " restart counts and choices; no service is stopped, signalled or restarted, and nothing a"
                        + " service writes meanwhile is lost. Waits until the new image answers (at most --timeout,"
                        + " default 60 s)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the new image answers", "1:refused, failed, no daemon runs, or no answer within --timeout"})
public final class DaemonReexecCommand extends ClientCommand {
    @Override
    protected int run(Client client) throws NoDaemon, IOException, InterruptedException, DaemonError {
        long before = client.call(new Request.DaemonReexec()).image();
        java.time.Duration given = common.timeout();
        long timeoutMs = given == null ? 60_000 : given.isZero() ? Long.MAX_VALUE / 4_000_000 : given.toMillis();
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        long pause = 10;
        String last = "";
        while (System.nanoTime() < end) {
            try {
                Reply.Ping p = client.call(new Request.Ping());
                if (p.image() != before) {
                    if (common.json) printJson(Map.of("pid", p.pid()));
                    return ExitCodes.OK;
                }
            } catch (DaemonError e) {
                last = e.error().message();
            } catch (NoDaemon | IOException e) {
                last = e.getMessage(); // between the two images
            }
            Thread.sleep(pause);
            pause = Math.min(200, pause * 2);
        }
        err().println("svcmgr: the daemon did not answer within " + (timeoutMs % 1000 == 0 ? timeoutMs / 1000 + " s" : timeoutMs + " ms")
                + " of re-executing"
                + (last.isEmpty() ? "" : " (" + last + ")"));
        return ExitCodes.FAILURE;
    }
}
