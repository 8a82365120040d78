package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
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
        Map<String, String> props = new LinkedHashMap<>();
        for (String p : properties) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                err().println("svcmgr: --property expects KEY=VALUE, not '" + p + "'");
                return ExitCodes.USAGE;
            }
            props.put(p.substring(0, eq), p.substring(eq + 1));
        }
        Reply.Ran ran;
        try {
            ran = client.call(new Request.Run(unit, command, oneshot, props));
        } catch (DaemonError e) {
            if (common.json) {
                // {"error","exit"[,"cycle"]}, then (as every command prints an error) {"error"[,"cycle"]}
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("error", e.error().message());
                m.put("exit", ExitCodes.of(e.error().kind()));
                if (e.error().kind() == ErrorKind.REJECTED) m.put("cycle", e.error().cycle());
                printJson(m);
            }
            return fail(e.error());
        }
        // with --oneshot the command's own status is the exit code
        int code = oneshot ? (int) ran.status() : ran.outcome().ok() ? ExitCodes.OK : ExitCodes.FAILURE;
        if (common.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exit", code);
            m.putAll(TransactionCommand.json(ran.outcome()));
            m.put("unit", ran.unit());
            m.put("status", ran.status());
            printJson(m);
        } else if (oneshot) {
            err().println("svcmgr: " + ran.unit() + " exited with status " + ran.status());
        } else {
            out().println("Running as unit: " + ran.unit());
        }
        if (!ran.outcome().ok() && !oneshot) err().println("svcmgr: " + ran.outcome().error());
        return code;
    }
}
