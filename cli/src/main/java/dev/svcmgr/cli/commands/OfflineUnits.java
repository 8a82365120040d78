package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.graph.ActiveState;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Shared by the commands that read unit files ({@code verify}, {@code cat}, {@code show}, and {@code plan},
 * {@code graph}, {@code list-dependencies} offline): which unit directories to read, name lookup with exit
 * code 4, one-line crash reports.
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
    record View(UnitSet set, List<UnitInfo> live) {}

    static View view(List<Path> given, Path runtimeDir, List<String> names, CommandLine cmd) {
        if (given != null && !given.isEmpty()) return new View(UnitLoader.load(dirs(given, cmd)), null);
        try {
            Client client = new Client(runtimeDir);
            Reply.State state = client.call(new Request.State());
            List<UnitInfo> live = new ArrayList<>();
            if (!names.isEmpty()) {
                try {
                    live.addAll(client.call(new Request.Units(names.stream().map(UnitNames::fromUser).toList(), false)).units());
                } catch (DaemonError e) {
                    // no live state: the files alone
                }
            }
            return new View(UnitLoader.load(paths(state.dirs())), live.size() == names.size() ? live : null);
        } catch (NoDaemon | DaemonError | IOException | RuntimeException e) {
            // no daemon (or none that answers): read the default directories offline; never inside the daemon
            if (Client.inDaemonNow()) {
                Client.abandon();
                throw new IllegalStateException("no answer inside the daemon: " + e.getMessage());
            }
        }
        return new View(UnitLoader.load(UnitLoader.defaultDirs()), null);
    }

    private static List<Path> paths(List<String> dirs) {
        List<Path> out = new ArrayList<>();
        for (String d : dirs) out.add(Path.of(d));
        return out;
    }

    /**
     * Units read from files, for {@code plan}, {@code list-dependencies} and {@code graph} offline
     * (every unit inactive) and for {@code graph --diff}.
     *
     * @param set      the units
     * @param states   active state of each unit (empty offline: all inactive)
     * @param masked   masked units
     * @param disabled disabled units (their install edges dropped)
     */
    record Live(UnitSet set, Map<String, ActiveState> states, Set<String> masked, Set<String> disabled) {}

    /** The units of {@code --units DIR...} (the default directories when none is given), every one inactive. */
    static Live offline(List<Path> given, CommandLine cmd) {
        return new Live(UnitLoader.load(dirs(given, cmd)), Map.of(), Set.of(), Set.of());
    }

    /**
     * The files in the running daemon's unit directories with its units' states and choices
     * ({@code graph --diff}, which compares definitions); with no daemon, the default
     * directories offline.
     */
    static Live daemonFiles(Path runtimeDir) {
        try {
            Reply.State state = new Client(runtimeDir).call(new Request.State());
            Map<String, ActiveState> states = new TreeMap<>();
            for (Map.Entry<String, String> e : state.states().entrySet()) {
                states.put(e.getKey(), ActiveState.valueOf(e.getValue().toUpperCase(java.util.Locale.ROOT)));
            }
            return new Live(UnitLoader.load(paths(state.dirs())), states, new TreeSet<>(state.masked()),
                    new TreeSet<>(state.disabled()));
        } catch (NoDaemon | DaemonError | IOException | RuntimeException e) {
            // no daemon (or none that answers): read the default directories offline
        }
        return new Live(UnitLoader.load(UnitLoader.defaultDirs()), Map.of(), Set.of(), Set.of());
    }

    /**
     * The exit code and message for an error reply to a request about {@code args} ({@code plan},
     * {@code graph}, {@code list-dependencies} against the daemon), worded as offline: a name no
     * unit has is {@link #noSuchUnit}.
     */
    static int daemonError(CommandLine cmd, Reply.Error e) { return daemonError(cmd.getErr(), e); }

    /** {@link #daemonError(CommandLine, Reply.Error)} writing to {@code err}. */
    static int daemonError(java.io.PrintWriter err, Reply.Error e) {
        String message = e.kind() == ErrorKind.NOT_FOUND && e.unit() != null ? "unit " + e.unit() + " not found" : e.message();
        err.println("svcmgr: " + message);
        err.flush();
        return ExitCodes.of(e.kind());
    }

    /** The first of {@code args} that cannot be a unit's name, or null: refused as offline, before the daemon is asked. */
    static String invalidName(List<String> args) {
        for (String a : args) if (UnitNames.problem(UnitNames.fromUser(a)) != null) return a;
        return null;
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
        return crash(cmd.getErr(), cmd.getCommandName(), e, debug);
    }

    /** {@link #crash(CommandLine, Exception, boolean)} for command {@code name} writing to {@code err}. */
    static int crash(java.io.PrintWriter err, String name, Exception e, boolean debug) {
        if (debug) e.printStackTrace(err);
        else err.println("svcmgr " + name + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + " (run with --debug for details)");
        err.flush();
        return FAILURE;
    }
}
