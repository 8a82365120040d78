package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Map;

/** {@code svcmgr events [--since SEQ]}. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Stream state changes, one line (or JSON object) each, until interrupted. Every event has a"
                + " consecutive sequence number; --since SEQ first replays the retained history after SEQ (at least"
                + " the last 10,000 events; older ones are reported lost on stderr)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the stream ended", "1:no daemon runs or the daemon went away", "2:usage error"})
public final class EventsCommand extends ClientCommand {
    @Option(names = "--since", paramLabel = "SEQ", description = "Replay retained events with a sequence number above SEQ first.")
    Long since;

    @Option(names = "--no-follow", description = "Print the replayed history and stop instead of streaming.")
    boolean noFollow;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("events");
        if (since != null) req.put("since", since);
        req.put("follow", !noFollow);
        int[] code = {0};
        client.stream(req, r -> {
            if (r.containsKey("ok") && !ok(r)) {
                code[0] = fail(r);
                return false;
            }
            if (r.get("lost") instanceof Long n && n > 0) {
                err().println("svcmgr: " + n + " events before the retained history were lost");
                err().flush();
            }
            if (r.containsKey("end")) return false;
            if (r.get("event") instanceof Map<?, ?> e) {
                if (common.json) printJson(e);
                else {
                    out().println(e.get("seq") + " " + e.get("time") + " " + e.get("unit") + " " + e.get("active") + "/"
                            + e.get("sub") + (e.get("result") == null ? "" : " " + e.get("result")));
                    out().flush();
                }
            }
            return !out().checkError();
        });
        return code[0];
    }
}
