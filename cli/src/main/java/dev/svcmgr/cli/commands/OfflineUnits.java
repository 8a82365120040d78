package dev.svcmgr.cli.commands;

import java.util.TreeSet;

import java.util.TreeMap;

import java.util.Set;

import dev.svcmgr.graph.ActiveState;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Shared by the commands that read unit files ({@code verify}, {@code cat}, {@code show}, {@code plan}, ...):
 * which unit directories to read, name lookup with exit code 4, one-line crash reports.
 */
final class OfflineUnits {
    /** Exit codes of cli.md ({@link ExitCodes}). */
    static final int OK = ExitCodes.OK, FAILURE = ExitCodes.FAILURE, USAGE = ExitCodes.USAGE, NO_SUCH_UNIT = ExitCodes.NO_SUCH_UNIT;

    private OfflineUnits() {}

    /** The directories: {@code --units} when given (each must exist), else {@link UnitLoader#defaultDirs()}. */
    static List<Path> dirs(List<Path> given, CommandLine cmd) {
        if (given == null || given.isEmpty()) return UnitLoader.defaultDirs();
        for (Path p : given)
            if (!Files.isDirectory(p))
                throw new CommandLine.ParameterException(cmd, "--units " + p + ": no such directory");
        return List.copyOf(given);
    }

    /**
     * What {@code cat} and {@code show} look at: with {@code --units}, those directories offline;
     * otherwise the running daemon's unit directories and its live state of each named unit;
     * with no daemon, the default directories offline.
     *
     * @param set  the units, loaded from the chosen directories
     * @param live the daemon's view of each named unit (same order as the names), or null offline
     */
    record View(UnitSet set, List<Map<String, Object>> live) {}

    static View view(List<Path> given, Path runtimeDir, List<String> names, CommandLine cmd) {
        if (given != null && !given.isEmpty()) return new View(UnitLoader.load(dirs(given, cmd)), null);
        try {
            Client client = new Client(runtimeDir);
            Map<String, Object> state = client.call(Client.request("state"));
            if (Boolean.TRUE.equals(state.get("ok")) && state.get("dirs") instanceof List<?> ds) {
                List<Path> dirs = new ArrayList<>();
                for (Object d : ds) dirs.add(Path.of(String.valueOf(d)));
                List<Map<String, Object>> live = new ArrayList<>();
                if (!names.isEmpty()) {
                    Map<String, Object> req = Client.request("units");
                    req.put("units", names.stream().map(UnitNames::fromUser).toList());
                    Map<String, Object> reply = client.call(req);
                    if (Boolean.TRUE.equals(reply.get("ok")) && reply.get("units") instanceof List<?> us) {
                        for (Object u : us) live.add(u instanceof Map<?, ?> m ? asMap(m) : Map.of());
                    }
                }
                return new View(UnitLoader.load(dirs), live.size() == names.size() ? live : null);
            }
        } catch (NoDaemon | IOException | RuntimeException e) {
            // no daemon (or none that answers): read the default directories offline
        }
        return new View(UnitLoader.load(UnitLoader.defaultDirs()), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> m) { return (Map<String, Object>) m; }

    /**
     * What {@code plan}, {@code list-dependencies} and {@code graph} look at: with {@code --units},
     * those directories offline (every unit inactive); otherwise the running daemon's unit
     * directories, every unit's live state and its mask and disable choices; with no daemon,
     * the default directories offline.
     *
     * @param set      the units
     * @param states   active state of each unit (empty offline: all inactive)
     * @param masked   masked units
     * @param disabled disabled units (their install edges dropped)
     * @param live     true when the daemon answered
     */
    record Live(UnitSet set, Map<String, ActiveState> states, Set<String> masked, Set<String> disabled, boolean live) {}

    static Live live(List<Path> given, Path runtimeDir, CommandLine cmd) {
        if (given != null && !given.isEmpty()) return new Live(UnitLoader.load(dirs(given, cmd)), Map.of(), Set.of(), Set.of(), false);
        try {
            Map<String, Object> state = new Client(runtimeDir).call(Client.request("state"));
            if (Boolean.TRUE.equals(state.get("ok")) && state.get("dirs") instanceof List<?> ds) {
                List<Path> dirs = new ArrayList<>();
                for (Object d : ds) dirs.add(Path.of(String.valueOf(d)));
                Map<String, ActiveState> states = new TreeMap<>();
                if (state.get("states") instanceof Map<?, ?> sm) {
                    for (Map.Entry<?, ?> e : sm.entrySet()) {
                        states.put(String.valueOf(e.getKey()),
                                ActiveState.valueOf(String.valueOf(e.getValue()).toUpperCase(java.util.Locale.ROOT)));
                    }
                }
                return new Live(UnitLoader.load(dirs), states, strings(state.get("masked")), strings(state.get("disabled")), true);
            }
        } catch (NoDaemon | IOException | RuntimeException e) {
            // no daemon (or none that answers): read the default directories offline
        }
        return new Live(UnitLoader.load(UnitLoader.defaultDirs()), Map.of(), Set.of(), Set.of(), false);
    }

    private static Set<String> strings(Object o) {
        Set<String> out = new TreeSet<>();
        if (o instanceof List<?> l) for (Object x : l) out.add(String.valueOf(x));
        return out;
    }

    /** The unit a user named (a bare name means a service), or null when it does not exist. */
    static Unit find(UnitSet set, String arg) {
        String name = UnitNames.fromUser(arg);
        Unit u = set.lookup(name);
        if (u == null || u.load() == LoadState.NOT_FOUND) return null;
        return u;
    }

    /** The one-line reason {@code arg} names no unit. */
    static String noSuchUnit(String arg) {
        String name = UnitNames.fromUser(arg);
        String why = UnitNames.problem(name);
        return why != null ? "invalid unit name '" + arg + "': " + why : "unit " + name + " not found";
    }

    /** One line for an unexpected exception (the whole trace with --debug). */
    static int crash(CommandLine cmd, Exception e, boolean debug) {
        if (debug) e.printStackTrace(cmd.getErr());
        else cmd.getErr().println("svcmgr " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + " (run with --debug for details)");
        cmd.getErr().flush();
        return FAILURE;
    }
}
