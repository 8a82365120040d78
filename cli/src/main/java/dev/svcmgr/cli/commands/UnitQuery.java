package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.ErrorKind;
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

    @SuppressWarnings("unchecked")
    static int run(ClientCommand cmd, Client client, List<String> units, Predicate<Map<String, Object>> test,
                   Function<Map<String, Object>, String> word, int falseCode) throws NoDaemon, IOException {
        Map<String, Object> req = Client.request("units");
        List<Object> names = new ArrayList<>();
        for (String u : units) names.add(UnitNames.fromUser(u));
        req.put("units", names);
        Map<String, Object> reply = client.call(req);
        var out = cmd.spec.commandLine().getOut();
        var err = cmd.spec.commandLine().getErr();
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            err.println("svcmgr: " + reply.get("error"));
            return ExitCodes.of(ErrorKind.of(reply.get("error-kind") instanceof String s ? s : null));
        }
        int code = 0;
        boolean missing = false;
        List<Object> json = new ArrayList<>();
        for (Object o : (List<Object>) reply.get("units")) {
            Map<String, Object> u = (Map<String, Object>) o;
            boolean notFound = "not-found".equals(u.get("load"));
            if (notFound) {
                missing = true;
                err.println("svcmgr: unit " + u.get("unit") + " could not be found");
            }
            String w = notFound ? (word.apply(u).equals("not-found") ? "not-found" : word.apply(u)) : word.apply(u);
            if (cmd.common.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("unit", u.get("unit"));
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
}
