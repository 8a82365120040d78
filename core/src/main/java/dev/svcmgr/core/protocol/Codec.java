package dev.svcmgr.core.protocol;

import dev.svcmgr.core.json.Json;

import java.util.Map;

/**
 * The protocol's JSON lines, over {@link Json}: the daemon reads requests and writes replies
 * here, the client writes requests and reads replies here. {@link Json} refuses a key twice in
 * one object, so a line means one thing only.
 *
 * <p>A request is read in two steps, so that the daemon can check the peer's permission for the
 * verb before it looks at the fields: {@link #envelope} (JSON, version, verb), then {@link
 * #request} (the fields). Both throw {@link BadRequest}.
 */
public final class Codec {
    private Codec() {}

    /** A request line whose JSON, version and verb are good; its fields are still to be read. */
    public record Envelope(Verb verb, Map<String, Object> fields) {}

    /** Reads a request line up to its verb. */
    public static Envelope envelope(String line) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        Object v = m.get("v");
        if (!(v instanceof Long n) || n != Version.CURRENT) {
            throw new BadRequest("expected protocol version \"v\": " + Version.CURRENT + ", got " + shown(v));
        }
        Object word = m.get("verb");
        Verb verb = word instanceof String s ? Verb.of(s) : null;
        if (verb == null) throw new BadRequest("unknown verb " + shown(word));
        return new Envelope(verb, m);
    }

    /** Reads the request's fields. */
    public static Request<?> request(Envelope e) {
        Fields f = new Fields(e.fields());
        return switch (e.verb()) {
            case PING -> new Request.Ping();
            case UNITS -> Request.Units.read(f);
            case SYSTEM -> Request.SystemState.read(f);
            case START, STOP, RESTART, TRY_RESTART, RELOAD, ISOLATE, RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART ->
                    Request.Transaction.read(e.verb(), f);
            case POWEROFF, REBOOT, HALT -> new Request.Power(e.verb());
            case ENABLE, DISABLE, MASK, UNMASK -> Request.Choice.read(e.verb(), f);
            case DAEMON_RELOAD -> new Request.DaemonReload();
            case DAEMON_REEXEC -> new Request.DaemonReexec();
            case DEBUG_FAULT -> Request.DebugFault.read(f);
            case RESET_FAILED -> Request.ResetFailed.read(f);
            case KILL -> Request.Kill.read(f);
            case RUN -> Request.Run.read(f);
            case EVENTS -> Request.Events.read(f);
            case LOGS -> Request.Logs.read(f);
            case PLAN -> Request.Plan.read(f);
            case WHY -> Request.Why.read(f);
            case STATE -> new Request.State();
            case ANALYZE -> new Request.Analyze();
            case TIMERS -> new Request.Timers();
            case ADOPT -> Request.Adopt.read(f);
            case SOCKETS -> new Request.Sockets();
            case JOBS -> new Request.Jobs();
            case UNIT_FILES -> new Request.UnitFiles();
            case GET_DEFAULT -> new Request.GetDefault();
            case SET_DEFAULT -> Request.SetDefault.read(f);
            case GRAPH -> Request.Graph.read(f);
            case DEPENDENCIES -> Request.Dependencies.read(f);
            case SIMULATE -> Request.Simulate.read(f);
            case RENDER -> Request.Render.read(f);
        };
    }

    /** Reads a whole request line. */
    public static Request<?> request(String line) { return request(envelope(line)); }

    /** One line of JSON (without the newline) for a request. */
    public static String write(Request<?> r) { return Json.write(r.toJson()); }

    /** One line of JSON (without the newline) for a reply. */
    public static String write(Reply r) { return Json.write(r.toJson()); }

    /**
     * The first reply to {@code req}: an {@link Reply.Error} when it says {@code ok} false (but a
     * transaction's outcome, which has {@code jobs}, stays a {@link Reply.Done}), else the reply
     * the request expects. Throws {@link BadRequest} when a field has the wrong type.
     */
    public static Reply reply(Request<?> req, Map<String, Object> m) {
        if (!Boolean.TRUE.equals(m.get("ok")) && !m.containsKey("jobs")) return Reply.Error.read(new Fields(m));
        return req.reply(m);
    }

    /** A line of a stream after the first: an event, a log line, the end, a keepalive, or an error (a client cut off). */
    public static Reply streamLine(Map<String, Object> m) {
        Fields f = new Fields(m);
        if (f.has("event")) return new Reply.EventLine(EventInfo.read(f.fields("event")));
        if (f.has("line")) return new Reply.LogLine(f.string("line"), f.string("unit"));
        if (f.has("end")) return new Reply.End();
        if (f.has("keepalive")) return new Reply.Keepalive();
        if (Boolean.FALSE.equals(m.get("ok"))) return Reply.Error.read(f);
        throw new BadRequest("a stream line with none of event, line, end, keepalive, error: " + shown(m));
    }

    /** A short JSON rendering of a value for a message; never throws. */
    public static String shown(Object v) {
        String s;
        try {
            s = Json.write(v);
        } catch (RuntimeException e) {
            s = "a value JSON cannot hold";
        }
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
