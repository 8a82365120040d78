package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code svcmgr is-system-running [--wait]}. */
@Command(name = "is-system-running", mixinStandardHelpOptions = true,
        description = "Print the system state: starting (boot transaction running), running, degraded (some unit failed) or stopping.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:running", "1:any other state, or no daemon runs", "2:usage error"})
public final class IsSystemRunningCommand extends ClientCommand {
    @Option(names = "--wait", description = "Wait until the boot transaction has finished, then answer.")
    boolean waitForBoot;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("system");
        req.put("wait", waitForBoot);
        Map<String, Object> reply = client.call(req);
        if (!ok(reply)) return fail(reply);
        if (common.json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("state", reply.get("state"));
            r.put("failed", reply.get("failed"));
            r.put("jobs", reply.get("jobs"));
            printJson(r);
        } else {
            out().println(reply.get("state"));
            out().flush();
        }
        return "running".equals(reply.get("state")) ? 0 : 1;
    }
}
