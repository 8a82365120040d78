package dev.svcmgr.core.supervise;

import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.log.LogSink;
import dev.svcmgr.core.os.ExitListener;
import dev.svcmgr.core.os.NoDescriptorsException;
import dev.svcmgr.core.os.OutputChannel;
import dev.svcmgr.core.os.Sandboxing;
import dev.svcmgr.core.os.SecureFiles;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.notify.NotifyPort;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.ServiceConfig;

import java.io.IOException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one service's processes are started into and with, set up for each run (the start's
 * set-up, before its first process): the log file and output FIFOs (kept across runs and manager
 * restarts), the group with its resource limits, the sandbox plan, the notify socket registration,
 * and each process's environment and spawn request. Also what {@code status} shows of these: the
 * warnings of the run (limits or sandbox settings not applied), the log's problems, the tracking.
 *
 * <p>Loop thread only, except {@link #logProblem()}.
 */
final class RunSetup {
    private final SupervisorContext ctx;
    private final NotifyPort.Target target;
    private LogFile log;
    /** The service's output FIFOs (null until the first start, or when they could not be made: then pipes). */
    private OutputChannel output;
    private LogSink sink;
    private ServiceGroup group;
    private Sandboxing.Plan sandbox;
    private NotifyPort notify;
    private long oomBaseline;
    private DirectoryPlan.Bases bases;
    private final List<String> warnings = new ArrayList<>();
    /** Where the output also goes ({@link #console}), or null; the unit's name and main PID head each line. */
    private dev.svcmgr.core.log.ConsoleOutput console;
    private String consoleUnit;
    private java.util.function.IntSupplier consolePid;

    RunSetup(SupervisorContext ctx, NotifyPort.Target target) {
        this.ctx = ctx;
        this.target = target;
    }

    /** Every line of the service's output also goes to {@code c} as {@code unit[pid]: line} (before the first start). */
    void console(dev.svcmgr.core.log.ConsoleOutput c, String unit, java.util.function.IntSupplier mainPid) {
        console = c;
        consoleUnit = unit;
        consolePid = mainPid;
        if (sink != null) sink.tee(c, unit, mainPid);
    }

    private LogSink newSink() {
        LogSink s = new LogSink(log, null);
        return console == null ? s : s.tee(console, consoleUnit, consolePid);
    }

    /** A new run: the warnings of the last one go, unless its group is kept (an automatic restart). */
    void newRun(boolean keepGroup) {
        if (!keepGroup) warnings.clear();
    }

    /**
     * The log file and the output FIFOs (made once per service, kept across runs and manager
     * restarts); without FIFOs each process gets pipes, whose lines die with the manager. Returns why
     * the service cannot be started ({@code Stage: opening its output / ...}), or null.
     */
    private static final String SHARED = "stdout and stderr share one FIFO (lines tagged 'output'): more than half"
            + " of the manager's file descriptors hold service output; raise its ulimit -n to keep them apart";

    String openOutput(String unit, ServiceConfig cfg) {
        if (log == null) {
            log = new LogFile(ctx.logDir(), unit, cfg.log().maxSize(), cfg.log().keep(),
                    PosixFilePermissions.fromString("rwxr-x---"), ctx.loop()::nanos);
            log.setListener(new LogFile.Listener() {
                @Override
                public void problem(String name, String line) {
                    if (ctx.logProblems() != null) ctx.logProblems().accept(line + "; lines of " + name + " are counted as lost until it can");
                }

                @Override
                public void recovered(String name, long lost) {
                    if (ctx.logProblems() != null) ctx.logProblems().accept("the log of " + name + " is written again; " + lost + " lines were lost");
                }
            });
        } else {
            log.configure(cfg.log().maxSize(), cfg.log().keep());
        }
        if (sink != null || !ctx.os().supportsOutputFifos()) {
            if (output != null && output.shared() && !warnings.contains(SHARED)) warnings.add(SHARED);
            return null;
        }
        sink = newSink();
        try {
            output = ctx.os().output(ctx.fifoDir(), unit, sink);
        } catch (NoDescriptorsException e) {
            output = null;
            sink = null;
            return "Stage: opening its output / Error: " + e.getMessage();
        } catch (IOException e) {
            output = null;
            warnings.add("output FIFO not available (" + e.getMessage() + "): output goes through pipes, and lines"
                    + " written while no manager runs are lost");
        }
        if (output != null && output.shared()) warnings.add(SHARED);
        return null;
    }

    /**
     * The rest of the set-up: a fresh group with the unit's limits (unless {@code keepGroup}), the
     * sandbox plan, the notify socket when the unit reads it. Returns why the service cannot be
     * started (a {@code Stage: ... / Error: ...} detail, result exec; the group is released), or null.
     */
    String prepare(String unit, ServiceConfig cfg, boolean keepGroup) {
        if (!keepGroup) {
            releaseGroup();
            group = ctx.os().group(unit, cfg.limits().memory(), cfg.limits().cpuPercent(), cfg.limits().pids(), warnings);
        }
        oomBaseline = group.usage().oomKills();
        var sb = cfg.sandbox();
        boolean wantsNotify = wantsNotify(cfg);
        String notifyPath = wantsNotify ? ctx.notifyPort().socketPath() : null;
        List<String> own = DirectoryPlan.dirs(cfg.directories(), bases()).stream().map(d -> d.path().toString()).toList();
        sandbox = sb.isEmpty() ? null : ctx.os().sandbox(new Sandboxing.Settings(sb.noNewPrivileges(), sb.privateTmp(),
                sb.privateNetwork(), sb.rootDirectory(), sb.readOnlyPaths(), own), notifyPath);
        if (sandbox != null && !sandbox.notApplied().isEmpty()) {
            if (sb.required()) {
                releaseGroup();
                return "Stage: applying sandbox / Error: " + String.join("; ", sandbox.notApplied()) + " (sandbox.required is true)";
            }
            if (!keepGroup) warnings.addAll(sandbox.notApplied());
        }
        if (wantsNotify) {
            String problem = registerNotify();
            if (problem != null) {
                releaseGroup();
                return "Stage: opening the notify socket / Error: " + problem;
            }
        }
        return null;
    }

    /** Where the service's directories go on this manager (decided once). */
    DirectoryPlan.Bases bases() {
        if (bases == null) bases = DirectoryPlan.bases(ctx.managerEnv(), ctx.runtimeDir(), SecureFiles.processUid() == 0);
        return bases;
    }

    /**
     * Makes the service's directories (runtime, state, logs, cache) before its first command, owned by its
     * user and group. Returns why one cannot be made ({@code Stage: runtime-directory / Error: ... (path)},
     * result exec; the group is released), or null.
     */
    String makeDirectories(ServiceConfig cfg) {
        var d = cfg.directories();
        for (DirectoryPlan.Dir dir : DirectoryPlan.dirs(d, bases())) {
            try {
                ctx.os().makeDirectory(dir.key(), dir.base(), dir.name(), d.mode(), cfg.user(), cfg.group());
            } catch (SpawnException e) {
                releaseGroup();
                return e.detail();
            }
        }
        return null;
    }

    /** Removes the service's runtime directories (the run is over); what cannot be removed goes to its log. */
    void removeRuntimeDirectories(ServiceConfig cfg) {
        if (cfg == null || cfg.directories().runtime().isEmpty()) return; // most units: no plan to make, no base to find
        for (java.nio.file.Path p : DirectoryPlan.runtime(cfg.directories(), bases())) {
            String why = ctx.os().removeDirectory(p);
            if (why != null) logLine(ctx.loop().now(), "runtime-directory " + p + " " + why);
        }
    }

    /** True when the unit reads the notify socket ({@code ready: notify}, or a watchdog). */
    static boolean wantsNotify(ServiceConfig cfg) {
        return cfg.ready() != null && cfg.ready().kind() == Readiness.Kind.NOTIFY || cfg.watchdog() != null && !cfg.watchdog().isZero();
    }

    /** Registers the service on the notify socket; the reason when the socket cannot be opened, else null. */
    String registerNotify() {
        try {
            notify = ctx.notifyPort();
            notify.register(target);
            return null;
        } catch (IOException e) {
            notify = null;
            return e.getMessage();
        }
    }

    /** The group a former manager left ({@link dev.svcmgr.core.os.ProcessRuntime#existingGroup}), seeded with {@code known}. */
    ServiceGroup adoptGroup(String unit, ServiceConfig cfg, List<Integer> known) {
        group = ctx.os().existingGroup(unit, cfg.limits().memory(), cfg.limits().cpuPercent(), cfg.limits().pids(), warnings, known);
        oomBaseline = group.usage().oomKills();
        return group;
    }

    /** A process's request: the unit's environment (plus {@code MAINPID}, the notify socket, the watchdog), credentials, sandbox. */
    SpawnRequest request(String unitName, ServiceConfig cfg, List<String> argv, Integer mainForEnv, SpawnRequest.Role role)
            throws SpawnException {
        return request(unitName, cfg, argv, mainForEnv, role, false);
    }

    /**
     * As above; {@code privileged} (a command's {@code privileged: true}) keeps the manager's user and groups
     * and runs outside the sandbox, with the same environment, directory, umask, limits, group and log.
     */
    SpawnRequest request(String unitName, ServiceConfig cfg, List<String> argv, Integer mainForEnv, SpawnRequest.Role role,
                         boolean privileged) throws SpawnException {
        var sockets = role == SpawnRequest.Role.MAIN ? ctx.sockets().apply(unitName) : null;
        var d = cfg.directories();
        boolean adds = sockets != null || notify != null
                || !(d.runtime().isEmpty() && d.state().isEmpty() && d.logs().isEmpty() && d.cache().isEmpty());
        // the manager's own (sorted, read-only) environment where the unit adds nothing: most units, no copy per start
        Map<String, String> env = ServiceEnvironment.build(ctx.managerEnv(), cfg, mainForEnv, adds);
        if (adds) DirectoryPlan.env(d, bases(), env);
        SpawnRequest req = new SpawnRequest(argv, env, cfg.workingDirectory(), privileged ? null : cfg.user(),
                privileged ? null : cfg.group(), privileged ? List.of() : cfg.supplementaryGroups(), cfg.umask(),
                cfg.limits().nofile(), cfg.limits().core(), group).withRole(role);
        if (sockets != null) {
            // sd_listen_fds(3): the sockets at 3, 4, ...; LISTEN_PID is set to the process's own PID as it starts
            env.put("LISTEN_FDS", Integer.toString(sockets.fds().size()));
            env.put("LISTEN_FDNAMES", String.join(":", sockets.names()));
            env.remove("LISTEN_PID");
            req = req.withListenFds(sockets.fds());
        }
        if (notify != null) {
            env.put("NOTIFY_SOCKET", notify.socketPath());
            Duration wd = cfg.watchdog();
            if (wd != null && !wd.isZero() && !Durations.isInfinite(wd)) env.put("WATCHDOG_USEC", Long.toString(wd.toNanos() / 1000));
        }
        if (sandbox != null && !sandbox.prefix().isEmpty() && !privileged) {
            req = req.withWrapper(sandbox.prefix(), sandbox.applied().stream().anyMatch(a -> a.startsWith("root-directory "))
                    ? cfg.sandbox().rootDirectory() : null);
        }
        return req;
    }

    /** Spawns {@code req} with its output on the service's FIFOs (or pipes into the log). */
    int spawn(SpawnRequest req, ExitListener onExit) throws SpawnException {
        if (output != null) return ctx.os().spawn(req, onExit, output);
        return ctx.os().spawn(req, onExit, newSink());
    }

    /**
     * Spawns the main process; console lines it writes before its PID is recorded ({@code main}, set by
     * {@code record}) wait for it, so that they are headed by the real main PID.
     */
    int spawnMain(SpawnRequest req, ExitListener onExit, java.util.function.IntConsumer record) throws SpawnException {
        if (console == null) {
            int pid = spawn(req, onExit);
            record.accept(pid);
            return pid;
        }
        LogSink s = output != null ? sink : newSink();
        s.holdConsole();
        try {
            int pid = output != null ? ctx.os().spawn(req, onExit, output) : ctx.os().spawn(req, onExit, s);
            record.accept(pid);
            return pid;
        } finally {
            s.releaseConsole();
        }
    }

    /**
     * The run is over: off the notify socket; the output FIFOs drained, and when the service is down for
     * good ({@code down}, not waiting to restart) the manager's descriptors for them closed (the FIFO
     * files stay for the next start, or the next manager).
     */
    void endRun(boolean down) {
        if (down) releaseOutput();
        else if (output != null) output.drain(null);
        if (notify != null) {
            notify.unregister(target);
            notify = null;
        }
    }

    /** A start is coming and no output FIFO is open: the runtime may make the FIFOs ahead (loop thread). */
    void prepareOutput(String unit) {
        if (output == null && sink == null && ctx.os().supportsOutputFifos()) ctx.os().prepareOutput(ctx.fifoDir(), unit);
    }

    /** Drains and stops reading the output FIFOs (down for good). */
    /** Closes the log file (a supervisor that is dropped: a simulation's, when it ends). */
    void closeLog() {
        if (log != null) log.close();
    }

    void releaseOutput() {
        OutputChannel ch = output;
        if (ch == null) return;
        output = null;
        sink = null;
        ch.drain(ch::close);
    }

    void releaseGroup() {
        if (group != null) {
            group.release();
            group = null;
        }
    }

    /** The run's group, or null. */
    ServiceGroup group() { return group; }

    /** True when the kernel's OOM killer struck in the service's memory cgroup during this run. */
    boolean oomKilled() { return group != null && group.usage().oomKills() > oomBaseline; }

    /** Appends a line of stream {@code svcmgr} to the unit's log (best effort). */
    void logLine(Instant at, String text) {
        LogFile l = log;
        if (l == null) return;
        try {
            // buffered here in order, written by the runtime's log writer: a log file made or written on
            // the loop delayed the restart of a crashed service (issue 13)
            l.appendBuffered(LogSink.timestamp(at), "svcmgr", text);
            ctx.os().logWriter().execute(l::flush);
        } catch (RuntimeException e) {
            // the log is best effort
        }
    }

    /** Adds a warning to the run's (a restored run's set-up problem). */
    void warn(String w) { warnings.add(w); }

    /** Adds a warning unless the run has it already (a failure ignore-failure let pass, again at each reload). */
    void warnOnce(String w) {
        if (!warnings.contains(w)) warnings.add(w);
    }

    /** Settings of the current run that could not be applied (limits, sandbox), and the log's problem. */
    List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        String lp = logProblem();
        if (lp != null) all.add(lp);
        return all;
    }

    /** Why the log is incomplete (cannot be written now, or lines were lost before), or null. Any thread. */
    String logProblem() {
        LogFile l = log;
        if (l == null) return null;
        String p = l.problem();
        long lost = l.lostLines();
        if (p != null) return "log not written: " + p + " (" + lost + " lines lost so far)";
        if (lost > 0) return "log: " + lost + " lines were lost while it could not be written";
        return null;
    }
}
