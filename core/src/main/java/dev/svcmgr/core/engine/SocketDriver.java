package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.SocketConfig;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket unit (units.md "Sockets"): started, it binds every {@code listen} entry through the
 * {@link SocketPort} and holds the sockets until it is stopped, whatever its service does (restarts,
 * crashes, stops: connections wait in the backlog, none is refused). While the service is not running
 * the sockets are watched: the first connection or datagram starts it. A bind that fails fails the
 * unit with result {@code resources} and the OS error. Loop thread only.
 */
final class SocketDriver extends UnitTrigger {
    /** What a socket unit needs of the engine. */
    interface Host {
        /** Starts {@code service} (activation by {@code unit}). */
        void activate(String unit, String service);

        UnitSnapshot state(String unit);

        SocketPort port();
    }

    private final Host host;
    private SocketConfig cfg;
    private SocketPort.Bound bound;
    private long activations;
    private int generation;

    SocketDriver(Unit unit, Loop loop, Host host, Listener listener) {
        super(unit, loop, listener);
        this.cfg = unit.socket();
        this.host = host;
    }

    @Override
    String service() { return cfg.service(); }

    @Override
    UnitSnapshot serviceState() { return host.state(cfg.service()); }

    @Override
    SubState waiting() { return SubState.LISTENING; }

    /** The sockets held now (null when not listening). */
    SocketPort.Bound bound() { return bound; }

    /** The names for {@code LISTEN_FDNAMES}, one per descriptor. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (SocketConfig.Listen l : cfg.listen()) out.add(l.name());
        return out;
    }

    /** How many times a connection or datagram started the service. */
    long activations() { return activations; }

    @Override
    public void start() {
        if (snap.active() == ActiveState.ACTIVE) return;
        try {
            UnitSnapshot svc = host.state(cfg.service());
            bound = host.port().bind(unit.name(), cfg, up(svc) ? svc.mainPid() : null);
        } catch (IOException e) {
            publish(ActiveState.FAILED, Result.RESOURCES, e.getMessage());
            return;
        }
        generation++;
        publish(ActiveState.ACTIVE, Result.SUCCESS, null);
        if (!up(host.state(cfg.service()))) watch();
    }

    private void watch() {
        int gen = generation;
        bound.onActivity(() -> loop.execute(() -> {
            if (gen != generation || bound == null || snap.active() != ActiveState.ACTIVE) return;
            if (up(host.state(cfg.service()))) return;
            activations++;
            host.activate(unit.name(), cfg.service());
        }));
    }

    @Override
    public void stop() {
        generation++;
        if (bound != null) {
            bound.stopWatching();
            bound.close();
            bound = null;
        }
        if (snap.active() != ActiveState.INACTIVE) publish(ActiveState.INACTIVE, snap.result(), null);
    }

    /** The service changed: watched for activity while it is down, the sub-state follows it. */
    @Override
    void serviceChanged(UnitSnapshot before, UnitSnapshot after) {
        if (snap.active() != ActiveState.ACTIVE || bound == null) return;
        boolean wasUp = up(before), isUp = up(after);
        if (after.active() == ActiveState.FAILED && after.result() == Result.START_LIMIT) {
            // the service can no longer be started: stop listening rather than wake it for ever (systemd does so)
            generation++;
            bound.stopWatching();
            bound.close();
            bound = null;
            publish(ActiveState.FAILED, Result.START_LIMIT, "its service " + cfg.service() + " hit its start limit");
            return;
        }
        if (wasUp == isUp) return;
        if (isUp) {
            bound.stopWatching();
        } else if (after.sub() != SubState.AUTO_RESTART) {
            watch(); // a restart of its own (auto-restart) is coming: the backlog waits for it
        }
        publish(ActiveState.ACTIVE, snap.result(), null);
    }

    @Override
    public void resetFailed() {
        if (snap.active() == ActiveState.FAILED) publish(ActiveState.INACTIVE, snap.result(), snap.resultDetail());
    }

    @Override
    public void setUnit(Unit u) {
        // a changed listen list takes effect at the next start (the sockets in use stay bound)
        this.unit = u;
        this.cfg = u.socket();
    }
}
