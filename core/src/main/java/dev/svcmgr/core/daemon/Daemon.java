package dev.svcmgr.core.daemon;

import dev.svcmgr.core.loop.ThreadLoop;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.TransitionRecord;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.os.SecureFiles;
import dev.svcmgr.core.os.UnitFiles;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;

import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.graph.ActiveState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.concurrent.CompletableFuture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code svcmgr daemon}: loads the units, boots to the target, serves the
 * control socket, prints one line per finished job, and on SIGTERM/SIGINT (or a
 * halt/poweroff/reboot request) stops every unit in reverse order and returns.
 * As PID 1 it never returns: the final action ends the machine or namespace (in container mode,
 * {@link #container}, it returns 0 as anywhere else).
 */
public final class Daemon {
    /**
     * Everything the daemon is told on its command line.
     *
     * @param unitDirs   unit directories in precedence order
     * @param runtimeDir control socket and runtime state
     * @param logDir     unit logs
     * @param stateDir   persistent choices
     * @param target     boot target, or null with {@code noBoot}
     * @param noBoot     load units and start nothing
     * @param debug      stack traces for internal errors
     * @param logGroup   the group whose members may read every unit's log ({@code --log-group}); as root the
     *                   log dir gets this group when it exists
     * @param watchUnits pick up unit files added, changed or removed by themselves ({@code --watch-units})
     */
    public record Options(List<Path> unitDirs, Path runtimeDir, Path logDir, Path stateDir, String target,
                         boolean noBoot, boolean debug, String logGroup, boolean watchUnits) {
        /** The default log group. */
        public static final String DEFAULT_LOG_GROUP = "adm";

        /** Options without watching the unit directories. */
        public Options(List<Path> unitDirs, Path runtimeDir, Path logDir, Path stateDir, String target,
                       boolean noBoot, boolean debug, String logGroup) {
            this(unitDirs, runtimeDir, logDir, stateDir, target, noBoot, debug, logGroup, false);
        }

        /** Options with the default log group ({@value #DEFAULT_LOG_GROUP}). */
        public Options(List<Path> unitDirs, Path runtimeDir, Path logDir, Path stateDir, String target,
                       boolean noBoot, boolean debug) {
            this(unitDirs, runtimeDir, logDir, stateDir, target, noBoot, debug, DEFAULT_LOG_GROUP);
        }
    }

    /** Makes the service drivers once the loop exists (the process supervisor in production). */
    @FunctionalInterface
    public interface DriverFactoryMaker {
        ServiceDriver.Factory make(dev.svcmgr.core.loop.Loop loop, Path logDir, Path runtimeDir, Map<String, String> env);
    }

    private final Options opts;
    private final PrintStream out;
    private final PrintStream err;
    private final DriverFactoryMaker drivers;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<String> finalAction = new AtomicReference<>();
    private volatile boolean shuttingDown;
    private ThreadLoop loop;
    private Manager manager;
    private ControlServer server;
    private Choices choices;
    private Dispatcher dispatcher;
    private volatile Renderer renderer = Renderer.NONE;
    private volatile Instant loadedAt = Instant.now();

    private java.net.InetSocketAddress httpAddress;
    private boolean httpShowLogs;
    private dev.svcmgr.core.http.StatusServer http;

    /**
     * Serve the status page, {@code /metrics} and {@code /api} on {@code address} ({@code daemon --http});
     * {@code showLogs}: the page may show service output ({@code --http-show-logs}). Call before {@link #run}.
     */
    public void serveHttp(java.net.InetSocketAddress address, boolean showLogs) {
        this.httpAddress = address;
        this.httpShowLogs = showLogs;
    }

    public Daemon(Options opts, PrintStream out, PrintStream err, DriverFactoryMaker drivers) {
        this.opts = opts;
        this.out = out;
        this.err = err;
        this.drivers = drivers;
    }

    /** The loaded set with {@code default.target} naming the target chosen with {@code set-default}, if one was. */
    UnitSet withDefault(UnitSet loaded) {
        String chosen = choices.defaultTarget();
        return chosen == null ? loaded : loaded.withAlias("default.target", chosen);
    }

    private volatile boolean container;
    private dev.svcmgr.core.log.ConsoleOutput console;

    /**
     * Container mode ({@link ContainerMode}): TERM, INT and the poweroff/reboot/halt verbs stop every
     * unit and end with exit 0, also as PID 1; {@code console} (or null), where every service's output
     * also goes, is flushed at the end. Call before {@link #run}. Returns this daemon.
     */
    public Daemon container(boolean on, dev.svcmgr.core.log.ConsoleOutput console) {
        this.container = on;
        this.console = console;
        return this;
    }

    /** Who renders read commands for the native client ({@code render}, docs/protocol.md); nobody by default. */
    public Daemon renderer(Renderer r) {
        this.renderer = r == null ? Renderer.NONE : r;
        return this;
    }

    Renderer renderer() { return renderer; }

    /** True when this process is PID 1 (a container's or machine's init). */
    public static boolean isPid1() { return ProcessHandle.current().pid() == 1; }

    /** Runs until shutdown; returns the exit code (0 after an orderly shutdown). */
    public int run() throws IOException, InterruptedException {
        prepareDirs();
        if (httpAddress != null) {
            try {
                http = dev.svcmgr.core.http.StatusServer.bind(httpAddress, httpShowLogs);
            } catch (IOException e) {
                err.println("svcmgr: " + e.getMessage());
                return 1;
            }
        }
        choices = Choices.load(opts.stateDir());
        loadedAt = Instant.now();
        UnitSet units = withDefault(UnitLoader.load(opts.unitDirs(), UnitFiles.READER));
        for (Problem p : units.problems()) err.println(p.format());
        if (container) ContainerMode.announce(units, err);
        loop = new ThreadLoop("svcmgr-loop", t -> {
            err.println("svcmgr: internal error: " + t);
            if (opts.debug()) t.printStackTrace(err);
            if (t instanceof VirtualMachineError vme) fatal(vme);
        });
        dev.svcmgr.core.os.OneThread.compilerThreadsBehindTheLoop();
        Thread.setDefaultUncaughtExceptionHandler((th, t) -> {
            err.println("svcmgr: internal error on thread " + th.getName() + ": " + t);
            if (opts.debug()) t.printStackTrace(err);
            if (t instanceof VirtualMachineError vme) fatal(vme);
        });
        lockRuntimeDir();
        Map<String, String> env = serviceEnvironment(System.getenv());
        Map<String, Object> previous = previousState(opts.runtimeDir());
        ServiceDriver.Factory factory = drivers.make(loop, opts.logDir(), opts.runtimeDir(), env);
        if (drivers instanceof Supervisors sv) {
            for (String w : sv.warnings()) err.println("svcmgr: warning: " + w);
            if (opts.debug()) {
                err.println("svcmgr: tracking processes with " + sv.tracking());
                err.println("svcmgr: spawning services with " + sv.spawning());
            }
            sv.onProblem(p -> err.println("svcmgr: warning: " + p));
        }
        boolean resumed = previous != null || drivers instanceof Supervisors sv2 && sv2.foundRecords();
        loop.runAndWait(() -> {
            manager = new Manager(loop, units, choices.disabled(), choices.masked(), factory, env);
            manager.setTimerStore(new TimerStamps(opts.stateDir().resolve("timers"), p -> err.println("svcmgr: warning: " + p)));
            socketUnits = new SocketUnits(err, System.getenv(SocketUnits.ENV));
            manager.setSocketPort(socketUnits);
            if (drivers instanceof Supervisors svs) svs.socketSource(manager::listenFds);
            manager.setPathWatcher(new dev.svcmgr.core.engine.PathWatcher() {
                private dev.svcmgr.core.os.PathWatch inotify; // made when the first path unit starts

                @Override
                public synchronized Handle watch(String path, Listener l) {
                    if (inotify == null) inotify = new dev.svcmgr.core.os.PathWatch();
                    dev.svcmgr.core.os.PathWatch.Handle h = inotify.watch(path, l::changed);
                    return h::close;
                }
            });
            readoptTransients();
            if (previous != null) restoreFrom(previous);
            socketUnits.closeUnclaimed(); // sockets handed over by daemon-reexec that no active socket unit took back
            quietTrim = new QuietTrim(loop, this::trimNativeHeap);
            manager.addObserver(new Manager.Observer() {
                @Override
                public void jobFinished(JobRecord r) { progress(r); }

                @Override
                public void transactionFinished(TransitionRecord r) {
                    writeStateSoon();
                    quietTrim.activity();
                }

                @Override
                public void transientRemoved(String unit) {
                    try {
                        Files.deleteIfExists(opts.runtimeDir().resolve("transient").resolve(unit + ".yaml"));
                    } catch (IOException e) {
                        // removed at the next start
                    }
                    if (drivers instanceof Supervisors sv) sv.forget(unit);
                }
            });
        });
        if (drivers instanceof Supervisors sv3) {
            for (String gone : sv3.unclaimed()) {
                err.println("svcmgr: warning: " + gone + " was running under the former manager but its unit file is gone;"
                        + " its processes are left running, unsupervised (stop them by hand, or restore the file and restart"
                        + " the daemon)");
            }
        }
        if (resumed) {
            int up = loop.call(() -> (int) manager.unitNames().stream()
                    .filter(n -> manager.driver(n) != null && manager.snapshot(n).mainPid() != null).count());
            err.println("svcmgr: resumed from the former manager's state in " + opts.runtimeDir() + ": " + up
                    + " running service" + (up == 1 ? "" : "s") + " re-adopted, none restarted");
        }
        boolean bootedBefore = previous != null && Boolean.TRUE.equals(previous.get("boot-finished"));
        String target = opts.target() == null ? "default.target" : opts.target();
        if (previous != null && previous.get("boot-target") instanceof String t && !bootedBefore) target = t;
        bootTarget = opts.noBoot() && !(previous != null && !bootedBefore && previous.get("boot-target") != null) ? null : target;
        // said before the first request is answered: is-system-running --wait then waits for the boot to come
        if (bootTarget != null && !bootedBefore) loop.runAndWait(manager::expectBoot);
        dispatcher = new Dispatcher(this);
        try {
            server = new ControlServer(opts.runtimeDir(), dispatcher);
        } catch (IOException e) {
            loop.close();
            throw e;
        }
        server.start();
        if (http != null) {
            http.serve(new HttpBackend(this, dispatcher));
            var a = http.address();
            err.println("svcmgr: status page on http://" + (a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress())
                    + ":" + a.getPort() + "/ (read-only, no authentication)");
        }
        installSignals();
        if (opts.watchUnits()) watchUnitDirs();
        if (bootTarget != null && !bootedBefore) {
            String t = bootTarget;
            loop.runAndWait(() -> {
                try {
                    manager.boot(manager.units().canonical(t));
                } catch (Manager.Refused e) {
                    err.println("svcmgr: cannot boot to " + t + ": " + e.getMessage());
                }
            });
        }
        bootRecorded = bootedBefore;
        writeStateSoon();
        finished.await();
        if (http != null) http.close();
        server.close();
        if (drivers instanceof Supervisors sv) sv.clearRecords();
        cleanExit = true;
        writeState();
        loop.close();
        if (drivers instanceof Supervisors sv) sv.close();
        if (console != null) console.close(2000);
        String action = finalAction.get();
        if (isPid1() && action != null) {
            FinalAction.perform(action, err);
        }
        return 0;
    }

    /**
     * The runtime, state and log dirs (cli.md "Files:"; docs/security.md "Files and modes"): each is
     * made when missing with its mode set explicitly (runtime 0755, state 0700, log 0750), whatever the
     * umask; one that exists and is a symlink, is owned by another uid, or is writable by group or
     * others is refused with one line naming it. As root, the log dir gets the log group when that
     * group exists, so that its members can read the (0640) log files directly.
     */
    private void prepareDirs() throws IOException {
        SecureFiles.prepareDir(opts.runtimeDir(), PosixFilePermissions.fromString("rwxr-xr-x"), null, "runtime dir");
        String lg = opts.logGroup();
        access = new ReadAccess(SecureFiles.processUid(), lg);
        GroupPrincipal group = null;
        if (SecureFiles.processUid() == 0 && lg != null && !lg.isEmpty()) {
            group = SecureFiles.group(lg);
            if (group == null) err.println("svcmgr: warning: log group " + lg + " does not exist; only root and each unit's"
                    + " own user may read its logs");
        }
        // a state or log dir that cannot be made yet is not fatal (choices and logs report their own write
        // problems, and logging resumes once the dir can be made); one that must not be used is
        mayBeMadeLater(opts.stateDir(), SecureFiles.PRIVATE_DIR, null, "state dir");
        mayBeMadeLater(opts.logDir(), PosixFilePermissions.fromString("rwxr-x---"), group, "log dir");
    }

    private void mayBeMadeLater(Path dir, java.util.Set<java.nio.file.attribute.PosixFilePermission> mode, GroupPrincipal group,
                                String what) throws IOException {
        try {
            SecureFiles.prepareDir(dir, mode, group, what);
        } catch (SecureFiles.UnsafeDirectoryException e) {
            throw e;
        } catch (IOException e) {
            err.println("svcmgr: warning: cannot make " + what + " " + dir + ": " + LogFile.reason(e) + "; going on without it");
        }
    }

    private ReadAccess access;

    /** Who may read what over the control socket. */
    ReadAccess access() { return access; }

    private java.nio.channels.FileChannel lockFile;

    /**
     * One daemon per runtime dir: a lock on {@code <runtime dir>/daemon.lock}, taken before any service is
     * looked at (a second daemon must not re-adopt, signal or read the first one's services). The lock
     * goes with the process, or with the descriptor at a re-execution, whose new image takes it again.
     */
    private void lockRuntimeDir() throws IOException {
        Path f = opts.runtimeDir().resolve("daemon.lock");
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                SecureFiles.createFile(f, SecureFiles.PRIVATE_FILE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another daemon made it first: the lock below decides
            }
        }
        lockFile = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        java.nio.channels.FileLock l = null;
        for (int i = 0; i < 50 && l == null; i++) { // a re-executing image may still hold it for a moment
            l = lockFile.tryLock();
            if (l == null) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (l == null) {
            lockFile.close();
            throw new IOException("another svcmgr daemon is already serving " + opts.runtimeDir() + " (it holds " + f + ")");
        }
    }

    /** The environment services start from: the manager's own, less what only concerns the manager's JVM. */
    static Map<String, String> serviceEnvironment(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>(env);
        m.remove("_JAVA_SR_SIGNUM");
        m.remove("SVCMGR_RECOVERIES");
        m.remove(SocketUnits.ENV);
        m.remove("SVCMGR_FAULT_INJECTION");
        return m;
    }

    private volatile String bootTarget;
    private volatile boolean bootRecorded;
    private volatile boolean cleanExit;

    /** The state a former manager left in {@code state.json}, or null when there is none or it ended in order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> previousState(Path runtimeDir) {
        Path f = runtimeDir.resolve("state.json");
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return null;
            Map<String, Object> m = Json.parseObject(Files.readString(f));
            if (Boolean.TRUE.equals(m.get("clean")) || !m.containsKey("clean")) return null;
            return m;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Transient units ({@code svcmgr run}) keep their generated file in {@code <runtime dir>/transient}
     * while they run: those a former manager left running come back; the files of ended ones go.
     */
    private void readoptTransients() {
        Path dir = opts.runtimeDir().resolve("transient");
        if (!Files.isDirectory(dir)) return;
        UnitSet ts = UnitLoader.load(List.of(dir), UnitFiles.READER);
        for (dev.svcmgr.units.Unit u : ts.units().values()) {
            String was = drivers instanceof Supervisors sv ? sv.savedState(u.name()) : null;
            boolean up = was != null && !was.equals("DEAD") && !was.equals("FAILED");
            if (up && u.service() != null && manager.units().lookup(u.name()) == null) {
                manager.addTransient(u);
            } else {
                try {
                    Files.deleteIfExists(dir.resolve(u.name() + ".yaml"));
                } catch (IOException e) {
                    // removed next time
                }
            }
        }
    }

    /** Puts back what the engine itself kept (targets' states, why each unit is in its state). */
    private void restoreFrom(Map<String, Object> prev) {
        if (!(prev.get("units") instanceof List<?> list)) return;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> u) || !(u.get("unit") instanceof String name)) continue;
            ActiveState a = null;
            for (ActiveState x : ActiveState.values()) if (x.word().equals(u.get("active"))) a = x;
            SubState sub = null;
            for (SubState x : SubState.values()) if (x.word().equals(u.get("sub"))) sub = x;
            if (a == null || sub == null) continue;
            Object cause = u.get("cause");
            manager.restore(name, a, sub, Result.of(String.valueOf(u.get("result"))),
                    u.get("detail") instanceof String d ? d : null, u.get("dependency") instanceof String dep ? dep : null,
                    cause instanceof String c ? c : null);
        }
    }

    private void installSignals() {
        Signals.onTerminate(sig -> {
            String action = null;
            if (isPid1() && !container) {
                action = switch (sig) {
                    case "PWR" -> "poweroff";
                    default -> "reboot";
                };
            }
            shutdown(action, action == null ? "shutdown.target" : action + ".target");
        });
        Signals.onReload(() -> {
            err.println("svcmgr: SIGHUP: reloading unit files");
            reloadUnits();
        });
        Signals.ignoreOthers(sig -> err.println("svcmgr: SIG" + sig + " received and ignored (only TERM and INT end the daemon)"));
    }

    private SocketUnits socketUnits;

    /** True once a re-execution has begun: the control server must not be used any more. */
    private volatile boolean reexecuting;

    /**
     * {@code daemon-reexec}: writes the state, waits for every service record, closes the control
     * socket and executes the same command line again in this process (the PID stays; every service
     * stays a child). The new image re-adopts everything. Returns only on failure, with the reason.
     */
    String reexec(String why) {
        if (reexecuting) return "a re-execution is already under way";
        reexecuting = true;
        err.println("svcmgr: re-executing (" + why + "); services keep running");
        err.flush();
        out.flush();
        if (console != null) console.flush(1000);
        try {
            List<String> argv = dev.svcmgr.core.os.Exec.commandLine();
            String program = dev.svcmgr.core.os.Exec.program();
            // no child is reaped from now on (its status waits for the next image), the output read so far
            // reaches the logs; then exits reaped before are handled by the loop ahead of the exec below
            if (drivers instanceof Supervisors sv) sv.prepareForExec();
            CompletableFuture<String> failed = new CompletableFuture<>();
            Runnable doIt = () -> {
                try {
                    writeState();
                    if (drivers instanceof Supervisors sv) sv.flushRecords();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (server != null) server.close();
                writeWhatWaits(); // the lines of the exits handled just before, not yet written by their threads
                Map<String, String> env = new LinkedHashMap<>(System.getenv());
                if (socketUnits != null) env.put(SocketUnits.ENV, socketUnits.handOver()); // the sockets, inherited
                String execFailed = dev.svcmgr.core.os.Exec.replaceProcess(program, argv, env,
                        socketUnits == null ? List.of() : socketUnits.heldFds());
                if (socketUnits != null) socketUnits.handOverFailed();
                failed.complete(execFailed);
            };
            if (loop != null && !loop.inLoop() && loop.isAlive()) loop.execute(doIt);
            else doIt.run();
            String reason = failed.get(30, java.util.concurrent.TimeUnit.SECONDS);
            reexecuting = false;
            if (drivers instanceof Supervisors sv) sv.resumeAfterFailedExec();
            err.println("svcmgr: re-execution failed: " + reason);
            try {
                server = new ControlServer(opts.runtimeDir(), dispatcher);
                server.start();
            } catch (IOException e) {
                err.println("svcmgr: control socket could not be reopened: " + e.getMessage());
            }
            return reason;
        } catch (Exception e) {
            reexecuting = false;
            return e.toString();
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean fatalSeen = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * An error the JVM cannot recover from (out of memory, a stack overflow in the loop, an internal
     * error): the manager never dies after start-up and never leaves services unsupervised. It
     * re-executes itself (state on disk, services untouched) and the new image re-adopts every
     * service. After 5 such recoveries in a row it stops trying: as PID 1 it keeps running as it
     * can; otherwise it exits 70 and leaves every service running for the next manager to re-adopt.
     */
    private void fatal(VirtualMachineError e) {
        if (!fatalSeen.compareAndSet(false, true)) return;
        int parsed = 0;
        try {
            // "COUNT:EPOCH-SECONDS" of the last recovery; one more than ten minutes ago starts the count again
            String[] v = System.getenv().getOrDefault("SVCMGR_RECOVERIES", "0:0").split(":");
            long last = Long.parseLong(v[1]);
            parsed = Instant.now().getEpochSecond() - last > 600 ? 0 : Integer.parseInt(v[0]);
        } catch (RuntimeException x) {
            // counted from zero
        }
        final int count = parsed;
        err.println("svcmgr: fatal error inside the JVM (" + e + "); recovery " + (count + 1));
        if (count >= 5) {
            if (isPid1()) return;
            err.println("svcmgr: giving up after " + count + " recoveries; services keep running for the next manager");
            writeWhatWaits();
            Runtime.getRuntime().halt(70);
        }
        // the recovery thread inherits this one's policy and nice value (this may be a bookkeeping thread)
        dev.svcmgr.core.os.OneThread.asTheProcessStarted();
        Thread t = new Thread(() -> {
            try {
                List<String> argv = dev.svcmgr.core.os.Exec.commandLine();
                Map<String, String> env = new LinkedHashMap<>(System.getenv());
                env.put("SVCMGR_RECOVERIES", (count + 1) + ":" + Instant.now().getEpochSecond());
                try {
                    // bounded: a loop that no longer answers must not stop the recovery
                    CompletableFuture.runAsync(this::writeState).get(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception | Error x) {
                    // the records of the services are enough to re-adopt them
                }
                if (drivers instanceof Supervisors sv) {
                    sv.prepareForExec();
                    sv.flushRecords();
                }
                if (server != null) server.close();
                writeWhatWaits();
                String why = dev.svcmgr.core.os.Exec.replaceProcess(dev.svcmgr.core.os.Exec.program(), argv, env);
                err.println("svcmgr: recovery by re-execution failed: " + why);
            } catch (Throwable x) {
                err.println("svcmgr: recovery failed: " + x);
            }
            if (!isPid1()) {
                writeWhatWaits();
                Runtime.getRuntime().halt(70);
            }
        }, "svcmgr-recovery");
        t.start();
    }

    /**
     * Starts the orderly shutdown: isolate to {@code target} (every unit included),
     * stop what is left, then exit or, as PID 1, the final {@code action}
     * (poweroff/reboot/halt; null: just exit).
     */
    public void shutdown(String action, String target) {
        if (shuttingDown) return;
        shuttingDown = true;
        finalAction.set(container ? null : action);
        loop.execute(() -> manager.shutdown(target).whenComplete((o, x) -> finished.countDown()));
    }

    ThreadLoop loop() { return loop; }

    Manager manager() { return manager; }

    Choices choices() { return choices; }

    Options options() { return opts; }

    /** When the unit files were last read. */
    Instant loadedAt() { return loadedAt; }

    /** Reads unit files for daemon-reload, one reload at a time, off the event loop. */
    private final java.util.concurrent.ExecutorService reloader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "svcmgr-reload");
        t.setDaemon(true);
        return t;
    });

    /**
     * Re-reads the unit files (daemon-reload, SIGHUP). The files are read and parsed on the
     * {@code svcmgr-reload} thread, never on the event loop, so supervision never waits for YAML
     * (issue 11, defect 13); only the swap of the finished set happens on the loop. Reloads run one
     * after the other, each swapped in in order. Any thread may call this; the future completes with
     * the problems found once the new set is in place.
     */
    CompletableFuture<List<Problem>> reloadUnits() {
        CompletableFuture<List<Problem>> done = new CompletableFuture<>();
        try {
            reloader.execute(() -> {
                try {
                    Instant readAt = Instant.now();
                    UnitSet next = withDefault(UnitLoader.load(opts.unitDirs(), UnitFiles.READER));
                    loop.execute(() -> {
                        try {
                            loadedAt = readAt;
                            manager.reload(next);
                            for (Problem p : next.problems()) err.println(p.format());
                            writeStateSoon();
                            done.complete(next.problems());
                        } catch (RuntimeException | Error t) {
                            done.completeExceptionally(t);
                            throw t;
                        }
                    });
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                    err.println("svcmgr: daemon-reload failed: " + t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    // ---------------------------------------------------------------- --watch-units

    /** Time for an editor or installer to finish writing before the files are read. */
    static final java.time.Duration UNIT_SETTLE = java.time.Duration.ofMillis(500);
    private dev.svcmgr.core.os.PathWatch unitWatch;
    private final Map<Path, dev.svcmgr.core.os.PathWatch.Handle> dropInWatches = new java.util.HashMap<>();
    private boolean unitScanQueued;

    /**
     * {@code daemon --watch-units}: a unit file added, changed or removed in a unit directory (or a
     * drop-in in its {@code NAME.d/}) is picked up as {@code daemon-reload} would, within a second;
     * then a new unit that an active unit wants or requires is started, and a unit whose file is gone
     * is stopped (runit's "drop a service directory in and it runs").
     */
    private void watchUnitDirs() {
        unitWatch = new dev.svcmgr.core.os.PathWatch();
        for (Path d : opts.unitDirs()) unitWatch.watch(d.toAbsolutePath() + "/", write -> unitsChanged());
        watchDropIns();
        err.println("svcmgr: watching " + opts.unitDirs().size() + " unit director" + (opts.unitDirs().size() == 1 ? "y" : "ies")
                + " for changes (--watch-units)");
    }

    /** Watches every {@code NAME.d/} drop-in directory now present (after each reload: new ones appear). */
    private synchronized void watchDropIns() {
        java.util.Set<Path> now = new java.util.HashSet<>();
        for (Path d : opts.unitDirs()) {
            try (var s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().endsWith(".d") && Files.isDirectory(p)).forEach(now::add);
            } catch (IOException e) {
                // not there (yet): its parent is watched for it
            }
        }
        dropInWatches.entrySet().removeIf(e -> {
            if (now.contains(e.getKey())) return false;
            e.getValue().close();
            return true;
        });
        for (Path p : now) dropInWatches.computeIfAbsent(p, k -> unitWatch.watch(k.toAbsolutePath() + "/", write -> unitsChanged()));
    }

    private void unitsChanged() {
        loop.execute(() -> {
            if (unitScanQueued || manager.isStopping()) return;
            unitScanQueued = true;
            loop.schedule(UNIT_SETTLE, () -> {
                unitScanQueued = false;
                java.util.Set<String> before = new java.util.HashSet<>(manager.units().units().keySet());
                reloadUnits().thenRun(() -> loop.execute(() -> reconcile(before)));
            });
        });
    }

    /** After a reload by {@code --watch-units}: start the new units active units want, stop the ones whose file went. */
    private void reconcile(java.util.Set<String> before) {
        watchDropIns();
        java.util.Set<String> after = manager.units().units().keySet();
        List<String> start = new ArrayList<>(), stop = new ArrayList<>();
        for (String n : after) {
            dev.svcmgr.units.Unit u = manager.units().units().get(n);
            if (before.contains(n) || !u.isLoaded() || u.type() == dev.svcmgr.units.UnitType.TARGET) continue;
            for (var kind : List.of(dev.svcmgr.graph.EdgeKind.WANTS, dev.svcmgr.graph.EdgeKind.REQUIRES)) {
                for (var e : manager.graph().incoming(n, kind)) {
                    if (manager.snapshot(e.from()).active() == dev.svcmgr.graph.ActiveState.ACTIVE && !start.contains(n)) start.add(n);
                }
            }
        }
        for (String n : after) {
            // a unit whose file is gone stays listed while it runs (with its old definition): stop it
            String file = manager.units().units().get(n).fragmentPath();
            if (file == null || Files.exists(Path.of(file))) continue;
            var a = manager.snapshot(n).active();
            if (a != dev.svcmgr.graph.ActiveState.INACTIVE && a != dev.svcmgr.graph.ActiveState.FAILED) stop.add(n);
        }
        for (var verb : List.of(dev.svcmgr.graph.Request.Verb.STOP, dev.svcmgr.graph.Request.Verb.START)) {
            List<String> which = verb == dev.svcmgr.graph.Request.Verb.STOP ? stop : start;
            if (which.isEmpty()) continue;
            err.println("svcmgr: --watch-units: " + verb.word() + " " + String.join(" ", which)
                    + (verb == dev.svcmgr.graph.Request.Verb.STOP ? " (unit file removed)" : " (new unit, wanted by an active unit)"));
            try {
                manager.submit(new dev.svcmgr.graph.Request(verb, which, dev.svcmgr.graph.JobMode.REPLACE, false));
            } catch (Manager.Refused e) {
                err.println("svcmgr: --watch-units: " + verb.word() + " refused: " + e.getMessage());
            }
        }
    }

    private void progress(JobRecord r) {
        String line = BootProgress.line(r);
        if (line == null) return;
        out.println(line);
        out.flush();
    }

    /**
     * Before the process image goes (a re-execution, a recovery, a halt): the manager's lines to services'
     * logs and the queued stdout, written now (best effort, bounded).
     */
    private void writeWhatWaits() {
        try {
            dev.svcmgr.core.os.LogFlusher.SHARED.flushNow();
            if (console != null) console.flush(1000);
        } catch (RuntimeException | Error e) {
            // best effort: the process goes anyway
        }
    }

    /** The C heap's free memory back to the kernel once quiet after a transaction (made with the loop). */
    private QuietTrim quietTrim;

    /** Made with the class (at start-up), not linked on the loop when the first trim is due. */
    private static final Runnable TRIM = dev.svcmgr.core.os.NativeHeap::trim;

    /** On the state writer's thread: a trim walks every malloc arena, which is no work for the loop. */
    private void trimNativeHeap() {
        try {
            stateWriter.execute(TRIM);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private volatile boolean stateWriteQueued;

    /**
     * Serialises and writes the state a {@link #writeStateSoon} collected, off the loop: at 1,000 units
     * the JSON of {@code state.json} was a quarter of the loop's work while it stopped them all
     * (issue 13). One thread, which ends after 2 s without work, so an idle manager has none.
     */
    private final java.util.concurrent.ThreadPoolExecutor stateWriter = dev.svcmgr.core.os.OneThread.named("svcmgr-state", true);
    /** The number of the last state collected (on the loop) and of the last one written: an older one is never written over a newer. */
    private long stateCollected;
    private long stateStored;
    private final Object stateLock = new Object();

    private void writeStateSoon() {
        if (stateWriteQueued) return;
        stateWriteQueued = true;
        loop.schedule(java.time.Duration.ofMillis(200), () -> {
            stateWriteQueued = false;
            Map<String, Object> m = stateNow();
            long seq = ++stateCollected;
            try {
                stateWriter.execute(() -> storeState(m, seq));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                storeState(m, seq);
            }
        });
    }

    /** Writes {@code state.json} in the runtime dir now: units, their states, choices and failures (atomic rename). */
    private void writeState() {
        Runnable w = () -> storeState(stateNow(), ++stateCollected);
        if (loop.inLoop()) w.run();
        else {
            try {
                loop.runAndWait(w);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The state as {@code state.json} tells it; on the loop. */
    private Map<String, Object> stateNow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("written", Instant.now().toString());
        m.put("pid", ProcessHandle.current().pid());
        m.put("clean", cleanExit);
        m.put("boot-target", bootTarget);
        m.put("boot-finished", bootRecorded || manager.bootFinished());
        m.put("system", manager.systemState());
        List<Object> list = new ArrayList<>();
        for (String n : manager.unitNames()) {
            var s = manager.snapshot(n);
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("unit", n);
            u.put("active", s.active().word());
            u.put("sub", s.sub().word());
            u.put("result", s.result() == null ? null : s.result().word());
            u.put("detail", s.resultDetail());
            if (s.failedDependency() != null) u.put("dependency", s.failedDependency());
            u.put("cause", manager.cause(n));
            list.add(u);
        }
        m.put("units", list);
        m.put("disabled", new ArrayList<>(choices.disabled()));
        m.put("masked", new ArrayList<>(choices.masked()));
        m.put("failed", manager.failedUnits());
        return m;
    }

    /** Writes the state collected as number {@code seq}, unless a later one was written already. */
    private void storeState(Map<String, Object> m, long seq) {
        synchronized (stateLock) {
            if (seq <= stateStored) return;
            stateStored = seq;
            try {
                Choices.writeAtomically(opts.runtimeDir().resolve("state.json"), Json.pretty(m) + "\n");
            } catch (IOException e) {
                err.println("svcmgr: cannot write " + opts.runtimeDir().resolve("state.json") + ": " + e.getMessage());
            }
        }
    }
}
