package dev.svcmgr.core.http;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Transition;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.units.UnitNames;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code /api}: {@code /api/units} is {@code list-units --all --json}, {@code
 * /api/units/NAME} is {@code status NAME --json}, both from the same replies the CLI reads.
 */
final class Api {
    private Api() {}

    /** At most this many names in one {@code units} request (the protocol's limit is 4,096). */
    static final int CHUNK = 1_000;

    /** Every unit, the list-units row of each: {@code [{"unit","load","active","sub","description"}]}. */
    static List<Object> units(StatusServer.Backend b) throws IOException, InterruptedException {
        List<Object> out = new ArrayList<>();
        for (UnitInfo u : all(b)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", u.unit());
            m.put("load", u.load());
            m.put("active", u.active());
            m.put("sub", u.sub());
            m.put("description", u.description());
            out.add(m);
        }
        return out;
    }

    /** Every unit, briefly (as {@code list-units --all}). */
    static List<UnitInfo> all(StatusServer.Backend b) throws IOException, InterruptedException {
        return expect(b.call(new Request.Units(List.of(), true), false), Reply.Units.class).units();
    }

    /** Every unit in detail (restarts, cause, memory ...), asked for by name in chunks. */
    static List<UnitInfo> detailed(StatusServer.Backend b) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (UnitInfo u : all(b)) names.add(u.unit());
        List<UnitInfo> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i += CHUNK) {
            List<String> part = names.subList(i, Math.min(names.size(), i + CHUNK));
            for (UnitInfo u : expect(b.call(new Request.Units(List.copyOf(part), false), false), Reply.Units.class).units()) {
                if (!u.isNotFound()) out.add(u); // a transient unit that ended between the two requests
            }
        }
        return out;
    }

    /** {@code status NAME --json}; null when no unit has that name (or it cannot be one). */
    static Object unit(StatusServer.Backend b, String name) throws IOException, InterruptedException {
        String n = UnitNames.fromUser(name);
        if (!UnitNames.isValid(n)) return null;
        List<UnitInfo> us = expect(b.call(new Request.Units(List.of(n), false), false), Reply.Units.class).units();
        if (us.isEmpty() || us.get(0).isNotFound()) return null;
        return us.get(0).toJson();
    }

    /** {@code {"unit","lines":[...]}}: the last 50 lines of the unit's log (only with --http-show-logs). */
    static Object logs(StatusServer.Backend b, String name) throws IOException, InterruptedException {
        String n = UnitNames.fromUser(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", n);
        m.put("lines", UnitNames.isValid(n) ? b.logTail(n, 50) : null);
        return m;
    }

    /** The last transition the daemon kept, or null. */
    static Transition lastTransition(StatusServer.Backend b) throws IOException, InterruptedException {
        List<Transition> ts = expect(b.call(new Request.Analyze(), false), Reply.Analyze.class).transitions();
        return ts.isEmpty() ? null : ts.get(ts.size() - 1);
    }

    static Reply.SystemState system(StatusServer.Backend b) throws IOException, InterruptedException {
        return expect(b.call(new Request.SystemState(false), false), Reply.SystemState.class);
    }

    /** The reply as the type asked, or an IOException with the daemon's error. */
    static <T extends Reply> T expect(Reply r, Class<T> type) throws IOException {
        if (type.isInstance(r)) return type.cast(r);
        if (r instanceof Reply.Error e) throw new IOException(e.message());
        throw new IOException("unexpected reply " + (r == null ? "none" : r.getClass().getSimpleName()));
    }
}
