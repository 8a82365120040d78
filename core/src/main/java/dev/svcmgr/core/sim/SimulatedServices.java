package dev.svcmgr.core.sim;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.SupervisorDriver;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The services of {@code svcmgr simulate}: the real supervisors on a {@link FakeProcessRuntime} whose
 * main processes do what the {@link Simulation.Script} current at their spawn says, as {@link Scenario}
 * spells it for the unit's type; every other command exits 0 at once and probes follow their unit. The
 * supervisors' log files go to a private temporary directory that {@link #close} deletes.
 */
final class SimulatedServices implements Simulation.World {
    private final UnitSet units;
    private final java.util.List<dev.svcmgr.core.supervise.ServiceSupervisor> supervisors = new java.util.ArrayList<>();
    private final java.util.Set<String> armed = new java.util.HashSet<>();
    private Path dir;

    SimulatedServices(UnitSet units) { this.units = units; }

    /** Why {@code script} cannot play out as asked for these units (a failure the unit has no way to have), or null. */
    static String impossible(UnitSet units, Simulation.Script script) {
        for (String n : script.units()) {
            String why = notAService(units, n);
            if (why != null) return why;
        }
        for (Map.Entry<String, Result> e : script.fail().entrySet()) {
            ServiceConfig c = units.lookup(e.getKey()).service();
            if (e.getValue() == Result.TIMEOUT && (!waitsForReadiness(c) || Durations.isInfinite(c.timeoutStart()))) {
                return e.getKey() + " cannot fail with timeout: " + (waitsForReadiness(c)
                        ? "its timeout-start is infinity" : "a " + c.type().word() + " service without ready: is up once spawned");
            }
            if (e.getValue() == Result.WATCHDOG && (c.watchdog() == null || c.watchdog().isZero())) {
                return e.getKey() + " cannot fail with watchdog: it has no watchdog: setting";
            }
        }
        return null;
    }

    /** Why {@code name} has no process to script, or null. */
    private static String notAService(UnitSet units, String name) {
        Unit u = units.lookup(name);
        if (u == null || u.load() == LoadState.NOT_FOUND) return name + " is not loaded";
        if (u.load() != LoadState.LOADED) return name + " could not be loaded (" + u.load().word() + "; svcmgr verify says why)";
        if (u.service() == null) return name + " is not a service: it has no process to script";
        return null;
    }

    /** True when the service's start waits for something after the spawn (readiness, a oneshot's exit, a fork). */
    private static boolean waitsForReadiness(ServiceConfig c) {
        return c.type() == ServiceType.ONESHOT || c.type() == ServiceType.FORKING || c.type() == ServiceType.NOTIFY
                || (c.ready() != null && c.ready().kind() != Readiness.Kind.STARTED);
    }

    @Override
    public ServiceDriver.Factory drivers(Loop loop, Supplier<Simulation.Script> script) {
        try {
            dir = Files.createTempDirectory("svcmgr-simulate-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the simulation: " + e.getMessage(), e);
        }
        FakeProcessRuntime os = new FakeProcessRuntime(loop, spawn -> behaviour(spawn, script.get()));
        ServiceDriver.Factory real = SupervisorDriver.factory(os.supervisorContext(dir.resolve("log"), dir.resolve("run"),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin")));
        return (unit, listener) -> {
            SupervisorDriver d = (SupervisorDriver) real.create(unit, listener);
            supervisors.add(d.supervisor());
            return d;
        };
    }

    private Behaviour behaviour(FakeProcessRuntime.Spawn s, Simulation.Script script) {
        if (s.role() != SpawnRequest.Role.MAIN) return null;
        Unit u = units.lookup(s.unit());
        ServiceType type = u == null || u.service() == null ? ServiceType.SIMPLE : u.service().type();
        if (script.hang().contains(s.unit())) return Scenario.hanging(type).ignoring(Signals.SIGTERM);
        Duration slow = script.slow().getOrDefault(s.unit(), Duration.ZERO);
        Result fail = script.fail().get(s.unit());
        if (fail != null) {
            armed.add(s.unit());
            Behaviour b = Scenario.failing(fail, s.argv().isEmpty() ? s.unit() : s.argv().get(0));
            return fail == Result.EXIT_CODE || fail == Result.SIGNAL || fail == Result.OOM_KILL ? b.after(slow) : b;
        }
        Behaviour b = Scenario.readyAfter(type, slow);
        Duration wd = u == null || u.service() == null ? null : u.service().watchdog();
        // a healthy service with a watchdog pings it (at half the period, as sd_watchdog_enabled suggests)
        return wd == null || wd.isZero() || Durations.isInfinite(wd) ? b : b.pingsWatchdog(wd.dividedBy(2));
    }

    @Override
    public java.util.Set<String> armedFailures() { return armed; }

    @Override
    public void close() {
        for (dev.svcmgr.core.supervise.ServiceSupervisor s : supervisors) s.close();
        if (dir == null) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail the simulation
        }
    }
}
