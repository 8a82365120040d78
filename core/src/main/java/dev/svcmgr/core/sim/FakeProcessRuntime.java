package dev.svcmgr.core.sim;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.ExitListener;
import dev.svcmgr.core.os.ExitStatus;
import dev.svcmgr.core.os.OutputListener;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.os.Sandboxing;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.SupervisorContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link ProcessRuntime} without processes (dinit's test {@code bp_sys}): every spawn asks a
 * {@link Script} how the process behaves ({@link Behaviour}), and the process then lives on the
 * {@link Loop}'s clock: it ends, becomes ready, sends notify messages at loop times, through
 * {@link Loop#schedule}; a signal ends it (or not) as its behaviour says. Deterministic and
 * single-threaded: no thread, no real process, no wall clock; exits are reported to the
 * {@link ExitListener} from loop work (a timer, or work posted by {@link #kill}). PIDs count up
 * from 1000 in spawn order.
 *
 * <p>It passes the same contract tests as the Linux adapter ({@code ProcessRuntimeContract}), and
 * {@code svcmgr simulate} runs the real engine and supervisors on it with a
 * {@link dev.svcmgr.core.loop.ManualLoop}; {@link #supervisorContext} gives the supervisors this runtime
 * with its notify and readiness ports ({@link FakeNotify}, {@link FakeReadiness}), so that a simulated
 * process's readiness reaches its supervisor whatever its unit's readiness protocol.
 *
 * <p>Loop thread only.
 */
public final class FakeProcessRuntime implements ProcessRuntime {

    /** Chooses what a spawned process does; null means the default of its role ({@link #defaultBehaviour}). */
    @FunctionalInterface
    public interface Script {
        Behaviour behaviour(Spawn spawn);
    }

    /**
     * What is being spawned.
     *
     * @param unit  the unit whose group it joins ({@code ""} without a group)
     * @param argv  its command
     * @param role  main process, pre/post/stop/reload command, readiness probe, helper
     * @param count how many processes of this unit and role were spawned before, plus one (1 for the first)
     * @param env   its environment
     */
    public record Spawn(String unit, List<String> argv, SpawnRequest.Role role, int count, Map<String, String> env) {}

    /** A spawn (or a forked child, role null) at {@code nanos} on the loop's clock. */
    public record Spawned(long nanos, int pid, String unit, SpawnRequest.Role role, List<String> argv) {}

    /** A signal sent to a live process at {@code nanos}. */
    public record Signalled(long nanos, int pid, int signal) {}

    /** A process that ended at {@code nanos}. */
    public record Ended(long nanos, int pid, String unit, ExitStatus status) {}

    /** An sd_notify datagram a process sent: its PID, its lineage (PID, parent, ...), the text. */
    public record Sent(int pid, List<Integer> lineage, String text) {}

    /** Signals whose default action does nothing. */
    private static final Set<Integer> HARMLESS = Set.of(0, Signals.SIGCONT, 17 /* CHLD */, 23 /* URG */, 28 /* WINCH */);

    final Loop loop;
    private Script script;
    private int nextPid = 1000;
    final Map<Integer, Proc> procs = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<Spawned> spawned = new ArrayList<>();
    private final List<Signalled> signalled = new ArrayList<>();
    private final List<Ended> ended = new ArrayList<>();
    private final List<SpawnRequest> requests = new ArrayList<>();
    private final List<String> directoryLog = new ArrayList<>();
    private final java.util.Set<Path> refusedDirectories = new java.util.HashSet<>();
    private FakeNotify notify;
    private FakeReadiness readiness;
    /** Each unit's last group. */
    private final Map<String, FakeGroup> groups = new HashMap<>();
    /** The newest forked daemon of each unit: what its pid-file says. */
    final Map<String, Integer> pidFiles = new HashMap<>();
    /** Receives every notify message a process sends (the fake notify socket). */
    Consumer<Sent> notifySink = m -> { };

    /** One simulated process. */
    final class Proc {
        final int pid;
        final int parent;
        final String unit;
        final SpawnRequest.Role role;
        final Behaviour behaviour;
        final FakeGroup group;
        final long start;
        final List<Loop.Cancellable> timers = new ArrayList<>();
        ExitListener listener;
        boolean alive = true;
        boolean ready;
        boolean execed;
        boolean reacting;

        Proc(int pid, int parent, String unit, SpawnRequest.Role role, Behaviour b, FakeGroup group) {
            this.pid = pid;
            this.parent = parent;
            this.unit = unit;
            this.role = role;
            this.behaviour = b;
            this.group = group;
            this.start = loop.nanos();
        }

        /** This PID, its parent's, and so on (what the notify socket records of a sender). */
        List<Integer> lineage() {
            List<Integer> out = new ArrayList<>();
            for (Proc p = this; p != null; p = procs.get(p.parent)) out.add(p.pid);
            return out;
        }
    }

    /** A runtime on {@code loop} whose processes do what {@code script} says. */
    public FakeProcessRuntime(Loop loop, Script script) {
        this.loop = loop;
        this.script = script == null ? s -> null : script;
    }

    /** Replaces the script for spawns from now on. */
    public void setScript(Script s) { this.script = s == null ? x -> null : s; }

    /**
     * What a process does when the script says nothing: a main process runs until signalled (and
     * is never ready unless its unit's readiness needs nothing), a command exits 0 at once, a
     * readiness probe exits 0 when its unit is ready and 1 otherwise.
     */
    public Behaviour defaultBehaviour(Spawn s) {
        return switch (s.role()) {
            case MAIN -> Behaviour.runs();
            case PROBE -> Behaviour.exits(unitReady(s.unit()) ? 0 : 1);
            default -> Behaviour.exits(0);
        };
    }

    // ---- ProcessRuntime ----

    @Override
    public ServiceGroup group(String unit, Long pidsMax, List<String> warnings) { return group(unit, null, null, pidsMax, warnings); }

    /**
     * A fresh group; limits are accepted and have no effect (no warning: a simulation shows what the real
     * run would). As a cgroup outlives its manager, the unit's last group is kept for {@link #existingGroup}.
     */
    @Override
    public ServiceGroup group(String unit, Long memory, Integer cpuPercent, Long pids, List<String> warnings) {
        FakeGroup g = new FakeGroup(this, unit);
        groups.put(unit, g);
        return g;
    }

    /** The unit's last group when processes are left in it (as a cgroup a former manager left), else a fresh one; {@code known} join it. */
    @Override
    public ServiceGroup existingGroup(String unit, Long memory, Integer cpuPercent, Long pids, List<String> warnings,
                                      List<Integer> known) {
        FakeGroup g = hasLeftovers(unit) ? groups.get(unit) : (FakeGroup) group(unit, memory, cpuPercent, pids, warnings);
        for (int p : known) g.adopt(p);
        return g;
    }

    @Override
    public boolean hasLeftovers(String unit) {
        FakeGroup g = groups.get(unit);
        return g != null && !g.isEmpty();
    }

    @Override
    public Integer leftoverRoot(String unit) {
        if (!hasLeftovers(unit)) return null;
        List<Integer> pids = groups.get(unit).pids();
        for (int p : pids) if (!pids.contains(procs.get(p).parent)) return p;
        return pids.get(0);
    }

    @Override
    public int spawn(SpawnRequest request, ExitListener onExit, OutputListener out) throws SpawnException {
        FakeGroup g = request.serviceGroup() instanceof FakeGroup fg ? fg : null;
        String unit = g == null ? "" : g.unit;
        SpawnRequest.Role role = request.role();
        int count = counts.merge(unit + "\0" + role, 1, Integer::sum);
        Spawn s = new Spawn(unit, List.copyOf(request.argv()), role, count, Map.copyOf(request.env()));
        requests.add(request);
        Behaviour b = script.behaviour(s);
        if (b == null) b = defaultBehaviour(s);
        Behaviour.SpawnFailure f = b.spawnFailure();
        if (f != null) {
            throw f.subject() == null ? new SpawnException(f.stage(), f.error()) : new SpawnException(f.stage(), f.error(), f.subject());
        }
        Proc p = start(0, unit, role, b, g, s.argv());
        p.listener = onExit;
        return p.pid;
    }

    private Proc start(int parent, String unit, SpawnRequest.Role role, Behaviour b, FakeGroup g, List<String> argv) {
        Proc p = new Proc(nextPid++, parent, unit, role, b, g);
        procs.put(p.pid, p);
        if (g != null) g.adopt(p.pid);
        spawned.add(new Spawned(p.start, p.pid, unit, role, argv));
        p.execed = b.execAfter == null || b.execAfter.isZero();
        if (!p.execed) at(p, b.execAfter, () -> p.execed = true);
        if (b.readyAfter != null) {
            if (b.readyAfter.isZero()) becomeReady(p);
            else at(p, b.readyAfter, () -> becomeReady(p));
        }
        for (Behaviour.Message m : b.messages) at(p, m.at(), () -> send(p, m.text()));
        if (b.pingEvery != null && !b.pingEvery.isZero()) ping(p, b.pingEvery);
        for (Behaviour c : b.children) start(p.pid, unit, role, c, g, List.of("(child of " + p.pid + ")"));
        switch (b.end) {
            case RUN -> { }
            case EXIT -> at(p, b.after, () -> die(p, new ExitStatus(b.code, 0, false)));
            case SIGNAL -> at(p, b.after, () -> die(p, new ExitStatus(-1, b.code, false)));
            case OOM -> at(p, b.after, () -> {
                if (g != null) g.oomKills++;
                die(p, new ExitStatus(-1, Signals.SIGKILL, false));
            });
            case FORK -> at(p, b.after, () -> {
                Proc d = start(p.pid, unit, null, b.daemon, g, List.of("(daemon of " + p.pid + ")"));
                pidFiles.put(unit, d.pid);
                die(p, new ExitStatus(0, 0, false));
            });
        }
        return p;
    }

    private void ping(Proc p, Duration every) {
        at(p, every, () -> {
            send(p, "WATCHDOG=1");
            ping(p, every);
        });
    }

    private void becomeReady(Proc p) {
        if (!p.alive) return;
        p.ready = true;
        send(p, "READY=1");
    }

    private void send(Proc p, String text) {
        if (p.alive) notifySink.accept(new Sent(p.pid, p.lineage(), text));
    }

    /** Runs {@code r} for live {@code p} after {@code d} on the loop (posted when {@code d} is zero). */
    private void at(Proc p, Duration d, Runnable r) {
        Runnable guarded = () -> {
            if (p.alive) r.run();
        };
        if (d.isZero() || d.isNegative()) {
            loop.execute(guarded);
        } else {
            p.timers.add(loop.schedule(d, guarded));
        }
    }

    private void die(Proc p, ExitStatus st) {
        if (!p.alive) return;
        p.alive = false;
        p.ready = false;
        for (Loop.Cancellable c : p.timers) c.cancel();
        p.timers.clear();
        ended.add(new Ended(loop.nanos(), p.pid, p.unit, st));
        ExitListener l = p.listener;
        p.listener = null;
        if (l != null) l.exited(p.pid, st);
    }

    @Override
    public boolean watch(int pid, ExitListener onExit) {
        Proc p = procs.get(pid);
        if (p == null || !p.alive) return false;
        p.listener = onExit;
        return true;
    }

    @Override
    public boolean execed(int pid) {
        Proc p = procs.get(pid);
        return p == null || p.execed;
    }

    @Override
    public boolean alive(int pid) {
        Proc p = procs.get(pid);
        return p != null && p.alive;
    }

    @Override
    public long startTime(int pid) {
        Proc p = procs.get(pid);
        return p != null && p.alive ? p.start : -1;
    }

    /**
     * Sends {@code signal}: SIGKILL ends the process (unless it ignores SIGKILL: a process in
     * uninterruptible sleep, which nothing ends), an ignored or harmless signal does nothing, a
     * signal with a reaction starts it, any other ends it. The end is posted to the loop (the process
     * dies after the call returns, as a real one would).
     */
    @Override
    public boolean kill(int pid, int signal) {
        Proc p = procs.get(pid);
        if (p == null || !p.alive) return false;
        if (signal != 0) signalled.add(new Signalled(loop.nanos(), pid, signal));
        Behaviour b = p.behaviour;
        if (signal == Signals.SIGKILL && !b.ignored.contains(Signals.SIGKILL)) {
            loop.execute(() -> die(p, new ExitStatus(-1, Signals.SIGKILL, false)));
        } else if (HARMLESS.contains(signal) || b.ignored.contains(signal)) {
            return true;
        } else if (b.reactions.containsKey(signal)) {
            if (!p.reacting) {
                p.reacting = true;
                Behaviour.Reaction r = b.reactions.get(signal);
                at(p, r.after(), () -> die(p, new ExitStatus(r.code(), 0, false)));
            }
        } else {
            loop.execute(() -> die(p, new ExitStatus(-1, signal, false)));
        }
        return true;
    }

    /** Every sandbox setting applies, without a command prefix (nothing is started, nothing is probed). */
    @Override
    public Sandboxing.Plan sandbox(Sandboxing.Settings s, String notifySocket) {
        List<String> applied = new ArrayList<>();
        if (s.noNewPrivileges()) applied.add("no-new-privileges");
        if (s.privateTmp()) applied.add("private-tmp");
        if (s.privateNetwork()) applied.add("private-network");
        for (String p : s.readOnlyPaths()) applied.add("read-only-paths " + p);
        if (s.rootDirectory() != null) applied.add("root-directory " + s.rootDirectory());
        return new Sandboxing.Plan(List.of(), applied, List.of());
    }

    /** Records the directory (nothing is made), or fails as for a file in its place when {@link #refuseDirectory} named it. */
    @Override
    public Path makeDirectory(String stage, Path base, String name, int mode, String user, String group) throws SpawnException {
        Path p = base.resolve(name);
        if (refusedDirectories.contains(p)) throw new SpawnException(stage, "something that is not a directory is in its place", p.toString());
        directoryLog.add("made " + p + " " + String.format("%04o", mode) + " " + user + ":" + group);
        return p;
    }

    @Override
    public String removeDirectory(Path dir) {
        directoryLog.add("removed " + dir);
        return null;
    }

    @Override
    public String tracking() { return "simulated processes"; }

    @Override
    public List<String> warnings() { return List.of(); }

    @Override
    public int watchedPipes() { return 0; }

    /** Nothing to release: the simulated processes are simply forgotten. */
    @Override
    public void close() { }

    // ---- what tests and the simulation look at ----

    /** True when a live process of {@code unit} is ready (see {@link Behaviour#readyAfter}). */
    public boolean unitReady(String unit) {
        for (Proc p : procs.values()) if (p.alive && p.ready && p.unit.equals(unit)) return true;
        return false;
    }

    /** The live PIDs of {@code unit}, in spawn order. */
    public List<Integer> livePids(String unit) {
        List<Integer> out = new ArrayList<>();
        for (Proc p : procs.values()) if (p.alive && p.unit.equals(unit)) out.add(p.pid);
        return out;
    }

    /** Every spawn so far, in order. */
    public List<Spawned> spawned() { return List.copyOf(spawned); }

    /** The spawns of {@code unit} with {@code role}, in order. */
    public List<Spawned> spawned(String unit, SpawnRequest.Role role) {
        return spawned.stream().filter(s -> s.unit().equals(unit) && s.role() == role).toList();
    }

    /** The requests of {@code unit}'s spawns with {@code role} (credentials, wrapper, environment), in order. */
    public List<SpawnRequest> requests(String unit, SpawnRequest.Role role) {
        return requests.stream().filter(r -> r.role() == role && r.serviceGroup() instanceof FakeGroup g && g.unit.equals(unit)).toList();
    }

    /** Directories made ({@code made PATH MODE USER:GROUP}) and removed ({@code removed PATH}), in order. */
    public List<String> directoryLog() { return List.copyOf(directoryLog); }

    /** Makes {@link #makeDirectory} fail for {@code p} (as for a file in its place). */
    public void refuseDirectory(Path p) { refusedDirectories.add(p); }

    /** Every signal sent to a live process so far, in order. */
    public List<Signalled> signalled() { return List.copyOf(signalled); }

    /** Every process end so far, in order. */
    public List<Ended> ended() { return List.copyOf(ended); }

    /** The sd_notify port its processes send to. */
    public FakeNotify notifyPort() {
        if (notify == null) notify = new FakeNotify(this);
        return notify;
    }

    /** The readiness port that answers from its processes' readiness. */
    public FakeReadiness readinessPort() {
        if (readiness == null) readiness = new FakeReadiness(this);
        return readiness;
    }

    /**
     * What supervisors on this runtime share: its loop, itself, its notify and readiness ports, and a
     * restart jitter of exactly 1 (a simulation is deterministic). Logs are written under {@code logDir}
     * (real files); nothing is made in {@code runtimeDir}.
     */
    public SupervisorContext supervisorContext(Path logDir, Path runtimeDir, Map<String, String> managerEnv) {
        return new SupervisorContext(loop, this, logDir, runtimeDir, managerEnv, null, null, notifyPort(), readinessPort(), () -> 1.0);
    }
}
