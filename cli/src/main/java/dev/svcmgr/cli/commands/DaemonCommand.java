package dev.svcmgr.cli.commands;

import dev.svcmgr.core.daemon.ContainerMode;
import dev.svcmgr.core.daemon.Daemon;
import dev.svcmgr.core.daemon.Locations;
import dev.svcmgr.core.daemon.Supervisors;
import dev.svcmgr.core.log.ConsoleOutput;
import dev.svcmgr.units.load.UnitLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code svcmgr daemon}: the manager, in the foreground. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the service manager in the foreground: load the units (problems are listed; bad units are kept"
                + " with their reason), bring the system to --target, serve the control socket, and print one line per"
                + " finished job ([  OK  ] Started ..., [FAILED] ...).",
                "SIGTERM or SIGINT (Ctrl-C): stop every unit in reverse dependency order, then exit 0. SIGHUP: reload"
                        + " the unit files (daemon-reload). Every other asynchronous signal (USR1, USR2, ALRM, PIPE, ...) is"
                        + " caught and ignored.",
                "The manager's own death loses no service: started again on the same runtime dir after a SIGKILL or a"
                        + " crash (or after daemon-reexec) it re-adopts every running service with its PID, state and"
                        + " restart count; what services wrote meanwhile reaches their logs. One daemon per runtime dir.",
                "As PID 1 it also reaps every orphan, never exits, and ends a shutdown with poweroff/reboot/halt"
                        + " (SIGTERM: reboot, SIGINT: Ctrl-Alt-Del, SIGPWR: poweroff); otherwise it makes itself child"
                        + " subreaper so double-forked daemons stay its own.",
                "Container mode (--container; by itself as PID 1 when the environment has 'container' set or /.dockerenv"
                        + " or /run/.containerenv exists): SIGTERM and SIGINT (docker stop, Kubernetes) and poweroff, reboot"
                        + " and halt stop every unit in order, then exit 0; every service's output is also written to stdout"
                        + " as 'unit[pid]: line' (pid: the unit's main PID), one whole line at a time, never blocking a"
                        + " service: when stdout does not keep up, lines beyond 1 MiB waiting are dropped from stdout (never"
                        + " from the log files) and counted in a line 'svcmgr: N lines of service output dropped'. A missing"
                        + " program a loaded unit's sandbox needs is one warning line at start (docs/container.md).",
                "Files: the runtime dir is made 0755 (control socket 0666), the state dir 0700 (files 0600), the log dir"
                        + " 0750 (log files 0640), whatever the umask; an existing runtime, state or log dir that is a"
                        + " symlink, another user's, or writable by group or others is refused (exit 1)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:orderly shutdown", "1:could not start (e.g. another daemon serves the runtime dir, or a runtime,"
                + " state or log dir is a symlink, another user's, or writable by group or others)",
                "2:usage error"})
