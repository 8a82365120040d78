package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.cli.client.Render;
import dev.svcmgr.core.protocol.UnitInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code svcmgr list-units [--all] [--state S] [--type T]}. */
@Command(name = "list-units", mixinStandardHelpOptions = true,
        description = "List units as a table: UNIT LOAD ACTIVE SUB DESCRIPTION. By default only units that are not inactive"
                + " (or did not load cleanly); --all lists every unit, as do patterns.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:no daemon runs", "2:usage error"})
public final class ListUnitsCommand extends ClientCommand {
    @Option(names = {"-a", "--all"}, description = "List inactive units too.")
    boolean all;

    @Option(names = "--state", paramLabel = "S", description = "Only units whose active or sub state is S (e.g. failed, running).")
    String state;

    @Option(names = {"-t", "--type"}, paramLabel = "T", description = "Only units of type T (service, target, socket, timer or path).")
    String type;

    @Option(names = "--failed", description = "Only failed units (the same as --state failed).")
    boolean failed;

    @Option(names = "--no-legend", description = "Print no header and no count line.")
    boolean noLegend;

    @Option(names = "--plain", hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean plain;

    @picocli.CommandLine.Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "Only units whose name matches one of these glob patterns (e.g. 'worker@*'; a bare name means NAME.service).")
    List<String> patterns = new ArrayList<>();

    /** The command for {@code patterns} and no option, configured as picocli would (for the fast path). */
    public static ListUnitsCommand of(List<String> patterns) {
        ListUnitsCommand c = new ListUnitsCommand();
        c.patterns = new ArrayList<>(patterns);
        return c;
    }

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        java.util.Set<String> states = java.util.Set.of("inactive", "starting", "active", "stopping", "failed", "dead",
                "waiting", "start-pre", "start", "start-post", "running", "exited", "reload", "stop", "stop-sigterm",
                "stop-sigkill", "auto-restart", "loaded", "not-found", "bad-setting", "masked");
        if (failed) {
            if (state != null && !state.equals("failed")) {
                err().println("svcmgr: --failed and --state " + state + " ask for different states");
                return ExitCodes.USAGE;
            }
            state = "failed";
        }
        if (state != null && !states.contains(state)) {
            err().println("svcmgr: --state: unknown state '" + state + "' (expected an active, sub or load state, e.g. failed, running)");
            return ExitCodes.USAGE;
        }
        if (type != null && dev.svcmgr.units.UnitType.ofName("x." + type) == null) {
            err().println("svcmgr: --type: unknown type '" + type + "' (expected service, target, socket, timer or path)");
            return ExitCodes.USAGE;
        }
        Reply.Units reply = client.call(new Request.Units(List.of(), all || state != null || !patterns.isEmpty()));
        List<Object> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (UnitInfo u : reply.units()) {
            String name = str(u.unit());
            if (type != null && !name.endsWith("." + type)) continue;
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> dev.svcmgr.units.UnitNames.matches(dev.svcmgr.units.UnitNames.fromUser(p), name))) continue;
            if (state != null && !state.equals(u.active()) && !state.equals(u.sub()) && !state.equals(u.load())) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", u.unit());
            m.put("load", u.load());
            m.put("active", u.active());
            m.put("sub", u.sub());
            m.put("description", u.description());
            json.add(m);
            rows.add(List.of(name, str(u.load()), str(u.active()), str(u.sub()), str(u.description())));
        }
        if (common.json) {
            printJson(json);
            return ExitCodes.OK;
        }
        out().print(Render.table(List.of("UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"), rows, !noLegend));
        if (!noLegend) {
            out().println();
            out().println(rows.size() + " units listed." + (all ? "" : " Pass --all to see inactive units, too."));
        }
        out().flush();
        return ExitCodes.OK;
    }
}
