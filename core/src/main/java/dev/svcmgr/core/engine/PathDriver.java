package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.PathConfig;
import dev.svcmgr.units.Unit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A path unit (units.md "Paths"): while active it watches its paths through the {@link PathWatcher}
 * port and acts on its service when they change: {@code start}, {@code restart} (a stopped service is
 * started) or {@code reload} (a stopped service is started). Events within {@link #COALESCE} of the
 * first act once, when that time has passed. {@code path-exists} and {@code directory-not-empty}
 * act when the unit starts and the condition holds, when it starts to hold, and again when the
 * service stops while it still holds (a spool directory is worked off until it is empty), as systemd
 * does. Loop thread only (the watcher's reports are posted to the loop).
 */
final class PathDriver extends UnitTrigger {
    /** What a path unit needs of the engine. */
    interface Host {
        /** Does {@code action} to {@code service}, as the matching command would ({@code unit} acted). */
        void act(String unit, String service, PathConfig.Action action);

        UnitSnapshot state(String unit);

        PathWatcher watcher();

        FileProbe files();
    }

    /** Events closer than this to the first act once. */
    static final Duration COALESCE = Duration.ofMillis(100);

    private enum Kind { EXISTS, CHANGED, MODIFIED, NOT_EMPTY }

    private final Host host;
    private PathConfig cfg;
    private final List<PathWatcher.Handle> handles = new ArrayList<>();
    private Loop.Cancellable pending;
    /** Bumped at every start and stop: reports of an earlier activation are dropped. */
    private int generation;
    private long acted;

    PathDriver(Unit unit, Loop loop, Host host, Listener listener) {
        super(unit, loop, listener);
        this.cfg = unit.paths();
        this.host = host;
    }

    @Override
    String service() { return cfg.service(); }

    @Override
    UnitSnapshot serviceState() { return host.state(cfg.service()); }

    @Override
    SubState waiting() { return SubState.WATCHING; }

    /** How many times an event acted on the service since the manager started. */
    long acted() { return acted; }

    @Override
    public void start() {
        if (snap.active() == ActiveState.ACTIVE) return;
        int gen = ++generation;
        watch(cfg.pathExists(), Kind.EXISTS, gen);
        watch(cfg.pathChanged(), Kind.CHANGED, gen);
        watch(cfg.pathModified(), Kind.MODIFIED, gen);
        watch(cfg.directoryNotEmpty(), Kind.NOT_EMPTY, gen);
        publish(ActiveState.ACTIVE);
        if (conditionHolds()) trigger();
    }

    private void watch(List<String> paths, Kind kind, int gen) {
        for (String p : paths) {
            handles.add(host.watcher().watch(p, write -> loop.execute(() -> {
                if (gen == generation) event(kind, p, write);
            })));
        }
    }

    private void event(Kind kind, String path, boolean write) {
        if (snap.active() != ActiveState.ACTIVE) return;
        switch (kind) {
            case CHANGED -> { if (!write) trigger(); }
            case MODIFIED -> trigger();
            case EXISTS -> { if (host.files().exists(path)) trigger(); }
            case NOT_EMPTY -> { if (host.files().isNonEmptyDirectory(path)) trigger(); }
        }
    }

    private boolean conditionHolds() {
        for (String p : cfg.pathExists()) if (host.files().exists(p)) return true;
        for (String p : cfg.directoryNotEmpty()) if (host.files().isNonEmptyDirectory(p)) return true;
        return false;
    }

    private void trigger() {
        if (pending != null) return; // within the window of the first event: this one acts with it
        pending = loop.schedule(COALESCE, () -> {
            pending = null;
            if (snap.active() != ActiveState.ACTIVE) return;
            acted++;
            host.act(unit.name(), cfg.service(), cfg.action());
        });
    }

    @Override
    public void stop() {
        generation++;
        for (PathWatcher.Handle h : handles) h.close();
        handles.clear();
        if (pending != null) pending.cancel();
        pending = null;
        if (snap.active() != ActiveState.INACTIVE) publish(ActiveState.INACTIVE);
    }

    /** The service changed: the sub-state follows it, and a condition that still holds acts again once it stopped. */
    @Override
    void serviceChanged(UnitSnapshot before, UnitSnapshot after) {
        if (snap.active() != ActiveState.ACTIVE) return;
        boolean wasUp = up(before), isUp = up(after);
        if (wasUp != isUp) publish(ActiveState.ACTIVE);
        if (wasUp && !isUp && after.sub() != SubState.AUTO_RESTART && conditionHolds()) trigger();
    }

    @Override
    public void resetFailed() { }

    @Override
    public void setUnit(Unit u) {
        boolean was = snap.active() == ActiveState.ACTIVE;
        if (was) stopWatching();
        this.unit = u;
        this.cfg = u.paths();
        if (was) {
            int gen = ++generation;
            watch(cfg.pathExists(), Kind.EXISTS, gen);
            watch(cfg.pathChanged(), Kind.CHANGED, gen);
            watch(cfg.pathModified(), Kind.MODIFIED, gen);
            watch(cfg.directoryNotEmpty(), Kind.NOT_EMPTY, gen);
        }
    }

    private void stopWatching() {
        for (PathWatcher.Handle h : handles) h.close();
        handles.clear();
    }

    private void publish(ActiveState a) { publish(a, Result.SUCCESS, null); }
}
