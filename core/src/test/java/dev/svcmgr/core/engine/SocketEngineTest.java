package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.SocketConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket units (units.md "Sockets") on the manual loop with a fake socket port. */
class SocketEngineTest extends EngineHarness {
    /** The fake port's sockets: what each unit bound, who watches, whether closed. */
    private final class FakeBound implements SocketPort.Bound {
        final List<Integer> fds;
        Runnable watcher;
        boolean closed;

        FakeBound(int n) {
            fds = new ArrayList<>();
            for (int i = 0; i < n; i++) fds.add(100 + i);
        }

        @Override public List<Integer> fds() { return fds; }
        @Override public List<String> addresses() { return List.of("tcp 127.0.0.1:4242"); }
        @Override public void onActivity(Runnable r) { watcher = r; }
        @Override public void stopWatching() { watcher = null; }
        @Override public void close() { closed = true; watcher = null; }
    }

    private final List<FakeBound> bound = new ArrayList<>();
    private String refuse;

    private final SocketPort port = (unit, cfg, pid) -> {
        if (refuse != null) throw new IOException(refuse);
        FakeBound b = new FakeBound(cfg.listen().size());
        bound.add(b);
        return b;
    };

    private void bootWithSockets() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\n");
        unit("app.socket.yaml", "listen:\n  - tcp: \"127.0.0.1:0\"\n  - unix: /run/app.sock\n    name: ctl\n");
        boot();
        onLoopRun(() -> manager.setSocketPort(port));
    }

    /** A connection arrives: the watcher (if any) fires, as the real one does from its thread. */
    private void connect() {
        Runnable w = bound.get(bound.size() - 1).watcher;
        if (w != null) w.run();
        loop.runUntilIdle();
    }

    @Test
    @DisplayName("started, the socket unit listens; the first connection starts the service with the sockets; running, it is not watched")
    void activation() throws Exception {
        bootWithSockets();
        run(Request.Verb.START, "app.socket");
        assertEquals(ActiveState.ACTIVE, active("app.socket"));
        assertEquals(SubState.LISTENING, onLoop(() -> manager.snapshot("app.socket").sub()));
        assertEquals(ActiveState.INACTIVE, active("app.service"));
        Manager.ListenFds fds = onLoop(() -> manager.listenFds("app.service"));
        assertEquals(List.of(100, 101), fds.fds());
        assertEquals(List.of("app.socket", "ctl"), fds.names());
        connect();
        assertEquals(List.of("start app.service"), world.calls);
        assertEquals(ActiveState.ACTIVE, active("app.service"));
        assertEquals(SubState.RUNNING, onLoop(() -> manager.snapshot("app.socket").sub()));
        assertNull(bound.get(0).watcher, "not watched while the service runs");
        assertEquals(1L, onLoop(() -> manager.sockets().get(0).activations()));
        // the service ends: watched again, and the next connection starts it again
        onLoopRun(() -> world.drivers.get("app.service").exitCleanly());
        assertTrue(bound.get(0).watcher != null);
        connect();
        assertEquals(List.of("start app.service", "start app.service"), world.calls);
    }

    @Test
    @DisplayName("the service restarts or is stopped: the sockets stay bound (the same descriptors)")
    void socketsOutliveTheService() throws Exception {
        bootWithSockets();
        run(Request.Verb.START, "app.socket", "app.service");
        run(Request.Verb.RESTART, "app.service");
        run(Request.Verb.STOP, "app.service");
        assertEquals(1, bound.size(), "bound once");
        assertTrue(!bound.get(0).closed);
        assertEquals(List.of(100, 101), onLoop(() -> manager.listenFds("app.service").fds()));
        run(Request.Verb.STOP, "app.socket");
        assertTrue(bound.get(0).closed, "stopping the socket unit closes them");
        assertNull(onLoop(() -> manager.listenFds("app.service")));
    }

    @Test
    @DisplayName("a bind that fails fails the socket unit with result resources and the OS error")
    void bindFailure() throws Exception {
        bootWithSockets();
        refuse = "cannot bind tcp 127.0.0.1:80: Address already in use";
        run(Request.Verb.START, "app.socket");
        UnitSnapshot s = onLoop(() -> manager.snapshot("app.socket"));
        assertEquals(ActiveState.FAILED, s.active());
        assertEquals(Result.RESOURCES, s.result());
        assertEquals(refuse, s.resultDetail());
    }

    @Test
    @DisplayName("a service that hits its start limit fails its socket unit, which stops listening (no endless wake-ups)")
    void startLimitFailsTheSocket() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\n");
        unit("app.socket.yaml", "listen: [{tcp: \"127.0.0.1:0\"}]\n");
        boot();
        onLoopRun(() -> manager.setSocketPort(port));
        run(Request.Verb.START, "app.socket");
        onLoopRun(() -> {
            // as the supervisor reports a start refused by the start limit
            FakeDriver d = world.drivers.get("app.service");
            d.crash();
        });
        assertTrue(bound.get(0).watcher != null);
        onLoopRun(() -> world.drivers.get("app.service").startLimitHit());
        UnitSnapshot s = onLoop(() -> manager.snapshot("app.socket"));
        assertEquals(ActiveState.FAILED, s.active());
        assertEquals(Result.START_LIMIT, s.result());
        assertTrue(bound.get(0).closed);
    }
}
