package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.FakeProcessRuntime;
import dev.svcmgr.core.sim.Scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real supervisors on the fakes: a manual loop and simulated processes scripted by a {@link Scenario}.
 * Every published snapshot is kept with the loop time it was published at; the clock moves only when
 * a test moves it, so times are exact (no wall clock, no slack).
 */
final class Sim {
    final ManualLoop loop = new ManualLoop();
    final Scenario scenario = new Scenario();
    final FakeProcessRuntime os = new FakeProcessRuntime(loop, scenario);
    final SupervisorContext ctx;
    final List<Seen> seen = new ArrayList<>();

    /** A snapshot and when (ms on the manual clock) it was published. */
    record Seen(long ms, UnitSnapshot snapshot) {}

    Sim(Path dir) {
        ctx = os.supervisorContext(dir.resolve("log"), dir.resolve("run"), Map.of("PATH", "/usr/bin:/bin"));
    }

    ServiceSupervisor add(String name, Svc svc) {
        return new ServiceSupervisor(svc.unit(name), ctx, (before, after) -> seen.add(new Seen(ms(), after)));
    }

    /** Runs {@code r} on the loop (this thread), then everything it posted; the clock does not move. */
    void run(Runnable r) {
        r.run();
        loop.runUntilIdle();
    }

    /** Moves the clock by {@code d}, running every timer on the way at its time. */
    void advance(Duration d) { loop.advance(d); }

    void advanceMs(long ms) { loop.advance(Duration.ofMillis(ms)); }

    /** The manual clock, in ms. */
    long ms() { return loop.nanos() / 1_000_000; }

    /** When {@code unit} entered {@code sub} (ms), each time. */
    List<Long> entered(String unit, SubState sub) {
        List<Long> out = new ArrayList<>();
        SubState last = null;
        for (Seen s : seen) {
            if (!s.snapshot().unit().equals(unit)) continue;
            if (s.snapshot().sub() == sub && last != sub) out.add(s.ms());
            last = s.snapshot().sub();
        }
        return out;
    }

    /** The subs {@code unit} went through, in order, repeats folded. */
    List<String> path(String unit) {
        List<String> out = new ArrayList<>();
        for (Seen s : seen) {
            if (!s.snapshot().unit().equals(unit)) continue;
            String w = s.snapshot().active().word() + "/" + s.snapshot().sub().word();
            if (out.isEmpty() || !out.get(out.size() - 1).equals(w)) out.add(w);
        }
        return out;
    }

    /** When (ms) the processes of {@code unit} with {@code role} were spawned. */
    List<Long> spawnedAt(String unit, SpawnRequest.Role role) {
        return os.spawned(unit, role).stream().map(s -> s.nanos() / 1_000_000).toList();
    }

    static Duration ms(long n) { return Duration.ofMillis(n); }

    static Duration s(long n) { return Duration.ofSeconds(n); }
}
