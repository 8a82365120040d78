package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** enable, disable, mask, unmask: persistent choices kept by the daemon across restarts. */
abstract class ChoiceCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    abstract String verb();

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request(verb());
        req.put("units", unitNames(units));
        Map<String, Object> reply = client.call(req);
        if (!ok(reply)) return fail(reply);
        if (common.json) printJson(Map.of("changed", reply.get("changed")));
        return 0;
    }
}
