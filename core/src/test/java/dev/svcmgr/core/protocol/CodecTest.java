package dev.svcmgr.core.protocol;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {
    /** One request of every verb, with its fields set to something other than the defaults where it has any. */
    static Request<?> sample(Verb v) {
        return switch (v) {
            case PING -> new Request.Ping();
            case UNITS -> new Request.Units(List.of("a.service", "b.service"), true);
            case SYSTEM -> new Request.SystemState(true);
            case START, STOP, RESTART, TRY_RESTART, RELOAD, RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART -> new Request.Transaction(v, List.of("a.service", "b.service"), "fail", true);
            case ISOLATE -> new Request.Transaction(v, List.of("multi-user.target"), "replace", false);
            case POWEROFF, REBOOT, HALT -> new Request.Power(v);
            case ENABLE, DISABLE, MASK, UNMASK -> new Request.Choice(v, List.of("a.service"));
            case DAEMON_RELOAD -> new Request.DaemonReload();
            case DAEMON_REEXEC -> new Request.DaemonReexec();
            case DEBUG_FAULT -> new Request.DebugFault("loop-error");
            case RESET_FAILED -> new Request.ResetFailed(List.of("a.service"));
            case KILL -> new Request.Kill(List.of("a.service"), "USR2");
            case RUN -> new Request.Run("job.service", List.of("/bin/echo", "hi there"), true, Map.of("restart", "no"));
            case EVENTS -> new Request.Events(41L, false);
            case LOGS -> new Request.Logs("a.service", 25, true);
            case PLAN -> new Request.Plan(Verb.ISOLATE, List.of("rescue.target"), "fail", List.of("db.service"));
            case WHY -> new Request.Why("a.service");
            case STATE -> new Request.State();
            case ANALYZE -> new Request.Analyze();
            case TIMERS -> new Request.Timers();
            case ADOPT -> new Request.Adopt(4242, "legacy.service");
            case SOCKETS -> new Request.Sockets();
            case JOBS -> new Request.Jobs();
            case UNIT_FILES -> new Request.UnitFiles();
            case GET_DEFAULT -> new Request.GetDefault();
            case SET_DEFAULT -> new Request.SetDefault("rescue.target");
            case GRAPH -> new Request.Graph("web.target");
            case DEPENDENCIES -> new Request.Dependencies("default.target", true, true);
            case SIMULATE -> new Request.Simulate(Verb.START, List.of("web.service"), Map.of("db.service", "timeout"),
                    Map.of("cache.service", 40_000L), List.of("queue.service"), List.of("db.service"));
            case RENDER -> new Request.Render(List.of("status", "web", "--runtime-dir", "/run/x"), true, "Europe/Paris", "1764662400123456789");
        };
    }

    @Test
    @DisplayName("every request reads back as it was written, and carries its verb and the protocol version")
    void everyRequestRoundTrips() {
        for (Verb v : Verb.values()) {
            Request<?> r = sample(v);
            assertEquals(v, r.verb());
            String line = Codec.write(r);
            Map<String, Object> m = Json.parseObject(line);
            assertEquals((long) Version.CURRENT, m.get("v"), line);
            assertEquals(v.word(), m.get("verb"), line);
            assertEquals(r, Codec.request(line), line);
        }
    }

    @Test
    void defaultsOfOptionalFields() {
        assertEquals(new Request.Units(List.of(), false), Codec.request("{\"v\":1,\"verb\":\"units\"}"));
        assertEquals(new Request.Events(null, true), Codec.request("{\"v\":1,\"verb\":\"events\"}"));
        assertEquals(new Request.Events(null, true), Codec.request("{\"v\":1,\"verb\":\"events\",\"since\":-1}"));
        assertEquals(new Request.Logs("a", 10, false), Codec.request("{\"v\":1,\"verb\":\"logs\",\"units\":[\"a\"]}"));
        assertEquals(new Request.Logs(List.of(), 10, false, null, null), Codec.request("{\"v\":1,\"verb\":\"logs\"}"));
        assertEquals(new Request.Logs(List.of("a", "b"), -1, true, java.time.Instant.parse("2026-12-02T10:00:00Z"), null),
                Codec.request("{\"v\":1,\"verb\":\"logs\",\"units\":[\"a\",\"b\"],\"lines\":-1,\"follow\":true,"
                        + "\"since\":\"2026-12-02T10:00:00Z\"}"));
        assertEquals("\"until\" must be an ISO instant such as 2026-12-02T10:00:00Z",
                badRequest("{\"v\":1,\"verb\":\"logs\",\"until\":\"yesterday\"}"));
        assertEquals(new Request.Transaction(Verb.START, List.of("a"), null, false),
                Codec.request("{\"v\":1,\"verb\":\"start\",\"units\":[\"a\"]}"));
        assertEquals(new Request.Graph(null), Codec.request("{\"v\":1,\"verb\":\"graph\"}"));
    }

    private static String badRequest(String line) {
        return assertThrows(BadRequest.class, () -> Codec.request(line), line).getMessage();
    }

    @Test
    @DisplayName("a malformed request is a BadRequest that says what is wrong")
    void malformedRequests() {
        assertEquals("expected protocol version \"v\": 1, got 2", badRequest("{\"v\":2,\"verb\":\"ping\"}"));
        assertEquals("expected protocol version \"v\": 1, got null", badRequest("{\"verb\":\"ping\"}"));
        assertEquals("unknown verb \"frobnicate\"", badRequest("{\"v\":1,\"verb\":\"frobnicate\"}"));
        assertEquals("unknown verb \"status\"", badRequest("{\"v\":1,\"verb\":\"status\"}"));
        assertTrue(badRequest("{\"v\":1,\"verb\":\"ping\",\"verb\":\"halt\"}").contains("duplicate key \"verb\""));
        assertTrue(badRequest("not json").startsWith("bad JSON at position 0"));
        assertEquals("\"units\" must be a list of strings", badRequest("{\"v\":1,\"verb\":\"start\",\"units\":\"a\"}"));
        assertEquals("\"units\" must name at least one unit", badRequest("{\"v\":1,\"verb\":\"stop\",\"units\":[]}"));
        assertEquals("isolate takes exactly one target", badRequest("{\"v\":1,\"verb\":\"isolate\",\"units\":[\"a\",\"b\"]}"));
        assertEquals("\"mode\" must be replace, fail or isolate, not sideways",
                badRequest("{\"v\":1,\"verb\":\"start\",\"units\":[\"a\"],\"mode\":\"sideways\"}"));
        assertEquals("\"no-block\" must be true or false", badRequest("{\"v\":1,\"verb\":\"start\",\"units\":[\"a\"],\"no-block\":1}"));
        assertEquals("\"plan-verb\" must be start, stop, restart or isolate", badRequest("{\"v\":1,\"verb\":\"plan\",\"units\":[\"a\"]}"));
        assertEquals("unknown transaction verb kill", badRequest("{\"v\":1,\"verb\":\"plan\",\"plan-verb\":\"kill\",\"units\":[\"a\"]}"));
        assertEquals("\"argv\" must name the command to run", badRequest("{\"v\":1,\"verb\":\"run\"}"));
        assertEquals("\"properties\" must be an object", badRequest("{\"v\":1,\"verb\":\"run\",\"argv\":[\"x\"],\"properties\":[]}"));
        assertEquals("property restart must be KEY=VALUE on one line",
                badRequest("{\"v\":1,\"verb\":\"run\",\"argv\":[\"x\"],\"properties\":{\"restart\":\"no\\nexec: y\"}}"));
        assertEquals("\"since\" must be a whole number", badRequest("{\"v\":1,\"verb\":\"events\",\"since\":1.5}"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Request.MAX_NAMES; i++) many.add("u" + i);
        assertEquals("too many units in one request: 4097 (at most 4096); ask in several requests",
                badRequest(Json.write(Map.of("v", 1, "verb", "units", "units", many))));
    }

    @Test
    @DisplayName("the verb is known before the fields are read, so permission is checked first")
    void theEnvelopeComesFirst() {
        Codec.Envelope e = Codec.envelope("{\"v\":1,\"verb\":\"stop\",\"units\":\"not a list\"}");
        assertEquals(Verb.STOP, e.verb());
        assertThrows(BadRequest.class, () -> Codec.request(e));
    }

    private static UnitInfo detailed() {
        return new UnitInfo("api.service", "loaded", "active", "running", "success", 4242L, "2026-01-02T03:04:05Z", "The API",
                "/etc/svcmgr/units/api.service.yaml", new UnitInfo.Details("service", null, "Ready", List.of("/d/x.yaml"),
                "enabled", "start api.service", List.of("a.yaml:3:1: warning"),
                new UnitInfo.Supervision(2, List.of("slow"), "cgroup /sys/fs/cgroup/x",
                        List.of(new UnitInfo.Failure("2026-01-02T03:00:00Z", "exit-code", "exited with status 1"))),
                new UnitInfo.Processes(List.of(4242L, 4243L), 3, 1048576L, "1.0M", false), true));
    }

    static List<Reply> replies() {
        UnitInfo plain = new UnitInfo("db.service", "loaded", "inactive", "dead", null, null, null, "", null, null);
        UnitInfo target = new UnitInfo("web.target", "loaded", "active", "active", "success", null, null, "Web",
                "/u/web.target.yaml", new UnitInfo.Details("target", null, null, List.of(), "static", null, List.of(), null, null, false));
        UnitInfo unread = new UnitInfo("x.service", "loaded", "inactive", "dead", null, null, null, "", "/u/x.service.yaml",
                new UnitInfo.Details("service", null, null, List.of(), "disabled", null, List.of(), null,
                        new UnitInfo.Processes(List.of(), 0, null, null, false), false));
        Reply.Done ok = new Reply.Done(true, List.of(new Reply.Done.Job("a.service", "start", "success", null, 12)), null,
                List.of("start b.service failed: exit-code; ignored: wanted, not required"), null, null);
        Reply.Done failed = new Reply.Done(false, List.of(new Reply.Done.Job("a.service", "start", "exit-code", "exited with status 3", 7)),
                null, List.of(), ErrorKind.FAILED, "start a.service: exit-code (exited with status 3)");
        Reply.Done canceled = new Reply.Done(false, List.of(new Reply.Done.Job("a.service", "start", "canceled", null, 0)),
                "replaced by isolate b.target", List.of(), ErrorKind.CANCELED, "canceled: replaced by isolate b.target");
        return List.of(
                new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: unknown verb \"x\""),
                Reply.Error.notFound("nope.service", "unit nope.service not found"),
                Reply.Error.rejected("ordering cycle: a.service -> b.service -> a.service", List.of("a.service", "b.service", "a.service")),
                Reply.Error.rejected("a.service conflicts with b.service", null),
                new Reply.Empty(),
                new Reply.Ping("0.1.0", 77, 123456789),
                new Reply.Units(List.of(detailed(), plain, target, unread, UnitInfo.notFound("gone.service"))),
                new Reply.SystemState("degraded", List.of("a.service"), 2),
                new Reply.Queued(), ok, failed, canceled,
                new Reply.Ran(failed, "run-1-1.service", 3),
                new Reply.Power("halt", false),
                new Reply.Changed(List.of("a.service")),
                new Reply.Reloaded(List.of("x.yaml:1:1: error: bad")),
                new Reply.Reexecuting(77, 99),
                new Reply.EventsStarted(5),
                new Reply.LogsStarted("a.service", null),
                new Reply.LogsStarted("a.service", "lost 3 lines"),
                new Reply.LogsStarted("a.service", null, List.of("a.service", "b.service"), Map.of("b.service", "lost 3 lines"),
                        Map.of("c.service", "permission denied: the logs of c.service are readable by root")),
                new Reply.Planned(List.of("web.target"), List.of(new Reply.Planned.Job("db.service", "start", 0, "required by web.target",
                        List.of(), List.of()), new Reply.Planned.Job("web.target", "start", 1, "requested", List.of("db.service"),
                        List.of("start db.service"))),
                        List.of("x.service: not found (wanted by web.target)")),
                new Reply.Why("api.service", "failed", List.of(
                        new Reply.Why.Link("api.service", "failed", "dependency", "dependency db.service failed: exit-code", "start api.service"),
                        new Reply.Why.Link("db.service", "failed", "exit-code", "exited with status 1", null))),
                new Reply.State(Map.of("a.service", "active"), List.of("/u"), List.of("m.service"), List.of()),
                new Reply.Analyze(List.of(new Transition(3, "start a.service", false, "2026-01-02T03:04:05Z", "2026-01-02T03:04:06Z",
                        List.of(new Transition.Job("a.service", "start", "success", 0, 5L, 900L, List.of("db.service")),
                                new Transition.Job("b.service", "start", null, 0, null, null, List.of()))))),
                new Reply.Graph(List.of(new Reply.Graph.Node("a.service", "service", "active")),
                        List.of(new Reply.Graph.Edge("a.service", "b.service", "requires"))),
                new Reply.Dependencies(List.of(new Reply.Dependencies.Line("default.target", "active", false, 1),
                        new Reply.Dependencies.Line("a.service", "inactive", true, 0))),
                new Reply.Simulated(new SimulationReport("start web.service", false, true, 90_000,
                        List.of(new SimulationReport.Job("db.service", "start", 0L, 90_000L, "timeout", "timed out"),
                                new SimulationReport.Job("web.service", "start", null, 90_000L, "dependency", null)),
                        List.of(new SimulationReport.Failure("db.service", "timeout", "timed out")),
                        List.of(new SimulationReport.Final("db.service", "failed", "failed", "timeout")), List.of("db.service"), null)),
                Reply.Rendered.notTaken(),
                new Reply.Rendered(true, 3, List.of(new Reply.Rendered.Piece(false, "\u25cf web.service\n"),
                        new Reply.Rendered.Piece(true, "svcmgr: unit x.service could not be found\n"))));
    }

    /** The request whose reply has this shape (for reading it back). */
    private static Request<?> askedFor(Reply r) {
        return switch (r.getClass().getSimpleName()) {
            case "Empty", "Error" -> new Request.ResetFailed(List.of());
            case "Ping" -> new Request.Ping();
            case "Units" -> new Request.Units(List.of(), false);
            case "SystemState" -> new Request.SystemState(false);
            case "Queued", "Done" -> new Request.Transaction(Verb.START, List.of("a"), null, false);
            case "Ran" -> new Request.Run(null, List.of("x"), false, Map.of());
            case "Power" -> new Request.Power(Verb.HALT);
            case "Changed" -> new Request.Choice(Verb.MASK, List.of("a"));
            case "Reloaded" -> new Request.DaemonReload();
            case "Reexecuting" -> new Request.DaemonReexec();
            case "EventsStarted" -> new Request.Events(null, true);
            case "LogsStarted" -> new Request.Logs("a", 1, false);
            case "Planned" -> new Request.Plan(Verb.START, List.of("a"), null, List.of());
            case "Why" -> new Request.Why("a");
            case "State" -> new Request.State();
            case "Analyze" -> new Request.Analyze();
            case "Graph" -> new Request.Graph(null);
            case "Dependencies" -> new Request.Dependencies("a", false, false);
            case "Rendered" -> new Request.Render(List.of("status"), false, null, null);
            case "Simulated" -> new Request.Simulate(Verb.START, List.of("a"), Map.of(), Map.of(), List.of(), List.of());
            default -> throw new AssertionError(r.getClass());
        };
    }

    @Test
    @DisplayName("every reply reads back as it was written, through JSON text and back to the same text")
    void everyReplyRoundTrips() {
        for (Reply r : replies()) {
            String line = Codec.write(r);
            Reply back = Codec.reply(askedFor(r), Json.parseObject(line));
            assertEquals(r, back, line);
            assertEquals(line, Codec.write(back));
        }
    }

    @Test
    @DisplayName("the lines of a stream after the first read back as theirs")
    void streamLinesRoundTrip() {
        List<Reply> lines = List.of(new Reply.EventLine(new EventInfo(9, "2026-01-02T03:04:05Z", "a.service", "active", "running", null)),
                new Reply.LogLine("2026-01-02T03:04:05Z hello"), new Reply.LogLine("2026-01-02T03:04:05Z stdout hi", "b.service"),
                new Reply.End(), new Reply.Keepalive(),
                new Reply.Error(ErrorKind.LIMIT, "client too slow"));
        for (Reply r : lines) assertEquals(r, Codec.streamLine(Json.parseObject(Codec.write(r))));
    }

    @Test
    @DisplayName("error replies carry their kind, never an exit code, and keep ok and error")
    void errorReplies() {
        Map<String, Object> m = Reply.Error.notFound("nope.service", "unit nope.service not found").toJson();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ok", false);
        expected.put("error", "unit nope.service not found");
        expected.put("error-kind", "not-found");
        expected.put("unit", "nope.service");
        assertEquals(expected, m);
        assertEquals(List.of("ok", "error", "error-kind", "cycle"),
                new ArrayList<>(Reply.Error.rejected("x", null).toJson().keySet()));
        // a failed transaction's outcome is not an error reply: it keeps its jobs
        Reply failed = Codec.reply(new Request.Transaction(Verb.START, List.of("a"), null, false),
                Json.parseObject(Codec.write(replies().get(10))));
        assertInstanceOf(Reply.Done.class, failed);
        // a kind this build does not know reads as a plain failure
        assertEquals(ErrorKind.FAILED, ((Reply.Error) Codec.reply(new Request.Ping(),
                Json.parseObject("{\"ok\":false,\"error\":\"x\",\"error-kind\":\"from-the-future\"}"))).kind());
    }

    @Test
    @DisplayName("a unit's JSON keeps the keys and order status --json has always printed")
    void unitInfoKeysInOrder() {
        assertEquals(List.of("unit", "load", "active", "sub", "result", "main-pid", "since", "description", "fragment-path", "type",
                        "result-detail", "status-text", "drop-ins", "enabled", "cause", "problems", "restarts", "warnings", "tracking",
                        "failures", "pids", "tasks", "memory-bytes", "memory", "changed-since-start", "needs-daemon-reload"),
                new ArrayList<>(detailed().toJson().keySet()));
        assertEquals(List.of("unit", "load", "active", "sub", "result", "main-pid", "since", "description", "fragment-path", "enabled"),
                new ArrayList<>(UnitInfo.notFound("x.service").toJson().keySet()));
        assertEquals("not-found", UnitInfo.notFound("x.service").enabled());
        assertEquals(Arrays.asList("unit", "load", "active", "sub", "result", "main-pid", "since", "description", "fragment-path"),
                new ArrayList<>(new UnitInfo("a", "loaded", "active", "running", null, null, null, null, null, null).toJson().keySet()));
    }

    @Test
    @DisplayName("logs between versions: an older daemon's first reply is one unit's, an older client's request one unit")
    void logsAcrossVersions() {
        assertEquals(new Reply.LogsStarted("a.service", "lost 1 lines"), Codec.reply(new Request.Logs("a", 1, false),
                Json.parseObject("{\"ok\":true,\"stream\":\"logs\",\"unit\":\"a.service\",\"warning\":\"lost 1 lines\"}")));
        assertEquals(List.of("a.service"), new Reply.LogsStarted("a.service", null).units());
        assertEquals(new Reply.LogLine("x", null), Codec.streamLine(Json.parseObject("{\"line\":\"x\"}")));
        assertEquals(new Request.Logs(List.of("a.service"), 25, true, null, null), Codec.request(
                "{\"v\":1,\"verb\":\"logs\",\"units\":[\"a.service\"],\"lines\":25,\"follow\":true}"));
    }
}
