package dev.svcmgr.core.sim;

import dev.svcmgr.core.os.ResourceUsage;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The simulated processes of one service run: every process spawned into it and their children.
 * Empty once all of them ended; {@link #killAll()} is SIGKILL to each; usage is zero memory, the
 * live process count as tasks, and the OOM kills of {@link Behaviour#oomKilled()}.
 */
final class FakeGroup implements ServiceGroup {
    private final FakeProcessRuntime os;
    final String unit;
    private final TreeSet<Integer> members = new TreeSet<>();
    long oomKills;

    FakeGroup(FakeProcessRuntime os, String unit) {
        this.os = os;
        this.unit = unit;
    }

    @Override
    public List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        for (int p : members) if (os.alive(p)) out.add(p);
        return out;
    }

    @Override
    public boolean isEmpty() { return pids().isEmpty(); }

    @Override
    public void signal(int signal) {
        for (int p : pids()) os.kill(p, signal);
    }

    @Override
    public void killAll() { signal(Signals.SIGKILL); }

    @Override
    public void release() { }

    @Override
    public List<String> joinFiles() { return List.of(); }

    @Override
    public void adopt(int pid) { members.add(pid); }

    @Override
    public java.nio.file.Path cgroup() { return null; }

    @Override
    public String describe() { return "simulated group of " + unit; }

    @Override
    public ResourceUsage usage() { return ResourceUsage.of(0L, (long) pids().size(), oomKills); }
}
