package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    @Option(names = {"--no-pager", "-l", "--full", "--plain"}, hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean habits;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        List<Reply.Sockets.Socket> ss = client.call(new Request.Sockets()).sockets();
        if (common.json) {
            List<Object> json = new ArrayList<>();
            for (Reply.Sockets.Socket s : ss) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("listen", s.listen());
                m.put("unit", s.unit());
                m.put("activates", s.activates());
                m.put("accepted", s.accepted());
                json.add(m);
            }
            printJson(json);
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        if (!noLegend) rows.add(new String[] {"LISTEN", "UNIT", "ACTIVATES"});
        for (Reply.Sockets.Socket s : ss) rows.add(new String[] {s.listen(), s.unit(), s.activates()});
        int[] w = new int[3];
        for (String[] r : rows) for (int i = 0; i < 3; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) out().println(String.format("%-" + w[0] + "s %-" + w[1] + "s %s", r[0], r[1], r[2]).stripTrailing());
        if (!noLegend) {
            out().println();
            out().println(ss.size() + " socket" + (ss.size() == 1 ? "" : "s") + " listed.");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
