package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;

import java.io.IOException;
import java.nio.file.Files;

/** poweroff, reboot, halt: stop every unit in order, then the final action (as PID 1) or the daemon exits. */
abstract class PowerCommand extends ClientCommand {
    abstract Verb verb();

    @Override
    protected int run(Client client) throws NoDaemon, IOException, InterruptedException, DaemonError {
        client.call(new Request.Power(verb()));
        // wait until the daemon has stopped every unit and gone (its socket disappears or stops answering)
        java.nio.file.Path sock = common.runtimeDir().resolve("control.sock");
        while (Files.exists(sock)) {
            try {
                client.call(new Request.Ping());
            } catch (NoDaemon | IOException gone) {
                break;
            } catch (DaemonError busy) {
                // it answers (too many connections, say): still there
            }
            Thread.sleep(50);
        }
        return ExitCodes.OK;
    }
}
