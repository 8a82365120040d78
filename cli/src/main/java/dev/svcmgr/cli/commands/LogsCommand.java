package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.log.LogRecords;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** {@code svcmgr logs [UNIT...] [-u UNIT]... [-n N] [-f] [--since T] [--until T]}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print units' logs (stdout and stderr, each line with its time and stream), across rotated files in"
                + " order; -f follows new lines through rotations.",
                "One named unit: its lines as they are in its log. Several units, or none (every unit with a log, an"
                        + " ended transient unit's included): their lines merged in time order, each headed by its unit"
                        + " ('web.service: 2026-12-02T10:00:00.123Z stdout listening').",
                "Times (--since, --until): an ISO time, with an offset (2026-12-02T10:00:00Z) or local time without one"
                        + " (2026-12-02T10:00, 2026-12-02 10:00:00, 2026-12-02), today, yesterday, now, 'N min ago' or"
                        + " 'N h ago'.",
                "--json: one object per line, {\"unit\", \"time\", \"stream\", \"text\", \"line\"} (line: the record as"
                        + " written).",
                "Who reads what: root, the daemon's user and members of the log group (daemon --log-group) read every"
                        + " log; others the logs of units that run as their own user. A named unit you may not read is one"
                        + " line on stderr (exit 1) and its lines are not shown; with no unit named, such units are left"
                        + " out without a word."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs, or permission denied for a named unit (a unit's logs are for root,"
                + " the daemon's user, the user the unit runs as and the log group, daemon --log-group)",
                "2:usage error (a time that cannot be read, --until with -f, a negative -n)",
                "4:no such unit (neither loaded nor with a log)"})
public final class LogsCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "0..*", description = "Units; a bare name means NAME.service. None: every unit.")
    List<String> units = new ArrayList<>();

    @Option(names = {"-u", "--unit"}, paramLabel = "UNIT", description = "A unit (repeatable), as the UNIT arguments.")
    List<String> unitOptions = new ArrayList<>();

    @Option(names = {"-n", "--lines"}, paramLabel = "N",
            description = "How many of the last lines (merged: of all units together); default 50, or every line in the"
                    + " span when --since or --until is given.")
    Long lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written, of every unit shown"
            + " (with no unit named: the units that had a log when it started).")
    boolean follow;

    @Option(names = "--since", paramLabel = "T", description = "Only lines written at or after T.")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Only lines written at or before T (not with -f).")
    String until;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        LinkedHashSet<String> named = new LinkedHashSet<>();
        for (String u : units) named.add(UnitNames.fromUser(u));
        for (String u : unitOptions) named.add(UnitNames.fromUser(u));
        ZonedDateTime now = ZonedDateTime.now();
        Instant from;
        Instant to;
        try {
            from = since == null ? null : LogTimes.parse(since, now);
        } catch (IllegalArgumentException e) {
            err().println("svcmgr: logs: --since: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            to = until == null ? null : LogTimes.parse(until, now);
        } catch (IllegalArgumentException e) {
            err().println("svcmgr: logs: --until: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (follow && to != null) {
            err().println("svcmgr: logs: --until and --follow do not go together (a followed log has no end)");
            return ExitCodes.USAGE;
        }
        if (lines != null && lines < 0) {
            err().println("svcmgr: logs: -n must be 0 or more, not " + lines);
            return ExitCodes.USAGE;
        }
        long n = lines != null ? lines : from != null || to != null ? -1 : 50;
        boolean headed = named.size() != 1;
        int[] code = {ExitCodes.OK};
        client.stream(new Request.Logs(new ArrayList<>(named), n, follow, from, to), r -> {
            if (r instanceof Reply.Error e) {
                code[0] = fail(e);
                return false;
            }
            if (r instanceof Reply.LogsStarted s) {
                s.warnings().forEach((u, w) -> err().println("svcmgr: warning: " + u + ": " + w));
                if (s.warnings().isEmpty() && s.warning() != null) err().println("svcmgr: warning: " + s.unit() + ": " + s.warning());
                s.denied().forEach((u, why) -> {
                    err().println("svcmgr: " + why);
                    code[0] = ExitCodes.FAILURE;
                });
            }
            if (r instanceof Reply.End) return false;
            if (r instanceof Reply.LogLine l) {
                if (common.json) printJson(json(l));
                else out().println(headed && l.unit() != null ? l.unit() + ": " + l.line() : l.line());
                out().flush();
            }
            return !out().checkError();
        });
        return code[0];
    }

    /** {@code {"unit","time","stream","text","line"}}: {@code line} the record as written, as before units were named. */
    private static Map<String, Object> json(Reply.LogLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", l.unit());
        Instant t = LogRecords.time(l.line());
        m.put("time", t == null ? null : l.line().substring(0, l.line().indexOf(' ')));
        m.put("stream", LogRecords.stream(l.line()));
        m.put("text", LogRecords.text(l.line()));
        m.put("line", l.line());
        return m;
    }
}
