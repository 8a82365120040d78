package dev.svcmgr.core.engine;

import dev.svcmgr.units.Unit;

/**
 * The runtime record of one unit, owned by the {@link UnitTable} and touched on the loop thread
 * only. It never leaves the engine: others read {@link UnitSnapshot}s and records. A unit's
 * definition ({@link Unit}) never holds runtime state (STYLE habit 1); this is where it lives.
 */
final class UnitRuntime {
    final String name;
    /** The definition in force: as loaded, or the one its driver runs when its file is gone. */
    Unit definition;
    /** The definition the unit was last started with (differs from {@link #definition} after a reload that changed it). */
    Unit startedWith;
    /** The service's driver; null for targets and units without a service. */
    ServiceDriver driver;
    /**
     * The engine's own state of the unit: the state of a unit without a driver, or an override of the
     * driver's (a condition skip, a dependency failure) until the service changes by itself. Null when
     * the driver's state stands.
     */
    UnitSnapshot own;
    /** The newest unfinished job, over all transactions. */
    JobRun current;
    /** The job acting on the unit right now (at most one: a stop cancels a running start first). */
    JobRun acting;
    /** Why the unit is in its state: the job and request, or the propagation, that put it there. */
    String cause;
    /** Made by {@code svcmgr run} (or kept after its file went away): leaves the table once it has ended. */
    boolean transientUnit;
    /** The (active, sub, result) last put in the event history: a change of only the PID is no event. */
    String lastEmitted;

    UnitRuntime(String name) { this.name = name; }
}
