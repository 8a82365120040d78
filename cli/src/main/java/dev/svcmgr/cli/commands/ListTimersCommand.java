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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code svcmgr list-timers}: NEXT LEFT LAST PASSED UNIT ACTIVATES, as systemctl prints them. */
@Command(name = "list-timers", mixinStandardHelpOptions = true,
        description = {"List the loaded timers: the next elapse and the time left, the last trigger and the time passed,",
                "the timer and the unit it activates; soonest first, timers with nothing due last.",
                "With --json: [{\"unit\",\"activates\",\"next\",\"last\"}] (ISO times or null)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs", "2:usage error"})
public final class ListTimersCommand extends ClientCommand {
    @Option(names = "--no-legend", description = "Print no header and no count line.")
    boolean noLegend;

    @Option(names = "--plain", hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean habits;

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        List<Reply.Timers.Timer> ts = new ArrayList<>(client.call(new Request.Timers()).timers());
        ts.sort(Comparator.comparing((Reply.Timers.Timer t) -> t.next() == null ? "~" : Instant.parse(t.next()).toString())
                .thenComparing(Reply.Timers.Timer::unit));
        if (common.json) {
            printJson(new Reply.Timers(ts).toJson().get("timers"));
            return ExitCodes.OK;
        }
        Instant now = Instant.now();
        ZoneId zone = ZoneId.systemDefault();
        List<List<String>> rows = new ArrayList<>();
        for (Reply.Timers.Timer t : ts) {
            Instant next = t.next() == null ? null : Instant.parse(t.next());
            Instant last = t.last() == null ? null : Instant.parse(t.last());
            rows.add(List.of(
                    next == null ? "-" : WHEN.format(next.atZone(zone)),
                    next == null ? "-" : span(Duration.between(now, next)) + " left",
                    last == null ? "-" : WHEN.format(last.atZone(zone)),
                    last == null ? "-" : span(Duration.between(last, now)) + " ago",
                    t.unit(), t.activates()));
        }
        out().print(Render.table(List.of("NEXT", "LEFT", "LAST", "PASSED", "UNIT", "ACTIVATES"), rows, !noLegend));
        if (!noLegend) {
            out().println();
            out().println(ts.size() + " timer" + (ts.size() == 1 ? "" : "s") + " listed.");
        }
        out().flush();
        return ExitCodes.OK;
    }

    /** {@code 2 days 3h}, {@code 1h 52min}, {@code 52min}, {@code 12s}: the two largest units, as systemctl does. */
    static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60, sec = s % 60;
        if (days > 0) return days + (days == 1 ? " day" : " days") + (h > 0 ? " " + h + "h" : "");
        if (h > 0) return h + "h" + (m > 0 ? " " + m + "min" : "");
        if (m > 0) return m + "min" + (sec > 0 ? " " + sec + "s" : "");
        return sec + "s";
    }
}
