package dev.svcmgr.units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every unit the loader found, closed over names: each name referenced by a
 * relation resolves to a unit (possibly a {@code not-found} stand-in). Sorted by
 * name so that everything built from it is deterministic.
 *
 * <p>Instances of templates that nothing referenced at load time (e.g. {@code
 * svcmgr start getty@tty9}) are made on demand by {@link #lookup}, from the
 * template the loader kept; the set is otherwise immutable. Made instances are
 * remembered in a small cache of the {@link #INSTANCE_CACHE} most recently used
 * only, so that looking up any number of names never grows memory.
 */
public final class UnitSet {
    private final SortedMap<String, Unit> units;
    private final Map<String, String> aliases;      // alias -> canonical
    private final Map<String, List<String>> providers; // virtual name -> providing units (sorted)
    private final List<Problem> problems;
    private final List<String> dirs;
    private final Function<String, Unit> instantiator;
    /** Most on-demand instances remembered (least recently used forgotten first). */
    public static final int INSTANCE_CACHE = 256;
    private final Map<String, Unit> instances = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Unit> eldest) { return size() > INSTANCE_CACHE; }
    };

    public UnitSet(Map<String, Unit> units, Map<String, String> aliases, Map<String, List<String>> providers,
                   List<Problem> problems, List<String> dirs, Function<String, Unit> instantiator) {
        this.units = Collections.unmodifiableSortedMap(new TreeMap<>(units));
        this.aliases = Map.copyOf(aliases);
        TreeMap<String, List<String>> p = new TreeMap<>();
        providers.forEach((k, v) -> p.put(k, v.stream().sorted().toList()));
        this.providers = Collections.unmodifiableMap(p);
        this.problems = List.copyOf(problems);
        this.dirs = List.copyOf(dirs);
        this.instantiator = instantiator == null ? n -> null : instantiator;
    }

    /** Every unit by canonical name, sorted. */
    public SortedMap<String, Unit> units() { return units; }

    /** alias -> canonical name (symlinks and {@code aliases:}). */
    public Map<String, String> aliases() { return aliases; }

    /** virtual name ({@code provides}) -> units providing it, sorted. */
    public Map<String, List<String>> providers() { return providers; }

    /** Every problem of every unit and directory, in file order. */
    public List<Problem> problems() { return problems; }

    public List<String> dirs() { return dirs; }

    /** Canonical name for a name, alias or provided name; the name itself when unknown. */
    public String canonical(String name) {
        if (units.containsKey(name)) return name;
        String a = aliases.get(name);
        if (a != null) return a;
        List<String> p = providers.get(name);
        if (p != null && !p.isEmpty()) return p.get(0);
        return name;
    }

    /** The unit for a name, alias, provided name or template instance; null when none. */
    public Unit lookup(String name) {
        String c = canonical(name);
        Unit u = units.get(c);
        if (u != null) return u;
        if (UnitNames.templateOf(c) != null) {
            synchronized (instances) {
                Unit known = instances.get(c);
                if (known != null) return known;
            }
            Unit made = instantiator.apply(c);
            if (made != null) {
                synchronized (instances) {
                    instances.putIfAbsent(c, made);
                }
            }
            return made;
        }
        return null;
    }

    /** Like {@link #lookup} but never null: a {@code not-found} stand-in with the reason. */
    public Unit require(String name) {
        Unit u = lookup(name);
        if (u != null) return u;
        String why = UnitNames.problem(name);
        return Unit.notFound(name, why != null ? why : "unit " + name + " not found");
    }

    /**
     * This set plus {@code extra} (a transient unit made by {@code svcmgr run}); a unit of the
     * same name is replaced. Instances are made from the same templates.
     */
    public UnitSet with(Unit extra) {
        Map<String, Unit> m = new TreeMap<>(units);
        m.put(extra.name(), extra);
        return new UnitSet(m, aliases, providers, problems, dirs, instantiator);
    }

    /**
     * This set with {@code alias} another name of {@code target} ({@code set-default}: {@code
     * default.target} names the chosen target), replacing a unit file or alias of that name.
     */
    public UnitSet withAlias(String alias, String target) {
        Map<String, Unit> m = new TreeMap<>(units);
        m.remove(alias);
        Map<String, String> a = new java.util.HashMap<>(aliases);
        a.put(alias, canonical(target));
        return new UnitSet(m, a, providers, problems, dirs, instantiator);
    }

    /** This set without the unit {@code name} (a transient unit that has ended). */
    public UnitSet without(String name) {
        if (!units.containsKey(name)) return this;
        Map<String, Unit> m = new TreeMap<>(units);
        m.remove(name);
        return new UnitSet(m, aliases, providers, problems, dirs, instantiator);
    }

    /** Errors only. */
    public List<Problem> errors() {
        List<Problem> out = new ArrayList<>();
        for (Problem p : problems) if (p.severity() == Severity.ERROR) out.add(p);
        return out;
    }
}
