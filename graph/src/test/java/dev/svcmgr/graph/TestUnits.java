package dev.svcmgr.graph;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds unit sets from records directly, for tests that need many or random units. */
final class TestUnits {
    private final Map<String, List<Dependency>> deps = new LinkedHashMap<>();
    private final Map<String, List<String>> wantedBy = new LinkedHashMap<>();
    private final Map<String, List<String>> provides = new LinkedHashMap<>();
    private final Map<String, Boolean> ignore = new LinkedHashMap<>();

    private final java.util.Set<String> missing = new java.util.HashSet<>();

    /** A name that relations may mention but no unit defines (a not-found stand-in). */
    TestUnits missing(String name) {
        missing.add(name);
        return this;
    }

    /** Declares a unit (idempotent). */
    TestUnits unit(String name) {
        deps.computeIfAbsent(name, k -> new ArrayList<>());
        return this;
    }

    /** {@code from} declares {@code kind: [to]} (ordered). */
    TestUnits dep(String from, DepKind kind, String to) { return dep(from, kind, to, true); }

    TestUnits dep(String from, DepKind kind, String to, boolean ordered) {
        List<Dependency> l = deps.computeIfAbsent(from, k -> new ArrayList<>());
        if (!missing.contains(to) && !provides.values().stream().anyMatch(v -> v.contains(to))) unit(to);
        l.add(new Dependency(kind, to, ordered, Origin.at(from + ".yaml", l.size() + 2, 3, kind.key())));
        return this;
    }

    TestUnits wantedBy(String unit, String target) {
        unit(unit);
        wantedBy.computeIfAbsent(unit, k -> new ArrayList<>()).add(target);
        return this;
    }

    TestUnits provides(String unit, String name) {
        unit(unit);
        provides.computeIfAbsent(unit, k -> new ArrayList<>()).add(name);
        return this;
    }

    TestUnits ignoreOnIsolate(String unit) {
        unit(unit);
        ignore.put(unit, true);
        return this;
    }

    UnitSet build() {
        Map<String, Unit> units = new TreeMap<>();
        Map<String, List<String>> providers = new TreeMap<>();
        for (var e : deps.entrySet()) {
            String n = e.getKey();
            UnitType t = UnitType.ofName(n);
            List<String> wb = wantedBy.getOrDefault(n, List.of());
            List<Origin> io = new ArrayList<>();
            for (int i = 0; i < wb.size(); i++) io.add(Origin.at(n + ".yaml", 20 + i, 5, "install.wanted-by"));
            List<String> pv = provides.getOrDefault(n, List.of());
            for (String p : pv) providers.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
            units.put(n, new Unit(n, t == null ? UnitType.SERVICE : t, LoadState.LOADED, "", List.of(), e.getValue(), pv,
                    List.of(), Conditions.NONE, ignore.getOrDefault(n, false), true, wb, List.of(), io, null, null, null, null,
                    n + ".yaml", List.of(), List.of()));
        }
        // close over names: stand-ins for names nothing defines, as the loader does
        for (var e : deps.entrySet())
            for (Dependency d : e.getValue())
                if (!units.containsKey(d.to()) && !providers.containsKey(d.to())) units.put(d.to(), Unit.notFound(d.to(), "unit " + d.to() + " not found"));
        return new UnitSet(units, Map.of(), providers, List.of(), List.of(), null);
    }

    DependencyGraph graph() { return DependencyGraph.build(build(), java.util.Set.of()); }
}
