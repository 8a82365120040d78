package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.EventLoop;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.supervise.ServiceSupervisor;
import dev.svcmgr.core.supervise.SupervisorContext;
import dev.svcmgr.units.Unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The production service drivers: one {@link ServiceSupervisor} per service, real processes. */
public final class Supervisors implements Daemon.DriverFactoryMaker {
    private ProcessRuntime os;

    @Override
    public ServiceDriver.Factory make(EventLoop loop, Path logDir, Path runtimeDir, Map<String, String> env) {
        // one cgroup directory per daemon, named after its runtime dir so that two daemons never share one
        String name = "svcmgr-" + Integer.toHexString(runtimeDir.toAbsolutePath().normalize().toString().hashCode());
        os = ProcessRuntime.linux(name, true);
        SupervisorContext ctx = new SupervisorContext(loop, os, logDir, runtimeDir, env);
        return (unit, listener) -> new Driver(new ServiceSupervisor(unit, ctx, listener::onChange));
    }

    /** How processes are tracked, and start-up warnings (for the daemon's first lines). */
    public List<String> warnings() { return os == null ? List.of() : os.warnings(); }

    public String tracking() { return os == null ? "" : os.tracking(); }

    /** Releases the OS adapter (reaper, output pump, cgroup directory). */
    public void close() {
        if (os != null) os.close();
    }

    /** A supervisor seen as an engine driver. */
    public static final class Driver implements ServiceDriver {
        private final ServiceSupervisor s;

        Driver(ServiceSupervisor s) { this.s = s; }

        public ServiceSupervisor supervisor() { return s; }

        @Override public void start() { s.start(); }
        @Override public void stop() { s.stop(); }
        @Override public void reload() { s.reload(); }
        @Override public void kill(int signal) { s.kill(signal); }
        @Override public void resetFailed() { s.resetFailed(); }
        @Override public void setUnit(Unit unit) { s.setUnit(unit); }
        @Override public Unit unit() { return s.unit(); }
        @Override public UnitSnapshot snapshot() { return s.snapshot(); }
        @Override public List<Integer> pids() { return s.pids(); }
    }
}
