package dev.svcmgr.core.os;

import java.nio.file.Path;
import java.util.List;

/**
 * Every process of one service: a cgroup v2 directory, or (fallback) the
 * process groups and /proc descendants of the processes spawned for it.
 * Methods may be called from any thread.
 */
public interface ServiceGroup {
    /** The live processes (zombies excluded), sorted. */
    List<Integer> pids();

    /** True when no process of the service is left. */
    boolean isEmpty();

    /** Sends {@code signal} to every process of the service. */
    void signal(int signal);

    /**
     * The stop signal, then SIGCONT (so that a stopped process sees it), to every process of the
     * service: {@code signal(sig)} then {@code signal(SIGCONT)} unless a group does both in one pass.
     */
    default void signalThenContinue(int signal) {
        signal(signal);
        if (signal != Signals.SIGKILL) signal(Signals.SIGCONT);
    }

    /**
     * True when the last {@link #signalThenContinue} sent its signal to {@code pid} (it was a member then), so that
     * the caller need not signal that process again; false when the group cannot say.
     */
    default boolean reached(int pid) { return false; }

    /**
     * {@link #signalThenContinue} to the members other than {@code signalledAlready}, which the caller
     * has just sent {@code signal} (and SIGCONT, unless it is SIGKILL): signalled first, a process
     * cannot fork one the members' read misses, so a service of one process costs one read of its
     * members instead of two (issue 13). A group without a cgroup cannot tell its members: it signals them all.
     */
    default void signalThenContinue(int signal, java.util.Set<Integer> signalledAlready) { signalThenContinue(signal); }

    /** SIGKILL to every process (cgroup.kill where available). */
    void killAll();

    /** Releases the group (removes the cgroup directory); call when empty. */
    void release();

    /** Files the process must write its PID into before exec (cgroup.procs), possibly empty. */
    List<String> joinFiles();

    /** Records a process spawned into this group (used by the fallback tracker). */
    void adopt(int pid);

    /**
     * Moves a running process the manager did not spawn into this group ({@code svcmgr adopt}): into
     * the cgroup(s), or tracked with its descendants by the process tree.
     */
    default void moveIn(int pid) throws java.io.IOException {
        for (String f : joinFiles()) java.nio.file.Files.writeString(java.nio.file.Path.of(f), Integer.toString(pid));
        adopt(pid);
    }

    /**
     * How the group is tracked, in words for people (e.g. {@code cgroup /sys/fs/cgroup/unified/svcmgr/a.service});
     * display only: code asks {@link #cgroup()}.
     */
    String describe();

    /** The service's cgroup v2 directory, or null when it is not tracked by a cgroup (the process-tree fallback, a simulation). */
    Path cgroup();

    /** Memory, task and OOM figures from the group's cgroups ({@link ResourceUsage#NONE} without). */
    default ResourceUsage usage() { return ResourceUsage.NONE; }

    /** Extra {@code prlimit} options standing in for limits no cgroup could take (e.g. {@code --as=...}). */
    default List<String> prlimitArgs() { return List.of(); }
}
