package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A service tracked by its own cgroup v2 directory: {@code cgroup.procs} lists
 * its processes, {@code cgroup.events} says when it is empty, {@code cgroup.kill}
 * kills all. Optional extra directories (a v1 {@code pids} hierarchy on hybrid
 * hosts) are joined too, for limits.
 */
final class CgroupGroup implements ServiceGroup {
    private final Path dir;
    /** {@code cgroup.procs} and {@code cgroup.events}, as the C library takes them. */
    private final String procsFile, eventsFile;
    private final List<Path> extra;
    private final CgroupReleases releases;
    /** PIDs seen in the group: after the group empties, their zombies must still be reaped. */
    private final java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ResourceUsage usage;
    private final List<String> prlimitArgs;

    CgroupGroup(Path dir, List<Path> extra) {
        this(dir, extra, ResourceUsage.NONE, List.of());
    }

    CgroupGroup(Path dir, List<Path> extra, ResourceUsage usage, List<String> prlimitArgs) {
        this(dir, extra, usage, prlimitArgs, null);
    }

    /** With {@code releases}, {@link #release} leaves the removal of the directories to its thread. */
    CgroupGroup(Path dir, List<Path> extra, ResourceUsage usage, List<String> prlimitArgs, CgroupReleases releases) {
        this.releases = releases;
        this.dir = dir;
        this.procsFile = dir.resolve("cgroup.procs").toString();
        this.eventsFile = dir.resolve("cgroup.events").toString();
        this.extra = List.copyOf(extra);
        this.usage = usage;
        this.prlimitArgs = List.copyOf(prlimitArgs);
    }

    @Override
    public ResourceUsage usage() { return usage; }

    @Override
    public List<String> prlimitArgs() { return prlimitArgs; }

    @Override
    public Path cgroup() { return dir; }

    @Override
    public List<Integer> pids() {
        List<Integer> out = members();
        out.removeIf(p -> {
            ProcTable.Proc pr = ProcTable.stat(p);
            return pr == null || pr.zombie();
        });
        out.sort(null);
        return out;
    }

    /** True when {@code cgroup.events} says unpopulated and no process seen in the group is an unreaped zombie. */
    @Override
    public boolean isEmpty() {
        boolean populated;
        try {
            String events = KernelFiles.read(eventsFile);
            int at = ("\n" + events).indexOf("\npopulated "); // where the line starts in events
            // no such line (never seen): the processes say
            populated = at < 0 ? !pids().isEmpty() : events.startsWith("1", at + "populated ".length());
        } catch (IOException e) {
            populated = !pids().isEmpty();
        }
        if (populated) return false;
        seen.removeIf(p -> {
            // a process already reaped is gone to kill(2) (ESRCH); only a live PID (a zombie, or a reuse) costs a
            // read of /proc/PID/stat. Reading it for a reaped one threw and caught an exception per stopped
            // service, a tenth of the loop's work in a stop of everything (issue 13).
            if (Native.C.kill(p, 0) != 0) return true;
            ProcTable.Proc pr = ProcTable.stat(p);
            return pr == null || !pr.zombie();
        });
        return seen.isEmpty();
    }

    @Override
    public void signal(int signal) { signalRounds(signal, false, java.util.Set.of()); }

    @Override
    public void signalThenContinue(int signal) { signalRounds(signal, signal != Signals.SIGKILL, java.util.Set.of()); }

    @Override
    public void signalThenContinue(int signal, java.util.Set<Integer> signalledAlready) {
        signalRounds(signal, signal != Signals.SIGKILL, signalledAlready);
    }

    /**
     * {@code signal} (and SIGCONT after it) to each member, again until no new PID shows up, so that
     * processes forked meanwhile get it too. The members are read from {@code cgroup.procs} as they
     * are, zombies included (a signal to one is harmless): one read a round, no {@code /proc} walk.
     */
    private void signalRounds(int signal, boolean cont, java.util.Set<Integer> signalledAlready) {
        java.util.Set<Integer> done = new java.util.HashSet<>(signalledAlready);
        try {
            for (int round = 0; round < 5; round++) {
                List<Integer> now = members();
                now.removeAll(done);
                if (now.isEmpty()) return;
                for (int p : now) Native.C.kill(p, signal);
                if (cont) for (int p : now) Native.C.kill(p, Signals.SIGCONT);
                done.addAll(now);
            }
        } finally {
            reached = done;
        }
    }

    /** The members the last signalRounds signalled. */
    private volatile java.util.Set<Integer> reached = java.util.Set.of();

    @Override
    public boolean reached(int pid) { return reached.contains(pid); }

    /** The PIDs in {@code cgroup.procs}, unfiltered; remembered for {@link #isEmpty}. */
    private List<Integer> members() {
        List<Integer> out = new ArrayList<>(4);
        try {
            String procs = KernelFiles.read(procsFile);
            int pid = -1;
            for (int i = 0; i < procs.length(); i++) {
                char c = procs.charAt(i);
                if (c >= '0' && c <= '9') {
                    pid = (pid < 0 ? 0 : pid * 10) + (c - '0');
                } else {
                    if (pid >= 0) out.add(pid);
                    pid = -1;
                }
            }
            if (pid >= 0) out.add(pid);
        } catch (IOException e) {
            return out;
        }
        seen.addAll(out);
        return out;
    }

    @Override
    public void killAll() {
        pids(); // remember them, to wait for their reaping
        try {
            Files.writeString(dir.resolve("cgroup.kill"), "1");
        } catch (IOException e) {
            signal(Signals.SIGKILL);
        }
    }

    @Override
    public void release() {
        if (releases != null) {
            releases.release(dir, extra);
            return;
        }
        for (Path p : extra) CgroupReleases.rmdir(p);
        CgroupReleases.rmdir(dir);
    }

    @Override
    public List<String> joinFiles() {
        List<String> out = new ArrayList<>();
        out.add(dir.resolve("cgroup.procs").toString());
        for (Path p : extra) out.add(p.resolve("cgroup.procs").toString());
        return out;
    }

    @Override
    public void adopt(int pid) {
        // the prologue already wrote the PID into cgroup.procs before exec
    }

    @Override
    public String describe() { return "cgroup " + dir; }

    static void write(Path file, String value) throws IOException {
        Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    }
}
