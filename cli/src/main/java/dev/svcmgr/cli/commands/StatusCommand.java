package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
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

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        if (units.isEmpty()) return system(client);
        Map<String, Object> req = Client.request("units");
        req.put("units", unitNames(units));
        Map<String, Object> reply = client.call(req);
        if (!ok(reply)) return fail(reply);
        List<Map<String, Object>> list = maps(reply.get("units"));
        int code = 0;
        boolean missing = false;
        List<Object> json = new ArrayList<>();
        boolean colour = Render.colour();
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> u = list.get(i);
            if ("not-found".equals(u.get("load"))) {
                missing = true;
                if (!common.json) err().println("svcmgr: unit " + u.get("unit") + " could not be found");
                json.add(contract(u));
                continue;
            }
            if (!"active".equals(u.get("active"))) code = 3;
            if (common.json) {
                json.add(contract(u));
            } else {
                if (i > 0) out().println();
                out().print(Render.status(u, logs(client, (String) u.get("unit")), colour));
            }
        }
        if (common.json) printJson(list.size() == 1 ? json.get(0) : json);
        out().flush();
        if (missing) return 4;
        return code;
    }

    /** The unit object with the contract's fields first, details after. */
    private static Map<String, Object> contract(Map<String, Object> u) {
        return new LinkedHashMap<>(u);
    }

    /**
     * The last log lines; when the daemon refuses them to this client (cli.md: only root, the daemon's
     * user, the unit's own user and the log group read a unit's logs) one line saying why instead.
     */
    private List<String> logs(Client client, String unit) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("logs");
        req.put("units", List.of(unit));
        req.put("lines", 10L);
        List<String> lines = new ArrayList<>();
        client.stream(req, r -> {
            if (r.containsKey("line")) lines.add((String) r.get("line"));
            if (r.containsKey("ok") && !ok(r) && r.get("error") instanceof String e && e.startsWith("permission denied")) {
                lines.add("Logs not shown: " + e.substring("permission denied: ".length()).replaceFirst("^the logs of \\S+ are ", "")
                        + " (you are not one of them)");
            }
            return !r.containsKey("end") && (r.containsKey("line") || ok(r));
        });
        return lines;
    }

    private int system(Client client) throws NoDaemon, IOException {
        Map<String, Object> reply = client.call(Client.request("system"));
        if (!ok(reply)) return fail(reply);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("state", reply.get("state"));
        r.put("failed", reply.get("failed"));
        r.put("jobs", reply.get("jobs"));
        if (common.json) {
            printJson(r);
            return 0;
        }
        List<?> failed = reply.get("failed") instanceof List<?> l ? l : List.of();
        String state = str(reply.get("state"));
        out().println(Render.dot("running".equals(state) ? "active" : "degraded".equals(state) ? "failed" : "starting",
                Render.colour()) + " svcmgr");
        out().println("    State: " + state);
        out().println("     Jobs: " + reply.get("jobs") + " queued");
        out().println("   Failed: " + failed.size() + " units");
        for (Object f : failed) out().println("           " + Render.dot("failed", Render.colour()) + " " + f);
        out().flush();
        return 0;
    }
}
