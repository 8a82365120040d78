package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;

/**
 * How one run of a service finds out that it is ready (its {@code ready:} setting, or a forking
 * daemon's main PID), made by {@link ReadinessChecks} for one start, then thrown away. A check only
 * reports to its {@link Listener}; what that means is the supervisor's state table's call. It never
 * changes the supervisor's state itself, and what it needs from the world outside (paths, sockets,
 * pipes, HTTP, pid files) comes through its context's {@link ReadinessPort}.
 *
 * <p>Loop thread only. {@link #cancel()} stops checking (the start ended one way or another);
 * {@link #close()} releases what the check holds, when the run is over.
 */
public interface ReadinessCheck {

    /** Told what the check found; called on the loop thread, never after {@link #cancel()}. */
    interface Listener {
        /** The service is ready. */
        void ready();

        /** The check found the service's main process (a forking daemon). */
        default void foundMain(int pid) { }

        /** The check cannot go on: {@code detail} is a {@code Stage: ... / Error: ...} text (result exec). */
        void failed(String detail);
    }

    /** Before the main process is spawned: its spawn request, with what the check needs (a readiness pipe). */
    default SpawnRequest prepare(SpawnRequest main) throws SpawnException { return main; }

    /** Starts checking (after the main process runs its program). */
    void begin();

    /** {@code READY=1} arrived while starting. */
    default void notified() { }

    /** The readiness probe the check ran as the control process exited ({@code ok}: status 0). */
    default void probeExited(boolean ok) { }

    /** Stops checking: no timer fires, no listener call follows. Idempotent. */
    void cancel();

    /** The run is over: also releases what the check holds (its pipe). Idempotent. */
    default void close() { cancel(); }
}
