package dev.svcmgr.units;

import java.util.List;

/**
 * One unit as loaded: its definition only, never runtime state (STYLE habit 1).
 * A unit that could not be loaded is still a {@code Unit}, with
 * {@link LoadState#BAD_SETTING} or {@link LoadState#NOT_FOUND} and its problems,
 * so that whatever needs it can say why it cannot start.
 *
 * @param name            full name, e.g. {@code redis.service}
 * @param type            service, target, timer, path or socket
 * @param load            how it loaded
 * @param description     one line (may be empty)
 * @param documentation   links
 * @param dependencies    every relation, grouped by kind in {@link DepKind} order, each kind in declaration
 *                        order (the unit file, then its drop-ins in merge order)
 * @param provides        virtual names
 * @param aliases         other names (from {@code aliases:} and symlinks)
 * @param conditions      start conditions
 * @param ignoreOnIsolate isolate leaves it alone
 * @param allowIsolate    targets: may be isolated to
 * @param wantedBy        {@code install.wanted-by}
 * @param requiredBy      {@code install.required-by}
 * @param installOrigins  origins of the install entries, parallel to wantedBy then requiredBy
 * @param service         the service settings; null for other types and bad units
 * @param timer           the timer settings; null for other types and bad units
 * @param paths           the path unit's settings; null for other types and bad units
 * @param socket          the socket unit's settings; null for other types and bad units
 * @param fragmentPath    the unit file (null when not found)
 * @param dropIns         drop-in files merged over it, in merge order
 * @param problems        errors and warnings of this unit
 */
public record Unit(
        String name,
        UnitType type,
        LoadState load,
        String description,
        List<String> documentation,
        List<Dependency> dependencies,
        List<String> provides,
        List<String> aliases,
        Conditions conditions,
        boolean ignoreOnIsolate,
        boolean allowIsolate,
        List<String> wantedBy,
        List<String> requiredBy,
        List<Origin> installOrigins,
        ServiceConfig service,
        TimerConfig timer,
        PathConfig paths,
        SocketConfig socket,
        String fragmentPath,
        List<String> dropIns,
        List<Problem> problems) {

    /** True when the unit has an {@code install} section. */
    public boolean hasInstall() { return !wantedBy.isEmpty() || !requiredBy.isEmpty(); }

    /** True when loaded without errors. */
    public boolean isLoaded() { return load == LoadState.LOADED; }

    /** The dependencies of one kind. */
    public List<Dependency> dependencies(DepKind kind) {
        return dependencies.stream().filter(d -> d.kind() == kind).toList();
    }

    /** A stand-in for a name nothing defines. */
    public static Unit notFound(String name, String why) {
        UnitType t = UnitType.ofName(name);
        return new Unit(name, t == null ? UnitType.SERVICE : t, LoadState.NOT_FOUND, "", List.of(), List.of(), List.of(),
                List.of(), Conditions.NONE, false, false, List.of(), List.of(), List.of(), null, null, null, null, null, List.of(),
                List.of(new Problem(Severity.ERROR, name, null, 0, 0, null, why)));
    }

    /** The first error's message, or null. */
    public String firstError() {
        return problems.stream().filter(p -> p.severity() == Severity.ERROR).map(Problem::message).findFirst().orElse(null);
    }

    /**
     * The first error's message as anyone may see it (result details, rejections): without the unit
     * file's contents when that file is not readable by every user ({@link Problem#messageWithoutContent()}).
     */
    public String firstErrorWithoutContent() {
        return problems.stream().filter(p -> p.severity() == Severity.ERROR).map(Problem::messageWithoutContent)
                .findFirst().orElse(null);
    }
}
