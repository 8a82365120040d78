package dev.svcmgr.core.os;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fallback tracker when no cgroup v2 hierarchy is writable: the sessions
 * (each spawn starts one), their process groups, and every descendant seen by
 * a /proc walk. A daemon that double-forks and calls setsid is still found
 * when a walk sees it before its parent exits (the manager, as child
 * subreaper, then becomes its parent and it stays in the known set); one that
 * escapes between two walks is not — that is what cgroups are for. Walks are shared
 * between services (a snapshot at most 20 ms old), so stopping many services at once
 * costs a few walks, not one per service. Emptiness needs no walk: no known process left
 * and no process in the service's process groups ({@code kill(-pgid, 0)}).
 */
final class TreeGroup implements ServiceGroup {
    private final Set<Integer> sessions = new HashSet<>();
    private final Set<Integer> known = new HashSet<>();
    private final String unit;

    TreeGroup(String unit) { this.unit = unit; }

    @Override
    public synchronized void adopt(int pid) {
        sessions.add(pid);
        known.add(pid);
    }

    @Override
    public synchronized List<Integer> pids() {
        List<ProcTable.Proc> all = ProcTable.readShared(20);
        Set<Integer> live = new HashSet<>();
        boolean grew = true;
        for (ProcTable.Proc p : all) {
            if (sessions.contains(p.session()) || sessions.contains(p.pgrp())) known.add(p.pid());
        }
        while (grew) {
            grew = false;
            for (ProcTable.Proc p : all) {
                if (!known.contains(p.pid()) && known.contains(p.ppid())) {
                    known.add(p.pid());
                    grew = true;
                }
            }
        }
        for (ProcTable.Proc p : all) if (known.contains(p.pid()) && !p.zombie()) live.add(p.pid());
        known.retainAll(new HashSet<>(all.stream().map(ProcTable.Proc::pid).toList()));
        List<Integer> out = new ArrayList<>(live);
        out.sort(null);
        return out;
    }

    /** True when no known process is left, zombies included (they are reaped by the manager soon). */
    @Override
    public synchronized boolean isEmpty() {
        // any known process still there (zombies included) means not empty
        for (int p : known) if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + p))) return false;
        // any process left in one of the service's process groups
        for (int s : sessions) if (Native.C.kill(-s, 0) == 0) return false;
        // nothing known is left and the process groups are empty: the walks made when signalling
        // (stop, kill) and listing have already added any member that left its process group
        return true;
    }

    @Override
    public synchronized void signal(int signal) {
        for (int s : sessions) Native.C.kill(-s, signal);
        for (int p : pids()) Native.C.kill(p, signal);
    }

    @Override
    public void killAll() { signal(Signals.SIGKILL); }

    @Override
    public synchronized void release() {
        sessions.clear();
        known.clear();
    }

    @Override
    public List<String> joinFiles() { return List.of(); }

    @Override
    public java.nio.file.Path cgroup() { return null; }

    @Override
    public String describe() { return "process tree of " + unit + " (no writable cgroup v2)"; }
}
