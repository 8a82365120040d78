package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** poweroff, reboot, halt: stop every unit in order, then the final action (as PID 1) or the daemon exits. */
abstract class PowerCommand extends ClientCommand {
    abstract String verb();

    @Override
    protected int run(Client client) throws NoDaemon, IOException, InterruptedException {
        Map<String, Object> reply = client.call(Client.request(verb()));
        if (!ok(reply)) return fail(reply);
        // wait until the daemon has stopped every unit and gone (its socket disappears or stops answering)
        java.nio.file.Path sock = common.runtimeDir().resolve("control.sock");
        while (Files.exists(sock)) {
            try {
                client.call(Client.request("ping"));
            } catch (NoDaemon | IOException gone) {
                break;
            }
            Thread.sleep(50);
        }
        return 0;
    }
}
