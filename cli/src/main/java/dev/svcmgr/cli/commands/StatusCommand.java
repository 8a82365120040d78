package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code svcmgr status [UNIT...]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show units' state systemctl-like: description, loaded file and drop-ins, active state since when,"
                + " main PID, tasks, memory, the last failure and the last 10 log lines.",
                "Without UNIT: the system state (running, starting, degraded, stopping), queued jobs and failed units."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every named unit is active (without UNIT: the daemon answered)",
                "1:no daemon runs or the request failed", "2:usage error", "3:a named unit is not active",
                "4:no such unit"})
public final class StatusCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "0..*", description = "Units; a bare name means NAME.service.")
    List<String> units = new ArrayList<>();

    /** The command for {@code units}, configured as picocli would (for the fast path). */
    public static StatusCommand of(List<String> units) {
        StatusCommand c = new StatusCommand();
        c.units = new ArrayList<>(units);
        return c;
    }

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        if (units.isEmpty()) return system(client);
        Reply.Units reply = client.call(new Request.Units(unitNames(units), false));
        List<UnitInfo> list = reply.units();
        if (list.isEmpty()) return UnitQuery.noMatch(err(), units);
        int code = ExitCodes.OK;
        boolean missing = false;
        List<Object> json = new ArrayList<>();
        boolean colour = colour();
        for (int i = 0; i < list.size(); i++) {
            UnitInfo u = list.get(i);
            if (u.isNotFound()) {
                missing = true;
                if (!common.json) err().println("svcmgr: unit " + u.unit() + " could not be found");
                json.add(u.toJson());
                continue;
            }
            if (!"active".equals(u.active())) code = ExitCodes.NOT_ACTIVE;
            if (common.json) {
                json.add(u.toJson());
            } else {
                if (i > 0) out().println();
                String text = Render.status(u, logs(client, u.unit()), colour);
                if (u.unit().endsWith(".timer")) text = withTrigger(client, u.unit(), text);
                if (u.unit().endsWith(".socket")) text = withListen(client, u.unit(), text);
                out().print(text);
            }
        }
        if (common.json) printJson(list.size() == 1 ? json.get(0) : json);
        out().flush();
        if (missing) return ExitCodes.NO_SUCH_UNIT;
        return code;
    }

    /** A socket unit's status with systemctl's {@code Listen:} lines (one per socket) and {@code Accepted:}. */
    private static String withListen(Client client, String unit, String text) throws NoDaemon, IOException, DaemonError {
        StringBuilder lines = new StringBuilder();
        long accepted = -1;
        String activates = null;
        for (Reply.Sockets.Socket s : client.call(new Request.Sockets()).sockets()) {
            if (!s.unit().equals(unit)) continue;
            lines.append(lines.length() == 0 ? "     Listen: " : "             ").append(s.listen()).append('\n');
            accepted = s.accepted();
            activates = s.activates();
        }
        if (lines.length() == 0) return text;
        lines.append("   Accepted: ").append(accepted).append(" (connections that started the service)\n");
        lines.append("   Triggers: ").append(activates).append('\n');
        int at = text.indexOf("\n", Math.max(0, text.indexOf("Active: ")));
        return at < 0 ? text + lines : text.substring(0, at + 1) + lines + text.substring(at + 1);
    }

    /** A timer's status with systemctl's {@code Trigger:} and {@code Triggers:} lines after {@code Active:}. */
    private static String withTrigger(Client client, String unit, String text) throws NoDaemon, IOException, DaemonError {
        Client.abandon(); // the time is in the client's zone, which only its own JVM knows (inside the daemon: not rendered)
        for (Reply.Timers.Timer t : client.call(new Request.Timers()).timers()) {
            if (!t.unit().equals(unit)) continue;
            java.time.Instant now = java.time.Instant.now();
            String trigger = t.next() == null ? "n/a" : ListTimersCommand.WHEN.format(java.time.Instant.parse(t.next())
                    .atZone(java.time.ZoneId.systemDefault())) + "; " + ListTimersCommand.span(
                    java.time.Duration.between(now, java.time.Instant.parse(t.next()))) + " left";
            String lines = "    Trigger: " + trigger + "\n   Triggers: " + t.activates() + "\n";
            int at = text.indexOf("\n", Math.max(0, text.indexOf("Active: ")));
            return at < 0 ? text + lines : text.substring(0, at + 1) + lines + text.substring(at + 1);
        }
        return text;
    }

    /**
     * The last log lines; when the daemon refuses them to this client (cli.md: only root, the daemon's
     * user, the unit's own user and the log group read a unit's logs) one line saying why instead.
     */
    private List<String> logs(Client client, String unit) throws NoDaemon, IOException {
        List<String> lines = new ArrayList<>();
        client.stream(new Request.Logs(unit, 10, false), r -> {
            if (r instanceof Reply.LogLine l) lines.add(l.line());
            if (r instanceof Reply.Error e && e.kind() == ErrorKind.DENIED && e.message().startsWith("permission denied")) {
                lines.add("Logs not shown: " + e.message().substring("permission denied: ".length())
                        .replaceFirst("^the logs of \\S+ are ", "") + " (you are not one of them)");
            }
            return r instanceof Reply.LogLine || r instanceof Reply.LogsStarted;
        });
        return lines;
    }

    private int system(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.SystemState reply = client.call(new Request.SystemState(false));
        if (common.json) {
            printJson(systemJson(reply));
            return ExitCodes.OK;
        }
        String state = reply.state() == null ? "" : reply.state();
        out().println(Render.dot("running".equals(state) ? "active" : "degraded".equals(state) ? "failed" : "starting",
                colour()) + " svcmgr");
        out().println("    State: " + state);
        out().println("     Jobs: " + reply.jobs() + " queued");
        out().println("   Failed: " + reply.failed().size() + " units");
        for (String f : reply.failed()) out().println("           " + Render.dot("failed", colour()) + " " + f);
        out().flush();
        return ExitCodes.OK;
    }

    /** {@code {"state","failed","jobs"}}, as cli.md has it for {@code status --json} and {@code is-system-running --json}. */
    static Map<String, Object> systemJson(Reply.SystemState s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("state", s.state());
        r.put("failed", s.failed());
        r.put("jobs", s.jobs());
        return r;
    }
}
