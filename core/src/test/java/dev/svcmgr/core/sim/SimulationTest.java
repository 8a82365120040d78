package dev.svcmgr.core.sim;

import dev.svcmgr.core.supervise.SupervisorDriver;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real engine and the real supervisors on the simulated OS and a manual clock, as
 * {@code svcmgr simulate} runs them: unit files in, a scripted world, exact times out.
 */
class SimulationTest {
    @TempDir
    Path dir;

    final ManualLoop loop = new ManualLoop();
    final Scenario scenario = new Scenario();
    final FakeProcessRuntime os = new FakeProcessRuntime(loop, scenario);

    Manager boot() throws Exception {
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(units.resolve("db.service.yaml"), "type: notify\nexec: [/usr/bin/db]\ntimeout-start: 90s\n");
        Files.writeString(units.resolve("cache.service.yaml"), "exec: [/usr/bin/cache]\nready: {tcp: 127.0.0.1:6379}\n"
                + "timeout-start: 30s\nrestart: no\n");
        Files.writeString(units.resolve("web.service.yaml"), "exec: [/usr/bin/web]\nrequires: [db.service]\nwants: [cache.service]\n"
                + "after: [cache.service]\n");
        UnitSet set = UnitLoader.load(List.of(units));
        var ctx = os.supervisorContext(dir.resolve("log"), dir.resolve("run"), Map.of("PATH", "/usr/bin:/bin"));
        return new Manager(loop, set, Set.of(), Set.of(), SupervisorDriver.factory(ctx), Map.of());
    }

    Outcome run(CompletableFuture<Outcome> f) throws Exception {
        assertTrue(loop.runUntil(f::isDone, Duration.ofHours(1)), "the transaction never finished");
        loop.runUntilIdle(); // what else falls due at that instant (queued reports, a restart's spawn)
        return f.get();
    }

    long startedAt(String unit) {
        return os.spawned(unit, SpawnRequest.Role.MAIN).get(0).nanos() / 1_000_000;
    }

    @Test
    void aSlowRequirementHoldsItsDependentBackUntilItIsReady() throws Exception {
        scenario.slow("db.service", ServiceType.NOTIFY, Duration.ofSeconds(40));
        scenario.slow("cache.service", ServiceType.SIMPLE, Duration.ofSeconds(2));
        Manager m = boot();
        Outcome o = run(m.submit(new Request(Request.Verb.START, List.of("web.service"), JobMode.REPLACE, false)));
        assertTrue(o.success(), o.toString());
        assertEquals(0, startedAt("db.service"));
        assertEquals(0, startedAt("cache.service"));
        assertEquals(40_000, startedAt("web.service"), "after db.service's READY=1 at 40 s");
        assertEquals(Duration.ofSeconds(40), loop.elapsed());
        assertEquals(ActiveState.ACTIVE, m.active("web.service"));
    }

    @Test
    void aRequirementThatHangsFailsAtItsTimeoutAndTakesItsDependentWithIt() throws Exception {
        scenario.hangs("db.service", ServiceType.NOTIFY);
        scenario.fails("cache.service", Result.EXIT_CODE);
        Manager m = boot();
        Outcome o = run(m.submit(new Request(Request.Verb.START, List.of("web.service"), JobMode.REPLACE, false)));
        assertFalse(o.success());
        assertEquals(Duration.ofSeconds(90), loop.elapsed(), "db.service's timeout-start on the manual clock");
        // restart: on-failure (the default), and its last start was 90 s ago: started again at once
        assertEquals(List.of(0L, 90_000L), os.spawned("db.service", SpawnRequest.Role.MAIN).stream().map(x -> x.nanos() / 1_000_000).toList());
        assertEquals(SubState.START, m.snapshot("db.service").sub());
        assertEquals(ActiveState.FAILED, m.active("web.service"));
        assertEquals(Result.DEPENDENCY, m.snapshot("web.service").result());
        assertEquals(ActiveState.FAILED, m.active("cache.service"), "a want that failed (restart: no)");
        assertEquals("exited with status 1", m.snapshot("cache.service").resultDetail());
        assertTrue(os.spawned("web.service", SpawnRequest.Role.MAIN).isEmpty());
    }

    @Test
    void aRestartThatMeetsAnAutoRestartTimesItsNewRunOut() throws Exception {
        // the first run exits 1 before it is ready (restart: on-failure schedules a restart) while a restart
        // request waits behind that start; the second run never gets ready: its own timeout-start must act
        scenario.main("db.service", n -> n == 1 ? Behaviour.exits(1).after(Duration.ofSeconds(1)) : Behaviour.runs());
        Manager m = boot();
        CompletableFuture<Outcome> start = m.submit(new Request(Request.Verb.START, List.of("db.service"), JobMode.REPLACE, false));
        loop.advance(Duration.ofMillis(500));
        CompletableFuture<Outcome> restart = m.submit(new Request(Request.Verb.RESTART, List.of("db.service"), JobMode.REPLACE, false));
        Outcome o = run(restart);
        assertTrue(start.isDone());
        assertFalse(o.success(), o.toString());
        List<Long> spawns = os.spawned("db.service", SpawnRequest.Role.MAIN).stream().map(x -> x.nanos() / 1_000_000).toList();
        assertEquals(List.of(0L, 1_000L), spawns.subList(0, 2), "the restart's start half spawned the second run at 1 s");
        assertEquals(91_000L, loop.elapsed().toMillis(), "the second run timed out 90 s after it was spawned");
        assertEquals(Result.TIMEOUT, o.jobs().stream().filter(j -> j.unit().equals("db.service") && j.type().word().equals("start"))
                .findFirst().orElseThrow().result());
    }
}
