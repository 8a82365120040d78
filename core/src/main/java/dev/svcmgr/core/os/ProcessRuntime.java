package dev.svcmgr.core.os;

import java.util.List;

/**
 * The narrow OS interface the supervisors use (STYLE habit 9): spawn a process
 * with hygiene, be told when it is reaped, read its output, find and signal
 * every process of a service. {@link #linux(String, boolean)} is the real
 * adapter; it is the only code that touches jnr.
 */
public interface ProcessRuntime extends AutoCloseable {

    /**
     * A fresh group for one run of {@code unit}. {@code pidsMax} (null for none)
     * limits its task count where a pids controller is available; when it cannot
     * be applied a line is added to {@code warnings}.
     */
    ServiceGroup group(String unit, Long pidsMax, List<String> warnings);

    /**
     * A fresh group with {@code limits.memory} (bytes), {@code limits.cpu} (percent of one CPU)
     * and {@code limits.pids} applied as {@link ResourceLimits} describes (null: unset); each
     * limit that cannot be applied adds a line to {@code warnings}.
     */
    default ServiceGroup group(String unit, Long memory, Integer cpuPercent, Long pids, List<String> warnings) {
        if (memory != null) warnings.add("limits.memory not applied: not supported by this runtime");
        if (cpuPercent != null) warnings.add("limits.cpu not applied: not supported by this runtime");
        return group(unit, pids, warnings);
    }

    /**
     * Starts a process: new session, empty signal mask, default dispositions,
     * stdin from /dev/null, stdout/stderr to {@code out}, no other descriptor,
     * the request's environment, directory, credentials, umask and rlimits.
     * Returns its PID; {@code onExit} is called on the reaper thread when it has
     * been reaped.
     *
     * @throws SpawnException with the stage and the OS error when it could not be started
     */
    int spawn(SpawnRequest request, ExitListener onExit, OutputListener out) throws SpawnException;

    /**
     * The service's stdout/stderr FIFOs in {@code dir} (made when missing, reused when a former
     * manager left them, with whatever it had not read yet), read into {@code l}. See {@link OutputChannel}.
     */
    default OutputChannel output(java.nio.file.Path dir, String unit, OutputListener l) throws java.io.IOException {
        throw new java.io.IOException("output FIFOs are not supported by this runtime");
    }

    /** True when {@link #output} makes FIFOs. */
    default boolean supportsOutputFifos() { return false; }

    /**
     * A service is about to start with no output FIFOs open (a transaction's start job, before the job
     * runs): the runtime may make its FIFOs in {@code dir} ahead, on a thread of its own, so that
     * {@link #output} finds them made. {@link #output} still makes whatever is missing. Nothing by default.
     */
    default void prepareOutput(java.nio.file.Path dir, String unit) { }

    /** Forgets every FIFO still to be made ahead and waits for the one being made (before the FIFOs are removed). */
    default void cancelPreparedOutputs() { }

    /**
     * Where the manager's own lines to a service's log are written out: at once on the caller's thread by
     * default (a simulation stays deterministic); the Linux runtime hands them to a thread of their own
     * ({@code dev.svcmgr.core.os.LogFlusher}), so that a log file made or written never delays the loop.
     */
    default java.util.concurrent.Executor logWriter() { return Runnable::run; }

    /** As {@link #spawn(SpawnRequest, ExitListener, OutputListener)}, with stdout/stderr on the service's FIFOs. */
    default int spawn(SpawnRequest request, ExitListener onExit, OutputChannel out) throws SpawnException {
        throw new SpawnException("spawning", "output FIFOs are not supported by this runtime");
    }

    /**
     * The group a former manager left for {@code unit}, with its processes kept (re-adoption after a
     * manager restart): the cgroup directory, or a process-tree group seeded with {@code known} PIDs.
     * Limits are applied as for {@link #group(String, Long, Integer, Long, List)}.
     */
    default ServiceGroup existingGroup(String unit, Long memory, Integer cpuPercent, Long pids, List<String> warnings,
                                       List<Integer> known) {
        return group(unit, memory, cpuPercent, pids, warnings);
    }

    /**
     * Reports the exit of {@code pid}, a process a former manager started: through the reaper when it
     * is this process's child (after {@code daemon-reexec}, also when it was reaped already), else
     * through a pidfd. False when it is gone.
     */
    default boolean adopt(int pid, ExitListener onExit) { return watch(pid, onExit); }

