package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.Unit;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service driver without processes, for testing the executor's logic fast
 * (STYLE habit 9). Starts succeed on the next loop turn unless the unit is in
 * {@code failing}; units in {@code hanging} stay starting until stopped; units in
 * {@code slowStop} stay stopping until {@link #finishStop()}.
 */
final class FakeDriver implements ServiceDriver {
    /** Shared across drivers: "start a.service", "stop b.service" in call order. */
    static final class World {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> hanging = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> slowStop = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Map<String, FakeDriver> drivers = new java.util.concurrent.ConcurrentHashMap<>();
    }

    private final Loop loop;
    private final World world;
    private final Listener listener;
    private Unit unit;
    private UnitSnapshot snap;
    private int generation;

    FakeDriver(Loop loop, World world, Unit unit, Listener listener) {
        this.loop = loop;
        this.world = world;
        this.unit = unit;
        this.listener = listener;
        this.snap = UnitSnapshot.initial(unit.name(), loop.now());
        world.drivers.put(unit.name(), this);
    }

    static Factory factory(Loop loop, World world) {
        return (u, l) -> new FakeDriver(loop, world, u, l);
    }

    private void set(ActiveState a, SubState s, Result r, String detail) {
        UnitSnapshot before = snap;
        snap = new UnitSnapshot(unit.name(), a, s, r, detail, a == ActiveState.ACTIVE ? 4242 : null, loop.now(), null);
        listener.onChange(before, snap);
    }

    @Override
    public void start() {
        world.calls.add("start " + unit.name());
        int gen = ++generation;
        set(ActiveState.STARTING, SubState.START, snap.result(), null);
        if (world.hanging.contains(unit.name())) return;
        loop.execute(() -> {
            if (gen != generation || snap.active() != ActiveState.STARTING) return;
            if (world.failing.contains(unit.name())) set(ActiveState.FAILED, SubState.FAILED, Result.EXIT_CODE, "exited with status 1");
            else set(ActiveState.ACTIVE, SubState.RUNNING, Result.SUCCESS, null);
        });
    }

    @Override
    public void stop() {
        world.calls.add("stop " + unit.name());
        ++generation;
        set(ActiveState.STOPPING, SubState.STOP_SIGTERM, snap.result(), null);
        if (world.slowStop.contains(unit.name())) return;
        loop.execute(() -> set(ActiveState.INACTIVE, SubState.DEAD, snap.result() == null ? Result.SUCCESS : snap.result(), null));
    }

    /** Finishes a stop of a {@code slowStop} unit. */
    void finishStop() {
        set(ActiveState.INACTIVE, SubState.DEAD, snap.result() == null ? Result.SUCCESS : snap.result(), null);
    }

    /** Finishes a hanging start. */
    void becomeReady() {
        set(ActiveState.ACTIVE, SubState.RUNNING, Result.SUCCESS, null);
    }

    /** Simulates the service dying on its own. */
    void crash() {
        set(ActiveState.FAILED, SubState.FAILED, Result.SIGNAL, "killed by signal SIGKILL");
    }

    @Override
    public void reload() {
        world.calls.add("reload " + unit.name());
        set(ActiveState.ACTIVE, SubState.RELOAD, snap.result(), null);
        loop.execute(() -> set(ActiveState.ACTIVE, SubState.RUNNING, snap.result(), null));
    }

    @Override
    public void kill(int signal) { world.calls.add("kill " + unit.name() + " " + signal); }

    @Override
    public void resetFailed() {
        if (snap.active() == ActiveState.FAILED) set(ActiveState.INACTIVE, SubState.DEAD, snap.result(), snap.resultDetail());
    }

    @Override
    public void setUnit(Unit u) { this.unit = u; }

    @Override
    public Unit unit() { return unit; }

    @Override
    public UnitSnapshot snapshot() { return snap; }

    @Override
    public List<Integer> pids() { return snap.active() == ActiveState.ACTIVE ? List.of(4242) : List.of(); }
}
