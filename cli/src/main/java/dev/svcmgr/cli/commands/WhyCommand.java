package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code svcmgr why UNIT}. */
@Command(name = "why", mixinStandardHelpOptions = true,
        description = {"Say why a unit is in its state: the request, dependency or restart that put it there, as a chain"
                + " back to its origin; for a failed or skipped unit, the failing condition or dependency.",
                "Example: 'failed: dependency db.service failed: exit-code' followed by db.service's own reason."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:answered", "1:no daemon runs", "2:usage error", "4:no such unit"})
public final class WhyCommand extends ClientCommand {
    @Parameters(paramLabel = "UNIT", description = "The unit; a bare name means NAME.service.")
    String unit;

    /** The command for {@code unit}, configured as picocli would (for the fast path). */
    public static WhyCommand of(String unit) {
        WhyCommand c = new WhyCommand();
        c.unit = unit;
        return c;
    }

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        Reply.Why reply = client.call(new Request.Why(UnitNames.fromUser(unit)));
        if (common.json) {
            List<Object> chain = new ArrayList<>();
            for (Reply.Why.Link l : reply.chain()) {
                Map<String, Object> link = new LinkedHashMap<>();
                link.put("unit", l.unit());
                link.put("reason", reason(l));
                chain.add(link);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", reply.unit());
            m.put("active", reply.active());
            m.put("chain", chain);
            printJson(m);
            return ExitCodes.OK;
        }
        String indent = "";
        for (Reply.Why.Link l : reply.chain()) {
            out().println(indent + l.unit() + ": " + reason(l));
            indent = indent.isEmpty() ? "  -> " : "  " + indent;
        }
        out().flush();
        return ExitCodes.OK;
    }

    /**
     * One link in words: {@code failed: dependency db.service failed: exit-code}, {@code inactive:
     * condition path-exists /x not met}, {@code failed: exit-code (exited with status 1); <cause>},
     * {@code active: <cause>}, {@code inactive: never started}.
     */
    static String reason(Reply.Why.Link l) {
        String active = l.active();
        String result = l.result();
        boolean failure = result != null && !result.equals("success") && !result.equals("condition");
        if ("dependency".equals(result) && l.detail() != null) return active + ": " + l.detail();
        if ("condition".equals(result)) return active + ": " + (l.detail() == null ? "condition not met" : l.detail());
        if ("failed".equals(active) || failure) {
            return active + ": " + (result == null ? "failed" : result) + (l.detail() == null ? "" : " (" + l.detail() + ")")
                    + (l.cause() == null ? "" : "; " + l.cause());
        }
        if (l.cause() != null) return active + ": " + l.cause();
        return active + ": " + ("inactive".equals(active) ? "never started" : "no recorded cause");
    }
}
