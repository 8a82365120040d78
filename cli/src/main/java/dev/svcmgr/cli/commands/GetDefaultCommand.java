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
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code svcmgr get-default}. */
@Command(name = "get-default", mixinStandardHelpOptions = true,
        description = {"Print the target that default.target names: the one chosen with set-default, else what the"
                + " default.target unit file or alias names (e.g. multi-user.target). The daemon boots to it unless"
                + " started with --target or --no-boot.",
                "With --json: {\"target\",\"chosen\"} (chosen: set with set-default)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no default target is defined, or no daemon runs", "2:usage error"})
public final class GetDefaultCommand extends ClientCommand {
    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.Default d = client.call(new Request.GetDefault());
        if (common.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", d.target());
            m.put("chosen", d.chosen());
            printJson(m);
        } else if (d.target() != null) {
            out().println(d.target());
        }
        out().flush();
        if (d.target() == null) {
            err().println("svcmgr: no default target: no default.target unit or alias is defined (set one with 'svcmgr set-default TARGET')");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
