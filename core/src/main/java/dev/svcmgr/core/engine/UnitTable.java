package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one owner of unit runtime state: the model in force (unit set, graph, disabled and masked
 * names) and one {@link UnitRuntime} per unit (definition, the definition it was started with,
 * driver, the engine's own state, current and acting job, cause, transient flag). Loop thread only;
 * everything else in the engine reads and writes unit state through it.
 */
final class UnitTable {
    private final Loop loop;
    private final History history;
    private final Map<String, UnitRuntime> records = new TreeMap<>();
    private UnitSet units;
    private DependencyGraph graph;
    private Set<String> disabled = Set.of();
    private Set<String> masked = Set.of();

    UnitTable(Loop loop, History history, Set<String> masked) {
        this.loop = loop;
        this.history = history;
        this.masked = Set.copyOf(masked);
    }

    UnitSet units() { return units; }

    DependencyGraph graph() { return graph; }

    Set<String> disabled() { return disabled; }

    Set<String> masked() { return masked; }

    void setMasked(Set<String> now) { masked = Set.copyOf(now); }

    /**
     * Puts a unit set and disabled names in force and rebuilds the graph; each service or timer
     * without a driver gets one from {@code make}, the others are told their new definition.
     */
    void setUnits(UnitSet next, Set<String> disabledNow, Function<Unit, ServiceDriver> make) {
        units = next;
        disabled = Set.copyOf(disabledNow);
        graph = DependencyGraph.build(next, disabled);
        for (UnitRuntime r : records.values()) {
            if (!next.units().containsKey(r.name)) r.definition = r.driver != null ? r.driver.unit() : null;
        }
        for (Unit u : next.units().values()) {
            UnitRuntime r = at(u.name());
            r.definition = u;
            boolean driven = u.type() == UnitType.SERVICE && u.service() != null
                    || u.type() == UnitType.TIMER && u.timer() != null
                    || u.type() == UnitType.PATH && u.paths() != null
                    || u.type() == UnitType.SOCKET && u.socket() != null;
            if (!driven) continue;
            if (r.driver == null) r.driver = make.apply(u);
            else r.driver.setUnit(u);
        }
    }

    /** The record of a unit, or null when the engine never held state for it. */
    UnitRuntime get(String name) { return records.get(name); }

    /** The record of a unit, made when missing. */
    UnitRuntime at(String name) { return records.computeIfAbsent(name, UnitRuntime::new); }

    ServiceDriver driver(String name) {
        UnitRuntime r = records.get(name);
        return r == null ? null : r.driver;
    }

    /** Records of the units that have a driver (services, also those whose file is gone), by name. */
    List<UnitRuntime> services() {
        List<UnitRuntime> out = new ArrayList<>();
        for (UnitRuntime r : records.values()) if (r.driver != null) out.add(r);
        return out;
    }

    /** Every unit name known: loaded units, and services still running from an older definition. */
    List<String> names() {
        TreeSet<String> all = new TreeSet<>(units.units().keySet());
        for (UnitRuntime r : records.values()) if (r.driver != null) all.add(r.name);
        return new ArrayList<>(all);
    }

    /** The definition in force: loaded one (aliases and instances looked up), else the record's, else a not-found stand-in. */
    Unit definition(String name) {
        Unit u = units.lookup(name);
        if (u != null) return u;
        UnitRuntime r = records.get(name);
        if (r != null && r.definition != null) return r.definition;
        return units.require(name);
    }

    /** The unit's current state, with {@code sub: waiting} while a job waits for its turn. */
    UnitSnapshot snapshot(String name) {
        UnitRuntime r = records.get(name);
        UnitSnapshot s = r == null ? null : r.own;
        if (s == null) s = r != null && r.driver != null ? r.driver.snapshot() : UnitSnapshot.initial(name, Instant.EPOCH);
        JobRun j = r == null ? null : r.current;
        if (j != null && j.phase == JobRun.Phase.WAITING) {
            s = new UnitSnapshot(s.unit(), s.active(), SubState.WAITING, s.result(), s.resultDetail(), s.mainPid(),
                    s.since(), s.statusText(), s.failedDependency(), s.exitCode());
        }
        return s;
    }

    /** Sets the engine's own state of a unit (and puts the change in the history). */
    void setOwn(String unit, ActiveState a, SubState sub, Result r, String detail) {
        setOwn(unit, a, sub, r, detail, null);
    }

    /** {@link #setOwn}, for result {@code dependency} with the requirement that failed ({@link UnitSnapshot#failedDependency}). */
    void setOwn(String unit, ActiveState a, SubState sub, Result r, String detail, String failedDependency) {
        UnitSnapshot before = snapshot(unit);
        boolean same = before.active() == a && before.result() == r;
        UnitSnapshot s = new UnitSnapshot(unit, a, sub, r, detail, null, same ? before.since() : loop.now(), null,
                failedDependency, null);
        UnitRuntime rec = at(unit);
        rec.own = s;
        if (before.active() != a || before.sub() != sub || before.result() != r) history.emit(rec, s);
    }

    /** Drops the engine's own state of a unit with a driver, putting the driver's state in the history. */
    void clearOwn(UnitRuntime r) {
        if (r.own == null) return;
        r.own = null;
        if (r.driver != null) history.emit(r, r.driver.snapshot());
    }

    /** The state the resolver sees: each unit's, with queued starts as starting and queued stops as stopping. */
    Map<String, ActiveState> states() {
        Map<String, ActiveState> m = new HashMap<>();
        for (String n : names()) m.put(n, snapshot(n).active());
        for (UnitRuntime r : records.values()) {
            JobRun j = r.current;
            if (j == null || j.phase != JobRun.Phase.WAITING) continue;
            if (j.type == JobType.START) m.put(r.name, ActiveState.STARTING);
            else if (j.type == JobType.STOP) m.put(r.name, ActiveState.STOPPING);
        }
        return m;
    }

    /**
     * For daemon-reload: {@code next} plus the definitions of services still up whose files are gone
     * (they become transient: they leave once stopped).
     */
    UnitSet keepRunning(UnitSet next) {
        for (UnitRuntime r : services()) {
            Unit loaded = next.lookup(r.name);
            if (loaded != null && loaded.load() != LoadState.NOT_FOUND) continue;
            ActiveState a = r.driver.snapshot().active();
            if (a == ActiveState.INACTIVE || a == ActiveState.FAILED) continue;
            next = next.with(r.driver.unit());
            r.transientUnit = true;
        }
        return next;
    }

    /** After daemon-reload: services that are down, have no job and whose files are gone leave with their definitions. */
    void dropGone() {
        for (UnitRuntime r : services()) {
            Unit u = units.lookup(r.name);
            if ((u == null || u.load() == LoadState.NOT_FOUND) && r.current == null) {
                ActiveState a = r.driver.snapshot().active();
                if (a == ActiveState.INACTIVE || a == ActiveState.FAILED) {
                    r.driver = null;
                    r.own = null;
                    r.definition = null;
                }
            }
        }
    }

    /** Forgets a transient unit's runtime (its cause and last event stay, as for any unit that left). */
    void forget(UnitRuntime r) {
        r.transientUnit = false;
        r.driver = null;
        r.own = null;
        r.startedWith = null;
        r.definition = null;
    }
}
