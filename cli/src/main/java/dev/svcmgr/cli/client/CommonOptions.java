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

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Give up when the daemon has not answered within DURATION (e.g. 5s, 2min; 0 or infinity: wait for ever). "
                    + "Default: $SVCMGR_TIMEOUT, else 90s for ordinary requests and no limit for those that wait for jobs "
                    + "(start, stop, ... without --no-block; is-system-running --wait); a stream (logs -f, events) must start within it.")
    public String timeout;

    /** The timeout asked for (option first, then $SVCMGR_TIMEOUT): null for the defaults, ZERO for none. */
    public java.time.Duration timeout() {
        String t = timeout != null ? timeout : System.getenv("SVCMGR_TIMEOUT");
        if (t == null || t.isBlank()) return null;
        try {
            return Client.parseTimeout(t);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    (timeout != null ? "--timeout: " : "SVCMGR_TIMEOUT: ") + e.getMessage());
        }
    }

    /** The runtime dir to use. */
    public Path runtimeDir() {
        return runtimeDir != null ? runtimeDir : Locations.runtimeDir(System.getenv());
    }
}
