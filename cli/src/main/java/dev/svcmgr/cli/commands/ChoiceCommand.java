package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** enable, disable, mask, unmask: persistent choices kept by the daemon across restarts. */
abstract class ChoiceCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    abstract Verb verb();

    /** With {@code --now}: the transaction that follows the choice ({@code start} after enable, {@code stop} after disable), else null. */
    String now() { return null; }

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.Changed reply = client.call(new Request.Choice(verb(), unitNames(units)));
        if (now() == null) {
            if (common.json) printJson(Map.of("changed", reply.changed()));
            return ExitCodes.OK;
        }
        // --now: the transaction's outcome is the command's (with --json, its object is the one printed)
        TransactionCommand then = TransactionCommand.of(now(), units, false);
        then.common = common;
        return then.callDirect(out(), err());
    }
}
