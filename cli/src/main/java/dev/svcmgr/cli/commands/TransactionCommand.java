package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The commands that run a transaction (start, stop, restart, try-restart, reload,
 * isolate): one request naming every unit is one transaction; waits for its jobs.
 */
public abstract class TransactionCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", arity = "1..*", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Option(names = "--no-block", description = "Return once the request is queued; do not wait for its jobs.")
    boolean noBlock;

    @Option(names = "--job-mode", paramLabel = "MODE", defaultValue = "replace",
            description = "replace (default): replace conflicting queued jobs; fail: refuse the request if it conflicts.")
    String jobMode;

    /** The protocol verb. */
    abstract Verb verb();

    /**
     * The command {@code name} (start, stop, restart, try-restart, reload, isolate) for {@code units},
     * configured as picocli would with the defaults (job mode replace), for the fast path; null for
     * another name.
     */
    public static TransactionCommand of(String name, List<String> units, boolean noBlock) {
        TransactionCommand c = switch (name) {
            case "start" -> new StartCommand();
            case "stop" -> new StopCommand();
            case "restart" -> new RestartCommand();
            case "try-restart" -> new TryRestartCommand();
            case "reload" -> new ReloadCommand();
            case "isolate" -> new IsolateCommand();
            default -> null;
        };
        if (c == null) return null;
        c.units = List.copyOf(units);
        c.noBlock = noBlock;
        c.jobMode = "replace";
        return c;
    }

    /** The units, the --no-block flag and the job mode, as parsed (for FastPathTest). */
    public List<Object> parsed() { return List.of(units, noBlock, jobMode); }

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        if (!jobMode.equals("replace") && !jobMode.equals("fail")) {
            err().println("svcmgr: --job-mode must be replace or fail, not '" + jobMode + "'");
            return ExitCodes.USAGE;
        }
        Reply.Submitted reply = client.call(new Request.Transaction(verb(), unitNames(units), jobMode, noBlock));
        if (reply instanceof Reply.Queued) {
            if (common.json) printJson(Map.of("queued", true));
            return ExitCodes.OK;
        }
        Reply.Done done = (Reply.Done) reply;
        if (common.json) printJson(json(done));
        if (!common.json) for (String line : done.ignoredFailures()) err().println("svcmgr: note: " + line);
        if (done.ok()) return ExitCodes.OK;
        // a failed transaction has no ignored failures (the daemon reports those only when it succeeded)
        boolean printed = false;
        for (Reply.Done.Job j : done.jobs()) {
            String r = j.result();
            if (r == null || "success".equals(r) || "condition".equals(r) || "canceled".equals(r)) continue;
            err().println("svcmgr: " + j.job() + " " + j.unit() + " failed: " + r + (j.detail() == null ? "" : " (" + j.detail() + ")"));
            printed = true;
        }
        if (done.canceled() != null) {
            err().println("svcmgr: canceled: " + done.canceled());
        } else if (!printed) {
            err().println("svcmgr: " + (done.error() == null ? verb().word() + " failed" : done.error()));
        }
        return ExitCodes.of(done.kind());
    }

    /** What --json prints for a finished transaction: {@code {"jobs","canceled","ignored-failures"}} and {@code "error"} when it failed. */
    static Map<String, Object> json(Reply.Done done) {
        Map<String, Object> m = done.toJson();
        m.remove("ok");
        m.remove("error-kind");
        return m;
    }
}
