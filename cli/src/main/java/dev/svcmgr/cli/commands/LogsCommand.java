package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code svcmgr logs UNIT [-n N] [-f]}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the unit's log (stdout and stderr with timestamps), across rotated files in order; -f follows new lines through rotations.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs, or permission denied (a unit's logs are for root, the daemon's user,"
                + " the user the unit runs as and the log group, daemon --log-group)", "2:usage error", "4:no such unit"})
public final class LogsCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", description = "The unit; a bare name means NAME.service.")
    String unit;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50", description = "How many of the last lines (default 50).")
    long lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written.")
    boolean follow;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("logs");
        req.put("units", List.of(UnitNames.fromUser(unit)));
        req.put("lines", lines);
        req.put("follow", follow);
        int[] code = {0};
        client.stream(req, r -> {
            if (r.containsKey("ok") && !ok(r)) {
                code[0] = fail(r);
                return false;
            }
            if (r.get("warning") instanceof String w) err().println("svcmgr: warning: " + unit + ": " + w);
            if (r.containsKey("end")) return false;
            if (r.get("line") instanceof String s) {
                if (common.json) printJson(Map.of("line", s));
                else out().println(s);
                out().flush();
            }
            return !out().checkError();
        });
        return code[0];
    }
}
