package dev.svcmgr.cli.commands;

import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Shared by the offline commands: which unit directories to read, and name lookup with exit code 4. */
final class OfflineUnits {
    /** Exit codes of cli.md. */
    static final int OK = 0, FAILURE = 1, USAGE = 2, NO_SUCH_UNIT = 4;

    private OfflineUnits() {}

    /** The directories: {@code --units} when given (each must exist), else {@link UnitLoader#defaultDirs()}. */
    static List<Path> dirs(List<Path> given, CommandLine cmd) {
        if (given == null || given.isEmpty()) return UnitLoader.defaultDirs();
        for (Path p : given)
            if (!Files.isDirectory(p))
                throw new CommandLine.ParameterException(cmd, "--units " + p + ": no such directory");
        return List.copyOf(given);
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
        return why != null ? "invalid unit name '" + arg + "': " + why : "no such unit: " + name;
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
