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
                + " (or did not load cleanly); --all lists every unit.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:no daemon runs", "2:usage error"})
public final class ListUnitsCommand extends ClientCommand {
    @Option(names = {"-a", "--all"}, description = "List inactive units too.")
    boolean all;

    @Option(names = "--state", paramLabel = "S", description = "Only units whose active or sub state is S (e.g. failed, running).")
    String state;

    @Option(names = {"-t", "--type"}, paramLabel = "T", description = "Only units of type T (service or target).")
    String type;

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        java.util.Set<String> states = java.util.Set.of("inactive", "starting", "active", "stopping", "failed", "dead",
                "waiting", "start-pre", "start", "start-post", "running", "exited", "reload", "stop", "stop-sigterm",
                "stop-sigkill", "auto-restart", "loaded", "not-found", "bad-setting", "masked");
        if (state != null && !states.contains(state)) {
            err().println("svcmgr: --state: unknown state '" + state + "' (expected an active, sub or load state, e.g. failed, running)");
            return ExitCodes.USAGE;
        }
        if (type != null && !type.equals("service") && !type.equals("target")) {
            err().println("svcmgr: --type: unknown type '" + type + "' (expected service or target)");
            return ExitCodes.USAGE;
        }
        Reply.Units reply = client.call(new Request.Units(List.of(), all || state != null));
        List<Object> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (UnitInfo u : reply.units()) {
            String name = str(u.unit());
            if (type != null && !name.endsWith("." + type)) continue;
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
        out().print(Render.table(List.of("UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"), rows));
        out().println();
        out().println(rows.size() + " units listed." + (all ? "" : " Pass --all to see inactive units, too."));
        out().flush();
        return ExitCodes.OK;
    }
}