    /**
     * Before this process re-executes itself: stops reaping (children that end from now on stay
     * zombies for the next image) and drains every output FIFO into the logs, then stops reading them.
     * {@link #resumeAfterFailedExec()} undoes it.
     */
    default void prepareForExec(long timeoutMs) throws InterruptedException { }

    default void resumeAfterFailedExec() { }

    /** True when {@code pid} is a child of this process that already ended and was reaped, its status unclaimed. */
    default boolean endedUnclaimed(int pid) { return false; }

    /** True when a former manager left processes in {@code unit}'s cgroup (false without cgroups). */
    default boolean hasLeftovers(String unit) { return false; }

    /** A process of {@code unit}'s leftover cgroup that is no child of another one of it (its main process, most likely), or null. */
    default Integer leftoverRoot(String unit) { return null; }

    /** When {@code pid} started (clock ticks after boot), or -1 when it is gone: PID plus start time name one process. */
    default long startTime(int pid) { return -1; }

    /**
     * Reports the exit of a process the manager did not spawn itself but will reap
     * (a forking service's daemon, re-parented to the manager as child subreaper).
     * False when the process is already gone.
     */
    boolean watch(int pid, ExitListener onExit);

    /**
     * True once {@code pid} runs the program its spawn asked for: at once for a direct
     * spawn (posix_spawn returns after the exec), after the prologue's final exec otherwise.
     */
    boolean execed(int pid);

    /** True when {@code pid} exists and is not a zombie. */
    boolean alive(int pid);

    /** Sends a signal to one process; false when it does not exist. */
    boolean kill(int pid, int signal);

    /**
     * What sandbox settings become on this host ({@link Sandboxing#plan(Sandboxing.Settings, String)}: a
     * command prefix, what is applied and what is not, and why); nothing is started.
     */
    default Sandboxing.Plan sandbox(Sandboxing.Settings settings, String notifySocket) {
        return Sandboxing.plan(settings, notifySocket);
    }

    /**
     * Makes {@code base/name}, one of a service's directories ({@link ExecDirectories#make}): the last part
     * with {@code mode}, owned by {@code user} and {@code group} (null: the manager's). A simulated runtime
     * makes nothing.
     *
     * @param stage the unit key ({@code runtime-directory}, ...) that names the stage of a failure
     */
    default java.nio.file.Path makeDirectory(String stage, java.nio.file.Path base, String name, int mode, String user, String group)
            throws SpawnException {
        return base.resolve(name);
    }

    /** Removes a service's runtime directory and what is in it, never through a symlink; null, or why not all. */
    default String removeDirectory(java.nio.file.Path dir) { return null; }

    /** How processes are tracked, one line (cgroup path, or the fallback and why). */
    String tracking();

    /** How processes are spawned, one line (the spawner, or spawning from the manager's own process and why). */
    default String spawning() { return "in process"; }

    /** Warnings from start-up (e.g. no writable cgroup v2 hierarchy). */
    List<String> warnings();

    /** Descriptors currently watched by the output pump (for tests and figures). */
    int watchedPipes();

    @Override
    void close();

    /**
     * The Linux adapter. {@code name} names the manager's cgroup directory
     * (created under the manager's own cgroup); with {@code useCgroups} false,
     * or when no cgroup v2 hierarchy is writable, services are tracked by
     * process group and /proc walks.
     */
    static ProcessRuntime linux(String name, boolean useCgroups) {
        return new LinuxProcessRuntime(name, useCgroups, Spawner.wanted());
    }

    /**
     * The Linux adapter, spawning through {@code svcmgr-spawn} (where this build has it) or, with
     * {@code useSpawner} false, from the manager's own process ({@code posix_spawn}).
     */
    static ProcessRuntime linux(String name, boolean useCgroups, boolean useSpawner) {
        return new LinuxProcessRuntime(name, useCgroups, useSpawner);
    }

    /**
     * Binds the C library (jnr-ffi, jffi's stub) on a thread of its own, so that the binding, ~0.15 s of a
     * daemon's start on the test host, overlaps the daemon's other set-up instead of preceding its first read
     * of a unit file (docs/benchmarks.md, issue 13). Whoever needs the library first waits for the binding to
     * end; a failure is left for that first use to report.
     */
    static void prepare() {
        Thread t = new Thread(() -> {
            try {
                Native.C.getpid();
                Native.errno();
            } catch (Throwable e) {
                // the first real use reports it
            }
        }, "svcmgr-bind-libc");
        t.setDaemon(true);
        t.start();
    }
}
