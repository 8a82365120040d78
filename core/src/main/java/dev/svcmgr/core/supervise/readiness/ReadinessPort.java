package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;

/**
 * What readiness checks ask of the world outside, always on behalf of a unit: the real one
 * ({@link #system()}) looks at the host; a simulation answers from its simulated processes'
 * readiness, whatever the protocol.
 */
public interface ReadinessPort {

    /** A non-blocking TCP connection attempt. */
    interface Connection {
        /** True once connected (the first call tells whether the connect completed at once); throws when refused. */
        boolean finish() throws IOException;

        void close();
    }

    /** The manager's end of a readiness pipe ({@code ready: {fd: N}}). */
    interface Pipe {
        /** {@code main}, with the pipe's write end as the service's descriptor {@code fd}. */
        SpawnRequest attach(SpawnRequest main, int fd);

        /** True once a newline came; never blocks. */
        boolean check();

        void close();
    }

    /** True when {@code path} exists. */
    boolean exists(String unit, String path);

    /** The PID in {@code pidFile}, or null (no file, not a number). */
    Integer readPid(String unit, String pidFile);

    /** Starts connecting to {@code host:port}; throws when it fails at once. */
    Connection connect(String unit, String host, int port) throws IOException;

    /** Sends one GET; {@code answer} gets whether it was a 2xx (on any thread). */
    void get(String unit, URI uri, Consumer<Boolean> answer);

    /** A new readiness pipe. */
    Pipe pipe(String unit) throws SpawnException;

    /** The host itself. */
    static ReadinessPort system() { return SystemReadiness.INSTANCE; }
}
