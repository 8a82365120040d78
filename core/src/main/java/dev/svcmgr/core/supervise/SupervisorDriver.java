package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.units.Unit;

import java.util.List;

/** A {@link ServiceSupervisor} seen as an engine driver. */
public final class SupervisorDriver implements ServiceDriver {
    private final ServiceSupervisor s;

    public SupervisorDriver(ServiceSupervisor s) { this.s = s; }

    /**
     * Drivers for supervisors that share {@code ctx} and nothing else: no runtime records, no re-adoption
     * (a simulation: {@code FakeProcessRuntime.supervisorContext} with a manual loop).
     */
    public static ServiceDriver.Factory factory(SupervisorContext ctx) {
        return (unit, listener) -> new SupervisorDriver(new ServiceSupervisor(unit, ctx, listener::onChange));
    }

    public ServiceSupervisor supervisor() { return s; }

    @Override public void start() { s.start(); }
    @Override public void prepareStart() { s.prepareStart(); }
    @Override public void stop() { s.stop(); }
    @Override public void reload() { s.reload(); }
    @Override public void kill(int signal) { s.kill(signal); }
    @Override public void resetFailed() { s.resetFailed(); }
    @Override public void setUnit(Unit unit) { s.setUnit(unit); }
    @Override public Unit unit() { return s.unit(); }
    @Override public UnitSnapshot snapshot() { return s.snapshot(); }
    @Override public List<Integer> pids() { return s.pids(); }
}
