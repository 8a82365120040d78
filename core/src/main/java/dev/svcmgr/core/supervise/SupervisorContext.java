package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.supervise.notify.NotifyHub;
import dev.svcmgr.core.supervise.notify.NotifyPort;
import dev.svcmgr.core.supervise.readiness.ReadinessPort;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What every supervisor of one manager shares: the loop, and the ports to the world outside.
 *
 * @param loop        the thread that owns unit state, and the clock
 * @param os          the OS adapter
 * @param logDir      where {@code <unit>.log} files go
 * @param runtimeDir  the manager's runtime directory
 * @param managerEnv  the environment every service starts from (then environment-file, then environment)
 * @param records     where each service's runtime state is kept for a restarted manager, or null (tests)
 * @param logProblems told of log write problems (one line each), or null
 * @param notifyPort  where sd_notify messages come from ({@link NotifyHub} on the runtime directory)
 * @param readiness   what readiness checks ask of the host ({@link ReadinessPort#system()})
 * @param jitter      the factor applied to each restart delay, in [0.9, 1.1] (random; fixed in tests and simulations)
 * @param sockets     the sockets a service gets from its socket units (sd_listen_fds), null when none
 */
public record SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir,
                                Map<String, String> managerEnv, ServiceRecords records,
                                Consumer<String> logProblems, NotifyPort notifyPort, ReadinessPort readiness,
                                DoubleSupplier jitter,
                                java.util.function.Function<String, dev.svcmgr.core.engine.Manager.ListenFds> sockets) {

    /**
     * The manager's environment kept sorted and read-only, a copy of the caller's: a start copies it into a sorted
     * map in linear time, or hands it to the spawner as it is when the unit adds nothing to it.
     */
    public SupervisorContext {
        if (!(managerEnv instanceof java.util.SortedMap<String, String> m) || m.comparator() != null
                || !m.getClass().getName().startsWith("java.util.Collections$Unmodifiable")) {
            managerEnv = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(managerEnv));
        }
    }

    /** A context whose services get no sockets. */
    public SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir,
                             Map<String, String> managerEnv, ServiceRecords records,
                             Consumer<String> logProblems, NotifyPort notifyPort, ReadinessPort readiness,
                             DoubleSupplier jitter) {
        this(loop, os, logDir, runtimeDir, managerEnv, records, logProblems, notifyPort, readiness, jitter, u -> null);
    }

    /** This context, its services getting their sockets from {@code s}. */
    public SupervisorContext withSockets(java.util.function.Function<String, dev.svcmgr.core.engine.Manager.ListenFds> s) {
        return new SupervisorContext(loop, os, logDir, runtimeDir, managerEnv, records, logProblems, notifyPort, readiness, jitter, s);
    }

    /** A random jitter in [0.9, 1.1]. */
    public static final DoubleSupplier RANDOM_JITTER = () -> 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;

    /** The real ports: the notify socket in {@code runtimeDir}, the host for readiness, a random jitter. */
    public SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir, Map<String, String> managerEnv,
                             ServiceRecords records, Consumer<String> logProblems) {
        this(loop, os, logDir, runtimeDir, managerEnv, records, logProblems, NotifyHub.of(runtimeDir, loop),
                ReadinessPort.system(), RANDOM_JITTER);
    }

    public SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir, Map<String, String> managerEnv) {
        this(loop, os, logDir, runtimeDir, managerEnv, null, null);
    }

    /** Where the services' output FIFOs live. */
    public Path fifoDir() { return runtimeDir.toAbsolutePath().resolve("fifo"); }
}
