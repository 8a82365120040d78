package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.units.CalendarEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr analyze calendar EXPR... [--iterations N]}: offline, as {@code systemd-analyze calendar}
 * prints it: each expression's original and normalized form and its next elapses.
 */
@Command(name = "calendar", mixinStandardHelpOptions = true,
        description = {"Check calendar events (on-calendar of timers) offline: the normalized form and the next elapses,",
                "as systemd-analyze calendar prints them. With --json: [{\"expression\",\"normalized\",\"next\":[ISO times]}]."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every expression is valid", "1:an expression is not (its column and what was expected on stderr)",
                "2:usage error"})
public final class AnalyzeCalendarCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "EXPR", arity = "1..*", description = "Calendar events, e.g. 'Mon..Fri *-*-* 03:00' or hourly (quote each).")
    List<String> expressions;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1", description = "How many next elapses to show (default 1).")
    int iterations;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--debug", hidden = true, description = "Accepted; nothing here prints a stack trace.")
    boolean debug;

    private static final ZoneId UTC = ZoneId.of("UTC");

    /** The time elapses are counted from (tests set it). */
    static volatile java.util.function.Supplier<Instant> clock = Instant::now;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (iterations < 1 || iterations > 1000) {
            err.println("svcmgr: --iterations must be from 1 to 1000, not " + iterations);
            return ExitCodes.USAGE;
        }
        Instant now = clock.get();
        ZoneId zone = ZoneId.systemDefault();
        List<Object> docs = new ArrayList<>();
        int rc = ExitCodes.OK;
        boolean first = true;
        for (String e : expressions) {
            CalendarEvent ev;
            try {
                ev = CalendarEvent.parse(e);
            } catch (CalendarEvent.ParseException x) {
                err.println("svcmgr: bad calendar event '" + e + "' at column " + x.column() + ": " + x.getMessage());
                rc = ExitCodes.FAILURE;
                continue;
            }
            List<Instant> next = new ArrayList<>();
            Instant t = now;
            for (int i = 0; i < iterations; i++) {
                t = ev.next(t, zone);
                if (t == null) break;
                next.add(t);
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("expression", e);
                m.put("normalized", ev.normalized());
                List<Object> ns = new ArrayList<>();
                for (Instant n : next) ns.add(n.toString());
                m.put("next", ns);
                docs.add(m);
                continue;
            }
            if (!first) out.println();
            first = false;
            out.println("  Original form: " + e);
            out.println("Normalized form: " + ev.normalized());
            if (next.isEmpty()) out.println("    Next elapse: never");
            for (int i = 0; i < next.size(); i++) {
                Instant n = next.get(i);
                out.println((i == 0 ? "    Next elapse: " : String.format("%15s: ", "Iter. #" + (i + 1)))
                        + ListTimersCommand.WHEN.format(n.atZone(ev.utc() ? UTC : zone)));
                if (!zone.normalized().equals(ZoneOffset.UTC) && !ev.utc()) {
                    out.println("       (in UTC): " + ListTimersCommand.WHEN.format(n.atZone(UTC)));
                }
                out.println("       From now: " + ListTimersCommand.span(Duration.between(now, n)) + " left");
            }
        }
        if (json) out.println(Json.write(docs));
        out.flush();
        return rc;
    }
}
