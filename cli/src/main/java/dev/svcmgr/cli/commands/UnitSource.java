package dev.svcmgr.cli.commands;

import dev.svcmgr.core.daemon.Locations;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of commands that read units either offline ({@code --units}) or through the
 * daemon's view ({@code --runtime-dir}): plan, list-dependencies, graph.
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

    /** The units and states to look at (see {@link OfflineUnits#live}). */
    OfflineUnits.Live load(CommandLine cmd) {
        return OfflineUnits.live(dirs, runtimeDir != null ? runtimeDir : Locations.runtimeDir(System.getenv()), cmd);
    }
}
