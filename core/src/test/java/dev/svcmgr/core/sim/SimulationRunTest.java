package dev.svcmgr.core.sim;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.protocol.SimulationReport;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Simulation#run}: the report of a request played out on the simulated OS and clock. */
class SimulationRunTest {
    @TempDir
    Path dir;

    private UnitSet units() throws IOException {
        Files.writeString(dir.resolve("db.service.yaml"), "type: notify\nexec: [/usr/bin/db]\ntimeout-start: 90s\ntimeout-stop: 5s\n");
        Files.writeString(dir.resolve("cache.service.yaml"), "exec: [/usr/bin/cache]\nready: {tcp: 127.0.0.1:6379}\nrestart: no\n");
        Files.writeString(dir.resolve("migrate.service.yaml"), "type: oneshot\nexec: [/usr/bin/migrate]\nrequires: [db.service]\n"
                + "after: [db.service]\n");
        Files.writeString(dir.resolve("api.service.yaml"), "exec: [/usr/bin/api]\nrequires: [db.service, migrate.service]\n"
                + "wants: [cache.service]\nafter: [db.service, migrate.service, cache.service]\n");
        Files.writeString(dir.resolve("web.target.yaml"), "wants: [api.service]\nafter: [api.service]\nallow-isolate: true\n");
        return UnitLoader.load(List.of(dir));
    }

    private SimulationReport run(Request.Verb v, String unit, Simulation.Script s, Set<String> active) throws Exception {
        Simulation.Input in = new Simulation.Input(units(), Set.of(), Set.of(), active, Map.of());
        return Simulation.run(in, new Request(v, List.of(unit), JobMode.REPLACE, false), s);
    }

