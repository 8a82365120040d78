package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.units.UnitNames;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** The shared body of is-active, is-failed and is-enabled: one word per unit and an exit code. */
final class UnitQuery {
    private UnitQuery() {}

    static int run(ClientCommand cmd, Client client, List<String> units, Predicate<UnitInfo> test,
                   Function<UnitInfo, String> word, int falseCode) throws NoDaemon, IOException {
        List<String> names = new ArrayList<>();
        for (String u : units) names.add(UnitNames.fromUser(u));
        var out = cmd.out();
        var err = cmd.err();
        Reply.Units reply;
        try {
            reply = client.call(new Request.Units(names, false));
        } catch (DaemonError e) {
            err.println("svcmgr: " + e.error().message());
            return ExitCodes.of(e.error().kind());
        }
        if (reply.units().isEmpty()) return noMatch(err, units);
        int code = ExitCodes.OK;
        boolean missing = false;
        List<Object> json = new ArrayList<>();
        for (UnitInfo u : reply.units()) {
            if (u.isNotFound()) {
                missing = true;
                err.println("svcmgr: unit " + u.unit() + " could not be found");
            }
            String w = word.apply(u);
            if (cmd.common.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("unit", u.unit());
                m.put("state", w);
                json.add(m);
            } else {
                out.println(w);
            }
            if (!test.test(u)) code = falseCode;
        }
        if (cmd.common.json) out.println(Json.write(json.size() == 1 ? json.get(0) : json));
        out.flush();
        return missing ? ExitCodes.NO_SUCH_UNIT : code;
    }

    /** Every unit argument was a glob pattern and none matched a loaded unit: one line, exit 4. */
    static int noMatch(java.io.PrintWriter err, List<String> patterns) {
        err.println("svcmgr: no loaded unit matches " + String.join(", ", patterns.stream().map(p -> "'" + p + "'").toList()));
        err.flush();
        return ExitCodes.NO_SUCH_UNIT;
    }
}
