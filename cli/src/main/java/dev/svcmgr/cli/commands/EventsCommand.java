package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.core.protocol.EventInfo;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

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
        int[] code = {ExitCodes.OK};
        client.stream(new Request.Events(since, !noFollow), r -> {
            if (r instanceof Reply.Error e) {
                code[0] = fail(e);
                return false;
            }
            if (r instanceof Reply.EventsStarted s && s.lost() > 0) {
                err().println("svcmgr: " + s.lost() + " events before the retained history were lost");
                err().flush();
            }
            if (r instanceof Reply.End) return false;
            if (r instanceof Reply.EventLine line) {
                EventInfo e = line.event();
                if (common.json) printJson(e.toJson());
                else {
                    out().println(e.seq() + " " + e.time() + " " + e.unit() + " " + e.active() + "/" + e.sub()
                            + (e.result() == null ? "" : " " + e.result()));
                    out().flush();
                }
            }
            return !out().checkError();
        });
        return code[0];
    }
}
