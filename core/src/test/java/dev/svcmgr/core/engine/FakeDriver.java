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
 * {@code slowStop} stay stopping until {@link #finishStop()}; units in {@code synchronous}
 * start and stop inside the call, reporting every change before it returns (as a supervisor
 * whose spawn fails at once does). A call into any driver made while another driver's call is on
 * the stack is recorded in {@code nested}: the engine must never do that.
 */
final class FakeDriver implements ServiceDriver {
    /** Shared across drivers: "start a.service", "stop b.service" in call order. */
    static final class World {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** Units told a start job was queued for them ({@link ServiceDriver#prepareStart}), in call order. */
        final List<String> prepared = new CopyOnWriteArrayList<>();
        final Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> hanging = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> slowStop = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> synchronous = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** "start a.service inside start b.service": calls made while another driver call was on the stack. */
        final List<String> nested = new CopyOnWriteArrayList<>();
        final java.util.ArrayDeque<String> inCall = new java.util.ArrayDeque<>();
        /** Run at the end of every driver call, before it returns (tests look at the engine from inside a call). */
        volatile java.util.function.Consumer<String> beforeReturn = what -> { };
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

    private void set(ActiveState a, SubState s, Result r, String detail) { set(a, s, r, detail, null); }

    private void set(ActiveState a, SubState s, Result r, String detail, Integer exitCode) {
        UnitSnapshot before = snap;
        snap = new UnitSnapshot(unit.name(), a, s, r, detail, a == ActiveState.ACTIVE ? 4242 : null, loop.now(), null, null,
                exitCode);
        listener.onChange(before, snap);
    }

    /** Runs a driver call, recording it in {@code nested} when another driver call is on the stack. */
    private void call(String what, Runnable body) {
        if (!world.inCall.isEmpty()) world.nested.add(what + " inside " + world.inCall.peek());
        world.inCall.push(what);
        try {
            body.run();
            world.beforeReturn.accept(what);
        } finally {
            world.inCall.pop();
        }
    }

    @Override
    public void prepareStart() { world.prepared.add(unit.name()); }

    @Override
    public void start() {
        call("start " + unit.name(), () -> {
            world.calls.add("start " + unit.name());
            int gen = ++generation;
            set(ActiveState.STARTING, SubState.START, snap.result(), null);
            if (world.hanging.contains(unit.name())) return;
            Runnable end = () -> {
                if (gen != generation || snap.active() != ActiveState.STARTING) return;
                if (world.failing.contains(unit.name())) set(ActiveState.FAILED, SubState.FAILED, Result.EXIT_CODE, "exited with status 1", 1);
                else set(ActiveState.ACTIVE, SubState.RUNNING, Result.SUCCESS, null);
            };
            if (world.synchronous.contains(unit.name())) end.run();
            else loop.execute(end);
        });
    }

    @Override
    public void stop() {
        call("stop " + unit.name(), () -> {
            world.calls.add("stop " + unit.name());
            ++generation;
            set(ActiveState.STOPPING, SubState.STOP_SIGTERM, snap.result(), null);
            if (world.slowStop.contains(unit.name())) return;
            Runnable end = () -> set(ActiveState.INACTIVE, SubState.DEAD, snap.result() == null ? Result.SUCCESS : snap.result(), null);
            if (world.synchronous.contains(unit.name())) end.run();
            else loop.execute(end);
        });
    }

    /** Finishes a stop of a {@code slowStop} unit. */
    void finishStop() {
        set(ActiveState.INACTIVE, SubState.DEAD, snap.result() == null ? Result.SUCCESS : snap.result(), null);
    }

    /** Finishes a hanging start. */
    void becomeReady() {
        set(ActiveState.ACTIVE, SubState.RUNNING, Result.SUCCESS, null);
    }

    /** Simulates the service ending on its own with success (a clean exit). */
    void exitCleanly() {
        set(ActiveState.INACTIVE, SubState.DEAD, Result.SUCCESS, null);
    }

    /** Simulates the main process dying and the restart policy waiting to start it again (as the supervisor reports it). */
    void dieAndWaitToRestart() {
        set(ActiveState.STARTING, SubState.AUTO_RESTART, Result.EXIT_CODE, "exited with status 1", 1);
    }

    /** Simulates a start refused by the start limit (as the supervisor reports it). */
    void startLimitHit() {
        set(ActiveState.FAILED, SubState.FAILED, Result.START_LIMIT, "start-limit hit");
    }

    /** Simulates the service dying on its own. */
    void crash() {
        set(ActiveState.FAILED, SubState.FAILED, Result.SIGNAL, "killed by signal SIGKILL");
    }

    @Override
    public void reload() {
        call("reload " + unit.name(), () -> {
            world.calls.add("reload " + unit.name());
            set(ActiveState.ACTIVE, SubState.RELOAD, snap.result(), null);
            loop.execute(() -> set(ActiveState.ACTIVE, SubState.RUNNING, snap.result(), null));
        });
    }

    @Override
    public void kill(int signal) { world.calls.add("kill " + unit.name() + " " + signal); }

    @Override
    public void resetFailed() {
        call("reset-failed " + unit.name(), () -> {
            if (snap.active() == ActiveState.FAILED) set(ActiveState.INACTIVE, SubState.DEAD, snap.result(), snap.resultDetail());
        });
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
