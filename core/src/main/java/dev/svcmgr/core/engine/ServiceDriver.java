package dev.svcmgr.core.engine;

import dev.svcmgr.units.Unit;

import java.util.List;

/**
 * What the manager needs of a service's supervisor. Every method is called on
 * the event loop only; state changes come back through the listener given to
 * the {@link Factory}. The real implementation is the process supervisor; engine
 * tests may use a fake (STYLE habit 9).
 */
public interface ServiceDriver {
    void start();

    /**
     * A start job for this unit was just queued (it runs when the jobs it waits for are done): set-up
     * that does not change the unit's state may begin ahead, off the loop. Nothing by default.
     */
    default void prepareStart() { }

    void stop();

    void reload();

    void kill(int signal);

    void resetFailed();

    /** A new definition, used from the next start (daemon-reload). */
    void setUnit(Unit unit);

    Unit unit();

    UnitSnapshot snapshot();

    /** Every live process of the service. */
    List<Integer> pids();

    /** Called on the loop for every state change of a service. */
    @FunctionalInterface
    interface Listener {
        void onChange(UnitSnapshot before, UnitSnapshot after);
    }

    /** Makes the driver of one service. */
    @FunctionalInterface
    interface Factory {
        ServiceDriver create(Unit unit, Listener listener);
    }
}
