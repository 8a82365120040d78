package dev.svcmgr.core.engine;

import dev.svcmgr.units.SocketConfig;

import java.util.List;

/**
 * The engine's port to the sockets of socket units: the daemon binds real ones (core.os
 * {@code SocketBinder}, {@code SocketActivity}); engine tests use fakes.
 */
public interface SocketPort {
    /** Sockets bound for one socket unit, held until {@link #close}. */
    interface Bound {
        /** The descriptors, in the order of {@code listen}. */
        List<Integer> fds();

        /** What each is bound to, e.g. {@code tcp 127.0.0.1:40321} (the chosen port for port 0). */
        List<String> addresses();

        /** Calls {@code r} (any thread) once something waits on any of the sockets; once. */
        void onActivity(Runnable r);

        /** Stops watching for activity. */
        void stopWatching();

        /** Closes the sockets (a unix socket's file is removed). */
        void close();
    }

    /**
     * Binds every {@code listen} entry of {@code cfg}, or throws with one line saying which and why.
     * {@code servicePid} (null when the service does not run) is the running service, which may hold
     * the sockets from a former manager: they are taken back from it rather than bound again.
     */
    Bound bind(String unit, SocketConfig cfg, Integer servicePid) throws java.io.IOException;

    /** No sockets: every bind fails (a manager without a socket port). */
    SocketPort NONE = (unit, cfg, pid) -> {
        throw new java.io.IOException("sockets are not supported here");
    };
}
