package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code svcmgr list-sockets}: LISTEN UNIT ACTIVATES, as systemctl prints them. */
@Command(name = "list-sockets", mixinStandardHelpOptions = true,
        description = {"List the sockets the socket units hold: the address each is bound to (the chosen port for",
                "port 0), the socket unit and the unit it activates. With --json:",
                "[{\"listen\",\"unit\",\"activates\",\"accepted\"}] (accepted: the connections that started the service)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs", "2:usage error"})
public final class ListSocketsCommand extends ClientCommand {
    @Option(names = "--no-legend", description = "Print no header and no count line.")
    boolean noLegend;

    @Option(names = "--plain", hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean habits;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        List<Reply.Sockets.Socket> ss = client.call(new Request.Sockets()).sockets();
        if (common.json) {
            printJson(new Reply.Sockets(ss).toJson().get("sockets"));
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Reply.Sockets.Socket s : ss) rows.add(List.of(s.listen(), s.unit(), s.activates()));
        out().print(Render.table(List.of("LISTEN", "UNIT", "ACTIVATES"), rows, !noLegend));
        if (!noLegend) {
            out().println();
            out().println(ss.size() + " socket" + (ss.size() == 1 ? "" : "s") + " listed.");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
