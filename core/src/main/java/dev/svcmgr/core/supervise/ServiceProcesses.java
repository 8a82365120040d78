package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.ExitListener;
import dev.svcmgr.core.os.ExitStatus;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.notify.NotifyMessage;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * One service's processes as its supervisor knows them: the main process and at most one control
 * process (a pre/post/stop/reload command or a readiness probe) by PID, everything else through the
 * run's group ({@link RunSetup#group()}). Spawns them with their exits posted to the loop, signals
 * them, tells when none is left and whether a PID or a notify sender is one of them. It decides
 * nothing: what an exit means is the supervisor's table. Loop thread only.
 */
final class ServiceProcesses {
    /** Told, on the loop, that a process spawned (or watched) in run {@code runId} was reaped. */
    interface Exits {
        void exited(long runId, int pid, ExitStatus status);
    }

    private final ProcessRuntime os;
    private final Loop loop;
    private final RunSetup setup;
    private final Exits exits;
    /** The main process and the control process (null when none), and what the control process is. */
    volatile Integer main;
    /** The main PID of the current run, kept once it has exited (its last lines are read after that); 0: none yet. */
    volatile int lastMain;
    Integer control;
    String controlWhat;

    ServiceProcesses(ProcessRuntime os, Loop loop, RunSetup setup, Exits exits) {
        this.os = os;
        this.loop = loop;
        this.setup = setup;
        this.exits = exits;
    }

    private ExitListener listener(long runId) {
        return (p, st) -> loop.execute(() -> exits.exited(runId, p, st));
    }

    /** Spawns {@code req} as the main process of run {@code runId}. */
    void spawnMain(SpawnRequest req, long runId) throws SpawnException {
        setup.spawnMain(req, listener(runId), pid -> {
            main = pid;
            lastMain = pid;
        });
    }

    /** Spawns {@code req} as the control process of run {@code runId} (the caller set {@link #controlWhat}). */
    void spawnControl(SpawnRequest req, long runId) throws SpawnException {
        control = setup.spawn(req, listener(runId));
    }

    /** {@code pid} becomes the main process (a forking daemon, {@code MAINPID=}) if it can be watched. */
    void adoptMain(int pid, long runId) {
        if (os.watch(pid, listener(runId))) {
            main = pid;
            lastMain = pid;
        }
    }

    /** A former manager's main process, watched again ({@link ProcessRuntime#adopt}); false when it is gone. */
    boolean readoptMain(int pid, long runId) {
        main = pid;
        lastMain = pid;
        return os.adopt(pid, listener(runId));
    }

    /** The live processes of the group (none without a group). */
    List<Integer> groupPids() {
        ServiceGroup g = setup.group();
        return g == null ? List.of() : g.pids();
    }

    /** No main or control process, and the group empty. */
    boolean isEmpty() {
        ServiceGroup g = setup.group();
        return main == null && control == null && (g == null || g.isEmpty());
    }

    /** True when {@code pid} is the main process, the control process, or any process in the group. */
    boolean owns(int pid) {
        if (main != null && main == pid || control != null && control == pid) return true;
        return groupPids().contains(pid);
    }

    /**
     * The sender belongs to the service when it, or an ancestor recorded on arrival, is one of its
     * processes, or when its cgroup on arrival was the service's (it may have exited since).
     */
    boolean ownsSender(NotifyMessage m) {
        List<Integer> live = groupPids();
        for (int p : m.lineage()) {
            if (main != null && main == p || control != null && control == p || live.contains(p)) return true;
        }
        ServiceGroup g = setup.group();
        java.nio.file.Path dir = g == null ? null : g.cgroup();
        String cg = m.cgroup(); // relative to the v2 mount: /svcmgr/a.service
        return cg != null && cg.length() > 1 && dir != null && dir.endsWith(cg.substring(1));
    }

    /** Every live process, sorted (a process just spawned may not have joined its cgroup yet). */
    List<Integer> all() {
        TreeSet<Integer> out = new TreeSet<>(groupPids());
        if (main != null && os.alive(main)) out.add(main);
        if (control != null && os.alive(control)) out.add(control);
        return List.copyOf(out);
    }

    /**
     * {@code signal} exactly once to each process: the group's plus the main and control PIDs (a process
     * may not have joined its cgroup yet), each PID one time (a double SIGHUP reloads twice).
     */
    void signalEach(int signal) {
        LinkedHashSet<Integer> each = new LinkedHashSet<>();
        if (main != null) each.add(main);
        if (control != null) each.add(control);
        each.addAll(groupPids());
        for (int p : each) os.kill(p, signal);
    }

    /**
     * The stop signal (then SIGCONT, so that a stopped process sees it) to the group, and to the main and control
     * processes. Where the group is a cgroup (which lists its members), the main and control processes are signalled now
     * and the group's others by a task queued on the loop before those signals, run while {@code still} holds: a
     * stop of many services (isolate, shutdown) thus signals every main process first, then reads each cgroup
     * (the read and the other processes' signals were most of the loop's work per service, issue 13). Queued
     * before the signals, the task runs before the exits they cause are handled, so a service is not found empty
     * while a process of it is left unsignalled.
     */
    void stopSignal(int sig, java.util.function.BooleanSupplier still) {
        ServiceGroup g = setup.group();
        if (g != null && g.cgroup() != null) {
            java.util.Set<Integer> first = new java.util.HashSet<>(2);
            if (main == null && control == null) {
                g.signalThenContinue(sig, first);
                return;
            }
            loop.execute(() -> {
                if (still.getAsBoolean() && setup.group() == g) g.signalThenContinue(sig, first);
            });
            for (Integer p : new Integer[] {main, control}) {
                if (p == null) continue;
                os.kill(p, sig);
                if (sig != Signals.SIGKILL) os.kill(p, Signals.SIGCONT);
                first.add(p);
            }
            return;
        }
        if (g != null) g.signalThenContinue(sig);
        // a process the group signalled is not signalled twice (one kill(2) less per stopped service)
        if (main != null && (g == null || !g.reached(main))) os.kill(main, sig);
        if (control != null && (g == null || !g.reached(control))) os.kill(control, sig);
    }

    /** SIGKILL to every process. */
    void killAll() {
        ServiceGroup g = setup.group();
        if (g != null) g.killAll();
        if (main != null) os.kill(main, Signals.SIGKILL);
        if (control != null) os.kill(control, Signals.SIGKILL);
    }

    /** SIGKILL to the control process, which is forgotten. */
    void killControl() {
        if (control != null) os.kill(control, Signals.SIGKILL);
        control = null;
    }
}