    private static SimulationReport.Job job(SimulationReport r, String unit, String type) {
        return r.jobs().stream().filter(j -> j.unit().equals(unit) && j.job().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " job of " + unit + " in " + r.jobs()));
    }

    private static SimulationReport.Final fin(SimulationReport r, String unit) {
        return r.units().stream().filter(f -> f.unit().equals(unit)).findFirst().orElseThrow();
    }

    @Test
    void aSlowRequirementSetsTheTimelineAndTheCriticalChain() throws Exception {
        SimulationReport r = run(Request.Verb.START, "api.service",
                new Simulation.Script(Map.of(), Map.of("db.service", Duration.ofSeconds(40), "migrate.service", Duration.ofSeconds(3)),
                        Set.of()), Set.of());
        assertTrue(r.ok(), r.toString());
        assertTrue(r.finished());
        assertEquals("start api.service", r.request());
        assertEquals(0L, job(r, "db.service", "start").startMs());
        assertEquals(40_000L, job(r, "db.service", "start").endMs());
        assertEquals(40_000L, job(r, "migrate.service", "start").startMs());
        assertEquals(43_000L, job(r, "migrate.service", "start").endMs());
        assertEquals(43_000L, job(r, "api.service", "start").endMs());
        assertEquals(43_000L, r.durationMs());
        assertEquals(List.of("api.service", "migrate.service", "db.service"), r.criticalChain());
        assertEquals(List.of(), r.failures());
        assertEquals("active", fin(r, "api.service").active());
        assertEquals("inactive", fin(r, "migrate.service").active(), "a oneshot without remain-after-exit");
    }

    @Test
    void aHangingRequirementFailsAtItsTimeoutAndWhatNeedsItFailsWithIt() throws Exception {
        SimulationReport r = run(Request.Verb.START, "web.target", new Simulation.Script(Map.of(), Map.of(), Set.of("db.service")), Set.of());
        // db ignores SIGTERM: timeout-start (90 s), then timeout-stop (5 s) until SIGKILL
        assertEquals(95_000L, job(r, "db.service", "start").endMs());
        assertEquals("timeout", job(r, "db.service", "start").result());
        assertEquals("dependency", job(r, "api.service", "start").result());
        assertEquals("dependency", job(r, "migrate.service", "start").result());
        assertEquals("success", job(r, "web.target", "start").result(), "web.target only wants api");
        assertTrue(r.ok(), "a want that failed does not fail the request");
        assertEquals(95_000L, r.durationMs());
        assertTrue(r.failures().stream().anyMatch(f -> f.unit().equals("api.service") && f.why().contains("db.service failed: timeout")),
                r.failures().toString());
        assertEquals("starting", fin(r, "db.service").active(), "restart: on-failure (the default) starts it again at once");
        assertEquals("start", fin(r, "db.service").sub());
    }

    @Test
    void theRequestFailsWhenANamedUnitFailsAndEveryFailureResultIsScripted() throws Exception {
        SimulationReport r = run(Request.Verb.START, "api.service",
                new Simulation.Script(Map.of("migrate.service", Result.EXIT_CODE), Map.of(), Set.of()), Set.of());
        assertFalse(r.ok());
        assertEquals("exit-code", job(r, "migrate.service", "start").result());
        assertEquals("dependency", job(r, "api.service", "start").result());
        for (Result res : List.of(Result.SIGNAL, Result.OOM_KILL, Result.EXEC)) {
            SimulationReport x = run(Request.Verb.START, "db.service", new Simulation.Script(Map.of("db.service", res), Map.of(), Set.of()),
                    Set.of());
            assertFalse(x.ok(), res.toString());
            assertEquals(res.word(), job(x, "db.service", "start").result(), x.toString());
        }
        SimulationReport t = run(Request.Verb.START, "db.service",
                new Simulation.Script(Map.of("db.service", Result.TIMEOUT), Map.of(), Set.of()), Set.of());
        assertEquals("timeout", job(t, "db.service", "start").result());
        assertEquals(90_000L, job(t, "db.service", "start").endMs(), "it does not ignore SIGTERM, unlike a hang");
    }

    @Test
    void aSimpleServiceFailsAfterItStartedAsOnARealMachine() throws Exception {
        SimulationReport r = run(Request.Verb.START, "api.service",
                new Simulation.Script(Map.of("api.service", Result.EXIT_CODE), Map.of(), Set.of()), Set.of());
        assertEquals("success", job(r, "api.service", "start").result(), "a simple service is up once spawned");
        assertTrue(r.failures().stream().anyMatch(f -> f.unit().equals("api.service") && f.result().equals("exit-code")
                && f.why().contains("after it started")), r.failures().toString());
    }

    @Test
    void aRestartFromRunningUnitsShowsItsStopAndStartHalves() throws Exception {
        SimulationReport r = run(Request.Verb.RESTART, "db.service", new Simulation.Script(Map.of(), Map.of("db.service",
                Duration.ofSeconds(2)), Set.of()), Set.of("api.service"));
        assertTrue(r.ok(), r.toString());
        assertEquals(0L, job(r, "api.service", "stop").endMs());
        assertEquals(2_000L, job(r, "db.service", "start").endMs());
        assertEquals(2_000L, job(r, "api.service", "start").endMs());
        assertEquals("api.service", r.criticalChain().get(0));
        assertTrue(r.criticalChain().contains("db.service"), r.criticalChain().toString());
    }

    @Test
    void aFailureTheUnitCannotHaveAndABadIsolateAreRefused() throws Exception {
        Simulation.Refused timeout = assertThrows(Simulation.Refused.class, () -> run(Request.Verb.START, "api.service",
                new Simulation.Script(Map.of("api.service", Result.TIMEOUT), Map.of(), Set.of()), Set.of()));
        assertTrue(timeout.getMessage().contains("api.service cannot fail with timeout"), timeout.getMessage());
        Simulation.Refused target = assertThrows(Simulation.Refused.class, () -> run(Request.Verb.START, "web.target",
                new Simulation.Script(Map.of(), Map.of(), Set.of("web.target")), Set.of()));
        assertTrue(target.getMessage().contains("web.target is not a service"), target.getMessage());
        Files.writeString(dir.resolve("broken.service.yaml"), "exec: [/usr/bin/x]\nbogus-key: 1\n");
        Simulation.Refused broken = assertThrows(Simulation.Refused.class, () -> run(Request.Verb.START, "api.service",
                new Simulation.Script(Map.of(), Map.of(), Set.of("broken.service")), Set.of()));
        assertTrue(broken.getMessage().contains("broken.service could not be loaded (bad-setting"), broken.getMessage());
        Simulation.Refused iso = assertThrows(Simulation.Refused.class, () -> run(Request.Verb.ISOLATE, "api.service",
                Simulation.Script.NONE, Set.of()));
        assertTrue(iso.getMessage().contains("may not be isolated"), iso.getMessage());
        assertTrue(run(Request.Verb.ISOLATE, "web.target", Simulation.Script.NONE, Set.of()).ok());
    }

    @Test
    void aTimeoutThatNeverComesEndsTheSimulationAt24HoursUnfinished() throws Exception {
        Files.writeString(dir.resolve("forever.service.yaml"), "type: notify\nexec: [/usr/bin/x]\ntimeout-start: infinity\n");
        SimulationReport r = run(Request.Verb.START, "forever.service", new Simulation.Script(Map.of(), Map.of(), Set.of("forever.service")),
                Set.of());
        assertFalse(r.finished());
        assertFalse(r.ok());
        assertEquals(Duration.ofHours(24).toMillis(), r.durationMs());
        SimulationReport.Job j = job(r, "forever.service", "start");
        assertEquals(null, j.endMs());
        assertTrue(j.detail().startsWith("still starting"), j.detail());
    }

    @Test
    void watchdogsArePingedUnlessScriptedToFailAndReactionsAreReported() throws Exception {
        Files.writeString(dir.resolve("dog.service.yaml"), "type: notify\nexec: [/usr/bin/dog]\nwatchdog: 10s\nrestart: no\n"
                + "on-failure: [alert.service]\n");
        Files.writeString(dir.resolve("alert.service.yaml"), "type: oneshot\nexec: [/usr/bin/alert]\n");
        // a healthy watchdog service stays up while something else takes 40 s
        SimulationReport healthy = run(Request.Verb.START, "api.service", new Simulation.Script(Map.of(), Map.of("db.service",
                Duration.ofSeconds(40)), Set.of()), Set.of("dog.service"));
        assertEquals("active", healthy.units().stream().filter(f -> f.unit().equals("api.service")).findFirst().orElseThrow().active());
        assertTrue(healthy.failures().isEmpty(), healthy.failures().toString());
        // scripted to miss its pings: it fails 10 s after it was ready, and its on-failure unit (slow) runs in the report
        SimulationReport r = run(Request.Verb.START, "dog.service", new Simulation.Script(Map.of("dog.service", Result.WATCHDOG),
                Map.of("alert.service", Duration.ofSeconds(5)), Set.of()), Set.of());
        assertTrue(r.failures().stream().anyMatch(f -> f.unit().equals("dog.service") && f.result().equals("watchdog")),
                r.failures().toString());
        assertEquals(10_000L, job(r, "alert.service", "start").startMs());
        assertEquals(15_000L, job(r, "alert.service", "start").endMs());
        assertEquals(15_000L, r.durationMs());
        assertTrue(r.finished());
    }

    @Test
    void anInfinitelySlowUnitNeverGetsReady() throws Exception {
        SimulationReport r = run(Request.Verb.START, "api.service", new Simulation.Script(Map.of(), Map.of("db.service",
                dev.svcmgr.units.Durations.INFINITY), Set.of()), Set.of());
        assertEquals("timeout", job(r, "db.service", "start").result(), "90 s timeout-start, not an overflow to 'ready at once'");
        assertEquals(90_000L, job(r, "db.service", "start").endMs());
    }

    @Test
    void aUnitScriptedToFailThatIsNotStartedAgainDoesNotKeepTheSimulationGoing() throws Exception {
        // db runs at the outset; restarting api does not start db again, so its script never comes into play
        SimulationReport r = run(Request.Verb.RESTART, "cache.service",
                new Simulation.Script(Map.of("db.service", Result.EXIT_CODE), Map.of(), Set.of()), Set.of("api.service"));
        assertTrue(r.finished(), String.valueOf(r.gaveUp()));
        assertTrue(r.ok(), r.toString());
        assertEquals(0L, r.durationMs());
    }
}
