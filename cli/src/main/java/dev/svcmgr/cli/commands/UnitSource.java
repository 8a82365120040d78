package dev.svcmgr.cli.commands;

import dev.svcmgr.core.daemon.Locations;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of commands that read units either offline ({@code --units}) or through the
 * daemon ({@code --runtime-dir}): plan, list-dependencies, graph. Without {@code --units} they ask
 * the running daemon, which answers from the definitions it has loaded (a unit file edited since
 * the last {@code daemon-reload} does not count yet) and its units' current states; when no daemon
 * runs they read the default directories offline.
 */
public final class UnitSource {
    @Option(names = "--units", paramLabel = "DIR",
            description = "Unit directory (repeatable, highest precedence first); replaces the defaults and works offline:"
                    + " every unit inactive, no daemon asked.")
    List<Path> dirs;

    @Option(names = "--runtime-dir", paramLabel = "DIR",
            description = "Without --units: ask the daemon at DIR (default: $SVCMGR_RUNTIME_DIR, /run/svcmgr as root)"
                    + " for its units and live state.")
    Path runtimeDir;

    @Option(names = "--debug", description = "Show stack traces of internal errors.")
    boolean debug;

    /** True with {@code --units}: read those directories, ask no daemon. */
    boolean offline() { return dirs != null && !dirs.isEmpty(); }

    /** Where to find the daemon. */
    Path runtimeDir() { return runtimeDir != null ? runtimeDir : Locations.runtimeDir(System.getenv()); }

    /** The units of {@code --units} (or, when none is given, of the default directories), every one inactive. */
    OfflineUnits.Live offlineUnits(CommandLine cmd) { return OfflineUnits.offline(dirs, cmd); }
}
