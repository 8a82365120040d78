package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code svcmgr run [--unit NAME] [--oneshot] [--property K=V]... -- CMD ARG...}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a command as a transient service, supervised like any other (restart policy, limits, logs),"
                + " gone from the unit list once it has ended.",
                "Properties are unit-file keys: --property restart=always --property 'environment={A: b}'.",
                "Example: svcmgr run --unit backup --oneshot -- /usr/bin/rsync -a /srv /backup"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:started (with --oneshot: the command exited 0)",
                "N:with --oneshot, the command's exit status", "1:could not start, or no daemon runs", "2:usage error"})
public final class RunCommand extends ClientCommand {
    @Option(names = "--unit", paramLabel = "NAME", description = "Name of the transient unit (default run-PID-N.service).")
    String unit;

    @Option(names = "--oneshot", description = "Run as type oneshot: wait for the command and exit with its status.")
    boolean oneshot;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE", description = "A unit-file setting (repeatable).")
    List<String> properties = new java.util.ArrayList<>();

    @Parameters(paramLabel = "CMD", arity = "1..*", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String p : properties) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                err().println("svcmgr: --property expects KEY=VALUE, not '" + p + "'");
                return 2;
            }
            props.put(p.substring(0, eq), p.substring(eq + 1));
        }
        Map<String, Object> req = Client.request("run");
        if (unit != null) req.put("unit", unit);
        req.put("argv", command);
        req.put("oneshot", oneshot);
        req.put("properties", props);
        Map<String, Object> reply = client.call(req);
        if (common.json) {
            Map<String, Object> copy = new LinkedHashMap<>(reply);
            copy.remove("ok");
            copy.remove("error-kind");
            printJson(copy);
        }
        if (reply.get("unit") == null) return fail(reply);
        if (!common.json) {
            if (oneshot) err().println("svcmgr: " + reply.get("unit") + " exited with status " + reply.get("status"));
            else out().println("Running as unit: " + reply.get("unit"));
        }
        if (!ok(reply) && !oneshot) {
            err().println("svcmgr: " + reply.get("error"));
        }
        if (oneshot && reply.get("status") instanceof Long status) return status.intValue();
        return exit(reply);
    }
}
