package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
        int[] code = {ExitCodes.OK};
        client.stream(new Request.Logs(UnitNames.fromUser(unit), lines, follow), r -> {
            if (r instanceof Reply.Error e) {
                code[0] = fail(e);
                return false;
            }
            if (r instanceof Reply.LogsStarted s && s.warning() != null) err().println("svcmgr: warning: " + unit + ": " + s.warning());
            if (r instanceof Reply.End) return false;
            if (r instanceof Reply.LogLine l) {
                if (common.json) printJson(Map.of("line", l.line()));
                else out().println(l.line());
                out().flush();
            }
            return !out().checkError();
        });
        return code[0];
    }
}
