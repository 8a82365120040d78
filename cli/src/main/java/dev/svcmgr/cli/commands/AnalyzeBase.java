package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The analyze subcommands: fetch the kept transitions and pick one. */
abstract class AnalyzeBase extends ClientCommand {
    @Option(names = "--transition", paramLabel = "last|boot|N", defaultValue = "last",
            description = "Which transition: last (default), boot, or its number N (as 'svcmgr analyze blame --json' shows).")
    String transition;

    /** The chosen transition, or null after printing why there is none. */
    Map<String, Object> transition(Client client) throws NoDaemon, IOException {
        Map<String, Object> reply = client.call(Client.request("analyze"));
        if (!ok(reply)) {
            fail(reply);
            return null;
        }
        List<Map<String, Object>> all = maps(reply.get("transitions"));
        Map<String, Object> pick = null;
        for (Map<String, Object> t : all) {
            if (transition.equals("last")) pick = t;
            else if (transition.equals("boot") && Boolean.TRUE.equals(t.get("boot"))) pick = t;
            else if (transition.equals(String.valueOf(t.get("tx")))) pick = t;
        }
        if (pick == null) {
            err().println("svcmgr: no transition '" + transition + "' is kept"
                    + (all.isEmpty() ? " (none has finished yet)" : " (kept: " + all.stream().map(t -> t.get("tx") + " " + t.get("request")).toList() + ")"));
        }
        return pick;
    }

    static long num(Object o) { return o instanceof Number n ? n.longValue() : 0; }

    /** {@code 1.234s} or {@code 56ms}. */
    static String ms(long ms) {
        return ms >= 1000 ? String.format("%d.%03ds", ms / 1000, ms % 1000) : ms + "ms";
    }
}
