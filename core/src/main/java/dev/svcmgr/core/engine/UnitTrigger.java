package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.Unit;

import java.util.List;

/**
 * What timer, path and socket units have in common: a unit with no process of its own that acts on
 * one service, whose {@code sub} follows that service ({@code running} while it runs, else the unit's
 * own waiting word: {@code scheduled}, {@code watching}, {@code listening}). Loop thread only.
 */
abstract class UnitTrigger implements ServiceDriver {
    protected final Loop loop;
    private final Listener listener;
    protected Unit unit;
    protected UnitSnapshot snap;

    UnitTrigger(Unit unit, Loop loop, Listener listener) {
        this.unit = unit;
        this.loop = loop;
        this.listener = listener;
        this.snap = UnitSnapshot.initial(unit.name(), loop.now());
    }

    /** The service this unit acts on. */
    abstract String service();

    /** The current state of {@link #service()}. */
    abstract UnitSnapshot serviceState();

    /** The {@code sub} word while active and the service does not run. */
    abstract SubState waiting();

    /** {@link #service()} changed state (the engine calls this for each of its changes). */
    abstract void serviceChanged(UnitSnapshot before, UnitSnapshot after);

    /** True while a service runs or is on its way up or down (activating, active, deactivating). */
    static boolean up(UnitSnapshot s) {
        return s != null && (s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING
                || s.active() == ActiveState.STOPPING);
    }

    /** Publishes a new state: {@code sub} from {@code a} and the service; {@code since} kept while {@code a} stays. */
    protected void publish(ActiveState a, Result r, String detail) {
        UnitSnapshot before = snap;
        SubState sub = switch (a) {
            case INACTIVE -> SubState.DEAD;
            case FAILED -> SubState.FAILED;
            default -> up(serviceState()) ? SubState.RUNNING : waiting();
        };
        snap = new UnitSnapshot(unit.name(), a, sub, r, detail, null, before.active() == a ? before.since() : loop.now(),
                null, null, null);
        if (!snap.equals(before)) listener.onChange(before, snap);
    }

    @Override
    public void reload() { }

    @Override
    public void kill(int signal) { }

    @Override
    public Unit unit() { return unit; }

    @Override
    public UnitSnapshot snapshot() { return snap; }

    @Override
    public List<Integer> pids() { return List.of(); }
}
