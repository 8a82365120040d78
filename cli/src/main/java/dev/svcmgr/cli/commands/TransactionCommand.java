package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands that run a transaction (start, stop, restart, try-restart, reload,
 * isolate): one request naming every unit is one transaction; waits for its jobs.
 */
abstract class TransactionCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Option(names = "--no-block", description = "Return once the request is queued; do not wait for its jobs.")
    boolean noBlock;

    @Option(names = "--job-mode", paramLabel = "MODE", defaultValue = "replace",
            description = "replace (default): replace conflicting queued jobs; fail: refuse the request if it conflicts.")
    String jobMode;

    /** The protocol verb. */
    abstract String verb();

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        if (!jobMode.equals("replace") && !jobMode.equals("fail")) {
            err().println("svcmgr: --job-mode must be replace or fail, not '" + jobMode + "'");
            return 2;
        }
        Map<String, Object> req = Client.request(verb());
        req.put("units", unitNames(units));
        req.put("mode", jobMode);
        req.put("no-block", noBlock);
        Map<String, Object> reply = client.call(req);
        if (common.json) {
            Map<String, Object> copy = new LinkedHashMap<>(reply);
            copy.remove("ok");
            copy.remove("exit");
            copy.remove("error-kind");
            printJson(copy);
        }
        if (!common.json && reply.get("ignored-failures") instanceof List<?> ig) {
            for (Object line : ig) err().println("svcmgr: note: " + line);
        }
        if (ok(reply)) return 0;
        List<Map<String, Object>> jobs = maps(reply.get("jobs"));
        boolean printed = false;
        for (Map<String, Object> j : jobs) {
            Object r = j.get("result");
            if (r == null || "success".equals(r) || "condition".equals(r) || "canceled".equals(r)) continue;
            if (String.valueOf(reply.get("ignored-failures")).contains(" " + j.get("unit") + " failed")) continue;
            err().println("svcmgr: " + j.get("job") + " " + j.get("unit") + " failed: " + r
                    + (j.get("detail") == null ? "" : " (" + j.get("detail") + ")"));
            printed = true;
        }
        if (reply.get("canceled") != null) {
            err().println("svcmgr: canceled: " + reply.get("canceled"));
        } else if (!printed) {
            err().println("svcmgr: " + reply.getOrDefault("error", verb() + " failed"));
        }
        return exit(reply);
    }
}
