package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.EventLoop;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.TransitionRecord;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
 * As PID 1 it never returns: the final action ends the machine or namespace.
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
     */
    public record Options(List<Path> unitDirs, Path runtimeDir, Path logDir, Path stateDir, String target,
                         boolean noBoot, boolean debug) {}

    /** Makes the service drivers once the loop exists (the process supervisor in production). */
    @FunctionalInterface
    public interface DriverFactoryMaker {
        ServiceDriver.Factory make(EventLoop loop, Path logDir, Path runtimeDir, Map<String, String> env);
    }

    private final Options opts;
    private final PrintStream out;
    private final PrintStream err;
    private final DriverFactoryMaker drivers;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<String> finalAction = new AtomicReference<>();
    private volatile boolean shuttingDown;
    private EventLoop loop;
    private Manager manager;
    private ControlServer server;
    private Choices choices;
    private Dispatcher dispatcher;
    private volatile Instant loadedAt = Instant.now();

    public Daemon(Options opts, PrintStream out, PrintStream err, DriverFactoryMaker drivers) {
        this.opts = opts;
        this.out = out;
        this.err = err;
        this.drivers = drivers;
    }

    /** True when this process is PID 1 (a container's or machine's init). */
    public static boolean isPid1() { return ProcessHandle.current().pid() == 1; }

    /** Runs until shutdown; returns the exit code (0 after an orderly shutdown). */
    public int run() throws IOException, InterruptedException {
        choices = Choices.load(opts.stateDir());
        loadedAt = Instant.now();
        UnitSet units = UnitLoader.load(opts.unitDirs());
        for (Problem p : units.problems()) err.println(p.format());
        loop = new EventLoop("svcmgr-loop", t -> {
            err.println("svcmgr: internal error: " + t);
            if (opts.debug()) t.printStackTrace(err);
        });
        Map<String, String> env = System.getenv();
        ServiceDriver.Factory factory = drivers.make(loop, opts.logDir(), opts.runtimeDir(), env);
        if (drivers instanceof Supervisors sv) {
            for (String w : sv.warnings()) err.println("svcmgr: warning: " + w);
            if (opts.debug()) err.println("svcmgr: tracking processes with " + sv.tracking());
        }
        AtomicReference<IOException> failure = new AtomicReference<>();
        loop.runAndWait(() -> {
            manager = new Manager(loop, units, choices.disabled(), choices.masked(), factory, env);
            manager.addObserver(new Manager.Observer() {
                @Override
                public void jobFinished(JobRecord r) { progress(r); }

                @Override
                public void transactionFinished(TransitionRecord r) { writeStateSoon(); }
            });
        });
        dispatcher = new Dispatcher(this);
        try {
            server = new ControlServer(opts.runtimeDir(), Dispatcher.VERBS, dispatcher);
        } catch (IOException e) {
            loop.close();
            throw e;
        }
        server.start();
        installSignals();
        if (!opts.noBoot()) {
            String target = opts.target() == null ? "default.target" : opts.target();
            loop.runAndWait(() -> {
                try {
                    manager.boot(manager.units().canonical(target));
                } catch (Manager.Refused e) {
                    err.println("svcmgr: cannot boot to " + target + ": " + e.getMessage());
                }
            });
        }
        if (failure.get() != null) throw failure.get();
        finished.await();
        server.close();
        writeState();
        loop.close();
        if (drivers instanceof Supervisors sv) sv.close();
        String action = finalAction.get();
        if (isPid1() && action != null) {
            FinalAction.perform(action, err);
        }
        return 0;
    }

    private void installSignals() {
        Signals.onTerminate(sig -> {
            String action = null;
            if (isPid1()) {
                action = switch (sig) {
                    case "PWR" -> "poweroff";
                    default -> "reboot";
                };
            }
            shutdown(action, action == null ? "shutdown.target" : action + ".target");
        });
    }

    /**
     * Starts the orderly shutdown: isolate to {@code target} (every unit included),
     * stop what is left, then exit or, as PID 1, the final {@code action}
     * (poweroff/reboot/halt; null: just exit).
     */
    public void shutdown(String action, String target) {
        if (shuttingDown) return;
        shuttingDown = true;
        finalAction.set(action);
        loop.execute(() -> manager.shutdown(target).whenComplete((o, x) -> finished.countDown()));
    }

    EventLoop loop() { return loop; }

    Manager manager() { return manager; }

    Choices choices() { return choices; }

    Options options() { return opts; }

    /** When the unit files were last read. */
    Instant loadedAt() { return loadedAt; }

    /** Re-reads the unit files (daemon-reload); returns the problems found. Call on the loop. */
    List<Problem> reloadUnits() {
        loadedAt = Instant.now();
        UnitSet next = UnitLoader.load(opts.unitDirs());
        manager.reload(next);
        for (Problem p : next.problems()) err.println(p.format());
        writeStateSoon();
        return next.problems();
    }

    private void progress(JobRecord r) {
        if (r.result() == Result.CANCELED) return;
        String name = r.unit();
        String desc = r.description() == null || r.description().isEmpty() ? "" : " - " + r.description();
        if (r.type() == JobType.START || r.type() == JobType.RESTART) {
            if (r.result() == Result.SUCCESS) {
                out.println("[  OK  ] Started " + name + desc + " (" + r.millis() + " ms)");
            } else if (r.result() == Result.CONDITION) {
                out.println("[ SKIP ] Skipped " + name + desc + ": " + r.detail());
            } else {
                out.println("[FAILED] Failed to start " + name + ": " + describe(r));
            }
        } else if (r.type() == JobType.STOP) {
            if (r.result() == Result.SUCCESS) out.println("[  OK  ] Stopped " + name + desc);
            else out.println("[FAILED] Failed to stop " + name + ": " + describe(r));
        } else if (r.type() == JobType.RELOAD) {
            if (r.result() == Result.SUCCESS) out.println("[  OK  ] Reloaded " + name + desc);
            else out.println("[FAILED] Failed to reload " + name + ": " + describe(r));
        }
        out.flush();
    }

    static String describe(JobRecord r) {
        String d = r.detail();
        if (d != null && !d.isEmpty()) return d;
        return r.result() == null ? "unknown" : r.result().word();
    }

    private volatile boolean stateWriteQueued;

    private void writeStateSoon() {
        if (stateWriteQueued) return;
        stateWriteQueued = true;
        loop.schedule(java.time.Duration.ofMillis(200), () -> {
            stateWriteQueued = false;
            writeState();
        });
    }

    /** Writes {@code state.json} in the runtime dir: units, their states, choices and failures (atomic rename). */
    private void writeState() {
        Runnable w = () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("written", Instant.now().toString());
            m.put("system", manager.systemState());
            List<Object> list = new ArrayList<>();
            for (String n : manager.unitNames()) {
                var s = manager.snapshot(n);
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("unit", n);
                u.put("active", s.active().word());
                u.put("sub", s.sub().word());
                u.put("result", s.result() == null ? null : s.result().word());
                list.add(u);
            }
            m.put("units", list);
            m.put("disabled", new ArrayList<>(choices.disabled()));
            m.put("masked", new ArrayList<>(choices.masked()));
            m.put("failed", manager.failedUnits());
            try {
                Choices.writeAtomically(opts.runtimeDir().resolve("state.json"), Json.pretty(m) + "\n");
            } catch (IOException e) {
                err.println("svcmgr: cannot write " + opts.runtimeDir().resolve("state.json") + ": " + e.getMessage());
            }
        };
        if (loop.inLoop()) w.run();
        else {
            try {
                loop.runAndWait(w);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For the dispatcher: the outcome's exit code per cli.md. */
    static int exitOf(Outcome o) {
        return o.success() ? 0 : 1;
    }
}
