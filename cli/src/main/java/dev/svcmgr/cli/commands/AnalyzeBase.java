package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Transition;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;

/** The analyze subcommands: fetch the kept transitions and pick one. */
abstract class AnalyzeBase extends ClientCommand {
    @Option(names = "--transition", paramLabel = "last|boot|N", defaultValue = "last",
            description = "Which transition: last (default), boot, or its number N (as 'svcmgr analyze blame --json' shows).")
    String transition;

    /** The chosen transition, or null after printing why there is none. */
    Transition transition(Client client) throws NoDaemon, IOException {
        List<Transition> all;
        try {
            all = client.call(new Request.Analyze()).transitions();
        } catch (DaemonError e) {
            fail(e.error());
            return null;
        }
        Transition pick = null;
        for (Transition t : all) {
            if (transition.equals("last")) pick = t;
            else if (transition.equals("boot") && t.boot()) pick = t;
            else if (transition.equals(String.valueOf(t.tx()))) pick = t;
        }
        if (pick == null) {
            err().println("svcmgr: no transition '" + transition + "' is kept"
                    + (all.isEmpty() ? " (none has finished yet)" : " (kept: " + all.stream().map(t -> t.tx() + " " + t.request()).toList() + ")"));
        }
        return pick;
    }

    /** A time in milliseconds, 0 when there is none. */
    static long num(Long ms) { return ms == null ? 0 : ms; }

    /** {@code 1.234s} or {@code 56ms}. */
    static String ms(long ms) {
        return ms >= 1000 ? String.format("%d.%03ds", ms / 1000, ms % 1000) : ms + "ms";
    }
}