public final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--units", paramLabel = "DIR",
            description = "Unit directory, in precedence order (repeatable); replaces the defaults"
                    + " (/etc/svcmgr/units, /usr/lib/svcmgr/units as root; ~/.config/svcmgr/units otherwise).")
    List<Path> units = new ArrayList<>();

    @Option(names = "--runtime-dir", paramLabel = "DIR", description = "Control socket and runtime state (default /run/svcmgr as root).")
    Path runtimeDir;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Unit logs (default /var/log/svcmgr as root, ~/.local/state/svcmgr/log otherwise).")
    Path logDir;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Persistent enable/disable/mask choices (default /var/lib/svcmgr as root).")
    Path stateDir;

    @Option(names = "--log-group", paramLabel = "GROUP", defaultValue = Daemon.Options.DEFAULT_LOG_GROUP,
            description = "Members of this group may read every unit's log over the control socket (others: only the"
                    + " units that run as their own user; root and the daemon's user: all). As root the log dir"
                    + " (0750) and the log files (0640) get this group when it exists, so its members can also read"
                    + " them directly. Default: ${DEFAULT-VALUE}.")
    String logGroup;

    @Option(names = "--target", paramLabel = "T", description = "Boot target (default default.target).")
    String target;

    @Option(names = "--no-boot", description = "Load the units and start nothing.")
    boolean noBoot;

    @Option(names = "--watch-units", description = "Pick up unit files added, changed or removed in the unit directories"
            + " (and drop-ins) by themselves, within about a second, as daemon-reload would; then start a new unit that an"
            + " active unit wants, and stop a unit whose file was removed. Off by default (docs/manager.md).")
    boolean watchUnits;

    @Option(names = "--container", negatable = true, description = "Container mode (above): TERM, INT, poweroff, reboot and"
            + " halt stop every unit and exit 0, also as PID 1; service output also on stdout. On by itself as PID 1 in a"
            + " container; --no-container keeps the PID 1 semantics of a machine there (e.g. a VM image booted in a container).")
    Boolean container;

    @Option(names = "--console-output", description = "Also write every service's output to stdout as 'unit[pid]: line'"
            + " (as container mode does), outside container mode.")
    boolean consoleOutput;

    @Option(names = "--debug", description = "Show stack traces for internal errors and how processes are tracked.")
    boolean debug;

    @Option(names = "--http", paramLabel = "ADDR:PORT", description = "Serve a status page on ADDR:PORT (/ the page, /metrics for"
            + " Prometheus, /api/units and /api/units/NAME as list-units --all --json and status NAME --json, /events as"
            + " server-sent events). Read-only and without authentication: bind it to loopback (127.0.0.1:9180) or a private"
            + " address. A port that cannot be bound is one line and exit 1 (docs/status-page.md).")
    String http;

    @Option(names = "--http-show-logs", description = "Let the status page show each service's last log lines (off by"
            + " default: the page has no authentication, and service output may be private).")
    boolean httpShowLogs;

    /**
     * The command configured as picocli would configure it for {@code --units DIR... --runtime-dir DIR --log-dir DIR
     * --state-dir DIR --target T --no-boot --watch-units --console-output --debug} (null: not given, false: absent),
     * the rest at their defaults: the picocli-free path of the daemon's usual command lines ({@code
     * dev.svcmgr.cli.FastPath}; FastPathTest compares every option field with picocli's parse).
     */
    public static DaemonCommand of(List<Path> units, Path runtimeDir, Path logDir, Path stateDir, String target,
                                   boolean noBoot, boolean watchUnits, boolean consoleOutput, boolean debug) {
        DaemonCommand c = new DaemonCommand();
        c.units = new ArrayList<>(units);
        c.runtimeDir = runtimeDir;
        c.logDir = logDir;
        c.stateDir = stateDir;
        c.logGroup = Daemon.Options.DEFAULT_LOG_GROUP;
        c.target = target;
        c.noBoot = noBoot;
        c.watchUnits = watchUnits;
        c.consoleOutput = consoleOutput;
        c.debug = debug;
        return c;
    }

    @Override
    public Integer call() {
        if (noBoot && target != null) {
            spec.commandLine().getErr().println("svcmgr: --target and --no-boot exclude each other");
            return 2;
        }
        dev.svcmgr.core.os.ProcessRuntime.prepare(); // the C library is bound meanwhile
        List<Path> dirs = units.isEmpty() ? UnitLoader.defaultDirs() : units;
        Path rt = runtimeDir != null ? runtimeDir : Locations.runtimeDir(System.getenv());
        Daemon.Options o = new Daemon.Options(dirs, rt, logDir != null ? logDir : Locations.logDir(),
                stateDir != null ? stateDir : Locations.stateDir(), target, noBoot, debug, logGroup, watchUnits);
        PrintStream out = System.out;
        PrintStream err = System.err;
        java.net.InetSocketAddress httpAddress = null;
        if (http != null) {
            try {
                httpAddress = dev.svcmgr.core.http.StatusServer.parseAddress(http);
            } catch (IllegalArgumentException e) {
                err.println("svcmgr: --http " + e.getMessage());
                return 2;
            }
        } else if (httpShowLogs) {
            err.println("svcmgr: --http-show-logs needs --http ADDR:PORT");
            return 2;
        }
        boolean inContainer = container != null ? container : ContainerMode.detected(Daemon.isPid1(), System.getenv(), Path.of("/"));
        Supervisors sv = new Supervisors();
        boolean tee = inContainer || consoleOutput;
        ConsoleOutput console = new ConsoleOutput(out, out, ConsoleOutput.DEFAULT_MAX_BYTES, tee ? "service output" : "daemon output");
        if (tee) sv.console(console);
        // the daemon's own lines queue (with the services' when they are teed): a stdout that blocks (a pipe nobody
        // reads, a paused terminal, a slow serial console) never stalls the event loop, which printed them itself
        out = console.printStream();
        try {
            Daemon d = new Daemon(o, out, err, sv).container(inContainer, console).renderer(new dev.svcmgr.cli.DaemonRendering());
            if (httpAddress != null) d.serveHttp(httpAddress, httpShowLogs);
            return d.run();
        } catch (IOException e) {
            err.println("svcmgr: " + e.getMessage());
            if (debug) e.printStackTrace(err);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
