package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine on the manual loop and fake drivers (STYLE habit 9): unit files in a temporary
 * directory, loaded by the real loader; the clock moves only from timer to timer; no wall clock;
 * conditions on paths see {@link #files}, never the host's file system.
 */
abstract class EngineHarness {
    @TempDir
    Path dir;

    final List<Throwable> loopErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ManualLoop loop = new ManualLoop(java.time.Instant.parse("2026-01-01T00:00:00Z"), t -> { loopErrors.add(t); t.printStackTrace(); });
    final FakeDriver.World world = new FakeDriver.World();
    /** What conditions on paths see: nothing exists until a test puts it there. */
    final FakeFiles files = new FakeFiles();
    Manager manager;

    @AfterEach
    void close() {
        assertEquals(List.of(), loopErrors, "errors on the event loop");
        assertEquals(List.of(), world.nested, "the engine called a driver from inside another driver's call");
    }

    void unit(String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
    }

    void boot() throws Exception {
        UnitSet units = UnitLoader.load(List.of(dir));
        onLoopRun(() -> manager = new Manager(loop, units, Set.of(), Set.of(), FakeDriver.factory(loop, world),
                Map.of("PRESENT", "yes"), files));
    }

    <T> T onLoop(Supplier<T> s) {
        loop.runUntilIdle();
        return s.get();
    }

    /** Runs {@code r} as loop work and then everything it posted (the clock does not move). */
    void onLoopRun(Runnable r) {
        loop.runUntilIdle();
        r.run();
        loop.runUntilIdle();
    }

    /** The outcome once the loop has run (timers included, on the manual clock) until {@code f} completed. */
    <T> T done(CompletableFuture<T> f) throws Exception {
        assertTrue(loop.runUntil(f::isDone, Duration.ofHours(1)), "the transaction never finished");
        return f.get();
    }

    Outcome run(Request.Verb verb, String... units) throws Exception {
        return done(submit(verb, units));
    }

    CompletableFuture<Outcome> submit(Request.Verb verb, String... units) throws Exception {
        AtomicReference<Object> r = new AtomicReference<>();
        onLoopRun(() -> {
            try {
                r.set(manager.submit(new Request(verb, List.of(units), JobMode.REPLACE, false)));
            } catch (Manager.Refused e) {
                r.set(e);
            }
        });
        if (r.get() instanceof Manager.Refused e) fail("refused: " + e.getMessage());
        @SuppressWarnings("unchecked") CompletableFuture<Outcome> f = (CompletableFuture<Outcome>) r.get();
        return f;
    }

    ActiveState active(String u) throws Exception { return onLoop(() -> manager.active(u)); }

    void await(String what, Supplier<Boolean> cond) throws Exception {
        if (!loop.runUntil(cond::get, Duration.ofHours(1))) fail("never happened: " + what);
    }
}
