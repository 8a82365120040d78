package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code svcmgr why UNIT}. */
@Command(name = "why", mixinStandardHelpOptions = true,
        description = {"Say why a unit is in its state: the request, dependency or restart that put it there, as a chain"
                + " back to its origin; for a failed or skipped unit, the failing condition or dependency.",
                "Example: 'failed: dependency db.service failed: exit-code' followed by db.service's own reason."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:answered", "1:no daemon runs", "2:usage error", "4:no such unit"})
public final class WhyCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", description = "The unit; a bare name means NAME.service.")
    String unit;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("why");
        req.put("units", List.of(UnitNames.fromUser(unit)));
        Map<String, Object> reply = client.call(req);
        if (!ok(reply)) return fail(reply);
        if (common.json) {
            printJson(Map.of("unit", reply.get("unit"), "active", reply.get("active"), "chain", reply.get("chain")));
            return 0;
        }
        String indent = "";
        for (Map<String, Object> link : maps(reply.get("chain"))) {
            out().println(indent + link.get("unit") + ": " + link.get("reason"));
            indent = indent.isEmpty() ? "  -> " : "  " + indent;
        }
        out().flush();
        return 0;
    }
}
