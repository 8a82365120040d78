package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code svcmgr reset-failed [UNIT...]}. */
@Command(name = "reset-failed", mixinStandardHelpOptions = true,
        description = "Clear the failed state and start-limit counters of the units (all failed units without UNIT).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed or no daemon runs", "2:usage error"})
public final class ResetFailedCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "0..*", description = "Units; a bare name means NAME.service.")
    List<String> units = new ArrayList<>();

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("reset-failed");
        req.put("units", unitNames(units));
        Map<String, Object> reply = client.call(req);
        return ok(reply) ? 0 : fail(reply);
    }
}
