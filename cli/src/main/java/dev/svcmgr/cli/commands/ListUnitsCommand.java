package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
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
    protected int run(Client client) throws NoDaemon, IOException {
        java.util.Set<String> states = java.util.Set.of("inactive", "starting", "active", "stopping", "failed", "dead",
                "waiting", "start-pre", "start", "start-post", "running", "exited", "reload", "stop", "stop-sigterm",
                "stop-sigkill", "auto-restart", "loaded", "not-found", "bad-setting", "masked");
        if (state != null && !states.contains(state)) {
            err().println("svcmgr: --state: unknown state '" + state + "' (expected an active, sub or load state, e.g. failed, running)");
            return 2;
        }
        if (type != null && !type.equals("service") && !type.equals("target")) {
            err().println("svcmgr: --type: unknown type '" + type + "' (expected service or target)");
            return 2;
        }
        Map<String, Object> req = Client.request("units");
        req.put("all", all || state != null);
        Map<String, Object> reply = client.call(req);
        if (!ok(reply)) return fail(reply);
        List<Object> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> u : maps(reply.get("units"))) {
            String name = str(u.get("unit"));
            if (type != null && !name.endsWith("." + type)) continue;
            if (state != null && !state.equals(u.get("active")) && !state.equals(u.get("sub"))
                    && !state.equals(u.get("load"))) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("unit", "load", "active", "sub", "description")) m.put(k, u.get(k));
            json.add(m);
            rows.add(List.of(name, str(u.get("load")), str(u.get("active")), str(u.get("sub")), str(u.get("description"))));
        }
        if (common.json) {
            printJson(json);
            return 0;
        }
        out().print(Render.table(List.of("UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"), rows));
        out().println();
        out().println(rows.size() + " units listed." + (all ? "" : " Pass --all to see inactive units, too."));
        out().flush();
        return 0;
    }
}
