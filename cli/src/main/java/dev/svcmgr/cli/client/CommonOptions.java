package dev.svcmgr.cli.client;

import dev.svcmgr.core.daemon.Locations;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every daemon-talking command takes: where the daemon is, output form, debugging. */
public final class CommonOptions {
    @Option(names = "--runtime-dir", paramLabel = "DIR",
            description = "The daemon's runtime directory (default: $SVCMGR_RUNTIME_DIR, /run/svcmgr as root, else $XDG_RUNTIME_DIR/svcmgr or /tmp/svcmgr-UID).")
    public Path runtimeDir;

    @Option(names = "--json", description = "Print one JSON document (or one per line for streams) and nothing else on stdout.")
    public boolean json;

    @Option(names = "--debug", description = "Show stack traces for internal errors.")
    public boolean debug;

    /** The runtime dir to use. */
    public Path runtimeDir() {
        return runtimeDir != null ? runtimeDir : Locations.runtimeDir(System.getenv());
    }
}
