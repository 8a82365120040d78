package dev.svcmgr.core.daemon;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.supervise.ServiceRecords;
import dev.svcmgr.core.supervise.ServiceSupervisor;
import dev.svcmgr.core.supervise.SupervisorContext;
import dev.svcmgr.core.supervise.SupervisorDriver;
import dev.svcmgr.units.Unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The production service drivers: one {@link ServiceSupervisor} per service, real processes. */
public final class Supervisors implements Daemon.DriverFactoryMaker {
    private ProcessRuntime os;
    private ServiceRecords records;
    private Map<String, ServiceRecords.Rec> saved = Map.of();
    private final java.util.concurrent.CopyOnWriteArrayList<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<String> problemSink = problems::add;

    @Override
    public ServiceDriver.Factory make(Loop loop, Path logDir, Path runtimeDir, Map<String, String> env) {
        // one cgroup directory per daemon, named after its runtime dir so that two daemons never share one
        // (and a restarted manager on the same runtime dir finds its services' cgroups again)
        String name = "svcmgr-" + Integer.toHexString(runtimeDir.toAbsolutePath().normalize().toString().hashCode());
        os = ProcessRuntime.linux(name, true);
        this.runtimeDir = runtimeDir;
        Path dir = recordsDir(runtimeDir);
        saved = new java.util.HashMap<>(ServiceRecords.read(dir));
        foundRecords = !saved.isEmpty();
        records = new ServiceRecords(dir, saved, os::startTime, p -> problemSink.accept(p));
        SupervisorContext ctx = new SupervisorContext(loop, os, logDir, runtimeDir, env, records, p -> problemSink.accept(p))
                .withSockets(u -> {
                    var s = socketSource;
                    return s == null ? null : s.apply(u);
                });
        return (unit, listener) -> {
            ServiceSupervisor s = new ServiceSupervisor(unit, ctx, listener::onChange);
            if (console != null) s.console(console);
            ServiceRecords.Rec r = saved.remove(unit.name());
            if (r == null && unit.service() != null && os.hasLeftovers(unit.name())) {
                // running, but the former manager died before it wrote a record: adopted as found in its cgroup
                r = new ServiceRecords.Rec(unit.name(), "RUNNING", "success", null, os.leftoverRoot(unit.name()), -1, null,
                        java.time.Instant.now(), 0, 0, false, null, List.of());
                foundRecords = true;
            }
            if (r != null) s.restore(r);
            return new SupervisorDriver(s);
        };
    }

    private volatile dev.svcmgr.core.log.ConsoleOutput console;

    /** Every service's output also goes to {@code c} ({@code unit[pid]: line}); set before the daemon runs. */
    public void console(dev.svcmgr.core.log.ConsoleOutput c) { console = c; }

    /** Where the per-service runtime records live. */
    public static Path recordsDir(Path runtimeDir) { return runtimeDir.toAbsolutePath().resolve("services"); }

    /** True when a former manager left records of services (a restart after a crash or daemon-reexec). */
    public boolean foundRecords() { return foundRecords; }

    private boolean foundRecords;

    /** A unit that is gone for good: its record goes. */
    public void forget(String unit) {
        if (records != null) records.remove(unit);
    }

    /** The state a former manager recorded for {@code unit} (a supervisor state name), or null. */
    public String savedState(String unit) {
        ServiceRecords.Rec r = saved.get(unit);
        return r == null ? null : r.state();
    }

    /**
     * Called once the manager exists: units a former manager ran (not down) whose records nobody claimed,
     * because their unit files are gone; their processes are left running, unsupervised.
     */
    public List<String> unclaimed() {
        List<String> out = new java.util.ArrayList<>();
        saved.forEach((u, r) -> {
            if (!"DEAD".equals(r.state()) && !"FAILED".equals(r.state())) out.add(u);
        });
        java.util.Collections.sort(out);
        return out;
    }

    /** Where problems (records or logs that cannot be written) are reported from now on; earlier ones are replayed. */
    public void onProblem(java.util.function.Consumer<String> sink) {
        problemSink = sink;
        for (String p : problems) sink.accept(p);
        problems.clear();
    }

    /** Before re-executing: reaping stops, the output read so far is written (see ProcessRuntime). */
    public void prepareForExec() throws InterruptedException {
        if (os != null) os.prepareForExec(2000);
        dev.svcmgr.core.os.LogFlusher.SHARED.flushNow(); // the manager's own lines, before the image goes
    }

    public void resumeAfterFailedExec() {
        if (os != null) os.resumeAfterFailedExec();
    }

    /** Waits until every record is on disk (before re-executing). */
    public void flushRecords() throws InterruptedException {
        if (records != null) records.flush(2000);
    }

    /** After an orderly shutdown: nothing is left to re-adopt. */
    public void clearRecords() {
        if (records != null) {
            records.close();
            records.clear();
        }
        if (runtimeDir != null) {
            if (os != null) os.cancelPreparedOutputs(); // none made after the removal below
            try (var s = java.nio.file.Files.list(runtimeDir.toAbsolutePath().resolve("fifo"))) {
                for (Path p : (Iterable<Path>) s::iterator) java.nio.file.Files.deleteIfExists(p);
            } catch (java.io.IOException e) {
                // none made
            }
        }
    }

    private Path runtimeDir;
    private volatile java.util.function.Function<String, dev.svcmgr.core.engine.Manager.ListenFds> socketSource;

    /** Where services find the sockets of their socket units (the manager, once it exists). */
    public void socketSource(java.util.function.Function<String, dev.svcmgr.core.engine.Manager.ListenFds> s) { socketSource = s; }

    /** How processes are tracked, and start-up warnings (for the daemon's first lines). */
    public List<String> warnings() { return os == null ? List.of() : os.warnings(); }

    public String tracking() { return os == null ? "" : os.tracking(); }

    /** How services are spawned, one line ({@link ProcessRuntime#spawning()}). */
    public String spawning() { return os == null ? "" : os.spawning(); }

    /** Releases the OS adapter (reaper, output pump, cgroup directory). */
    public void close() {
        dev.svcmgr.core.os.LogFlusher.SHARED.flushNow();
        if (os != null) os.close();
    }
}
