package dev.svcmgr.bench;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generated systems for the benchmarks: {@code n} services {@code svc00000.service ...}, each with
 * 0 to 10 relations (5 on average: half {@code requires}, 30% {@code wants}, 20% {@code after}) to
 * lower-numbered services, so the system is acyclic; {@code default.target} wants every tenth
 * service, {@code rescue.target} (allow-isolate) requires {@code rescue-shell.service} and wants
 * the first ten services. Seeded: the same n gives the same system. bench/verify-10k.sh writes the
 * same shape as unit files.
 */
public final class Systems {
    private Systems() {}

    public static String svc(int i) { return String.format("svc%05d.service", i); }

    public static UnitSet generate(int n, long seed) {
        Random rnd = new Random(seed);
        Map<String, Unit> units = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            List<Dependency> deps = new ArrayList<>();
            int k = i == 0 ? 0 : rnd.nextInt(11);
            for (int d = 0; d < k; d++) {
                int p = rnd.nextInt(100);
                DepKind kind = p < 50 ? DepKind.REQUIRES : p < 80 ? DepKind.WANTS : DepKind.AFTER;
                deps.add(new Dependency(kind, svc(rnd.nextInt(i)), true, Origin.at(svc(i) + ".yaml", d + 3, 3, kind.key())));
            }
            units.put(svc(i), unit(svc(i), UnitType.SERVICE, deps, false));
        }
        List<Dependency> def = new ArrayList<>();
        for (int i = 0; i < n; i += 10) def.add(new Dependency(DepKind.WANTS, svc(i), true, Origin.at("default.target.yaml", 2, 3, "wants")));
        units.put("default.target", unit("default.target", UnitType.TARGET, def, true));
        List<Dependency> rescue = new ArrayList<>();
        rescue.add(new Dependency(DepKind.REQUIRES, "rescue-shell.service", true, Origin.at("rescue.target.yaml", 2, 3, "requires")));
        for (int i = 0; i < Math.min(10, n); i++) rescue.add(new Dependency(DepKind.WANTS, svc(i), true, Origin.at("rescue.target.yaml", 3, 3, "wants")));
        units.put("rescue.target", unit("rescue.target", UnitType.TARGET, rescue, true));
        units.put("rescue-shell.service", unit("rescue-shell.service", UnitType.SERVICE, List.of(), false));
        return new UnitSet(units, Map.of(), Map.of(), List.of(), List.of(), null);
    }

    private static Unit unit(String name, UnitType type, List<Dependency> deps, boolean allowIsolate) {
        return new Unit(name, type, LoadState.LOADED, "", List.of(), deps, List.of(), List.of(), Conditions.NONE, false,
                allowIsolate, List.of(), List.of(), List.of(), null, null, null, null, name + ".yaml", List.of(), List.of());
    }
}
