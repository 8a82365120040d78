package dev.svcmgr.core.sim;

import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.readiness.ReadinessPort;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The readiness port of a {@link FakeProcessRuntime}: every question a readiness check asks for a
 * unit is answered by whether a live process of that unit is ready ({@link Behaviour#readyAfter}),
 * whatever the protocol: the path exists, the TCP connection is accepted, the GET answers 2xx, the
 * readiness pipe has its newline. A forking unit's pid-file holds its newest daemon's PID. The real
 * checks run unchanged on top of it, with their real poll intervals on the loop's clock.
 */
public final class FakeReadiness implements ReadinessPort {
    private final FakeProcessRuntime os;

    FakeReadiness(FakeProcessRuntime os) { this.os = os; }

    @Override
    public boolean exists(String unit, String path) { return os.unitReady(unit); }

    @Override
    public Integer readPid(String unit, String pidFile) { return os.pidFiles.get(unit); }

    @Override
    public Connection connect(String unit, String host, int port) throws IOException {
        if (!os.unitReady(unit)) throw new IOException("Connection refused");
        return new Connection() {
            @Override
            public boolean finish() { return true; }

            @Override
            public void close() { }
        };
    }

    @Override
    public void get(String unit, URI uri, Consumer<Boolean> answer) { answer.accept(os.unitReady(unit)); }

    @Override
    public Pipe pipe(String unit) {
        return new Pipe() {
            @Override
            public SpawnRequest attach(SpawnRequest main, int fd) { return main; }

            @Override
            public boolean check() { return os.unitReady(unit); }

            @Override
            public void close() { }
        };
    }
}
