package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.graph.Resolver;
import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.UnitType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The manager: owns every unit's runtime state and runs resolver plans against
 * the service drivers. Every method must be called on the {@link Loop}
 * thread (the daemon posts client requests there); drivers report back on the
 * same thread, so no state here is ever shared between threads.
 *
 * <h2>Executing a plan</h2>
 * Each job keeps a count of the plan jobs it is ordered after; a job whose count
 * is zero runs, and each completion releases its successors (STYLE habit 4: the
 * same code serves start and stop, since the resolver already gave stop jobs the
 * reversed edges). A job also waits for unfinished jobs of <em>older</em>
 * transactions on its own unit and on the units it is ordered after (start: units
 * it starts after; stop: units that start after it), so overlapping transactions
 * keep the order without ever waiting on each other in a circle.
 *
 * <h2>Merging requests</h2>
 * In {@code replace} mode a new transaction cancels the waiting jobs of older
 * transactions on the units it has jobs for (an isolate cancels every waiting job);
 * a running start interrupted by a new stop ends as canceled. Transactions that
 * lost a job end with {@code canceled: replaced by <request>}. In {@code fail}
 * mode a request that would replace a job is refused.
 */
public final class Manager {
    /** Told of each finished job and transaction (progress lines, tests). */
    public interface Observer {
        default void jobFinished(JobRecord record) {}

        default void transactionFinished(TransitionRecord record) {}

        /** A transient unit ended and left the unit list. */
        default void transientRemoved(String unit) {}
    }

    /** A request the manager refused before running anything. */
    public static final class Refused extends Exception {
        private final transient Rejection rejection;

        public Refused(Rejection rejection) {
            super(rejection.error());
            this.rejection = rejection;
        }

        public Rejection rejection() { return rejection; }
    }

    private enum Phase { WAITING, RUNNING, DONE }

    private final class JobRun {
        final Tx tx;
        final String unit;
        final JobType type;
        final String reason;
        final List<JobRun> successors = new ArrayList<>();
        final List<JobRun> waiters = new ArrayList<>();
        final List<String> after;
        int pending;
        Phase phase = Phase.WAITING;
        /** The stop half of a restart: waits for a running start instead of interrupting it. */
        boolean restartHalf;
        /** Set while the job clears an old failure before starting: that change is not its outcome. */
        boolean clearing;
        JobRun joined;
        Result result;
        String detail;
        Instant started;
        Instant finished;

        JobRun(Tx tx, Job job) {
            this(tx, job.unit(), job.type(), job.reason(), job.after());
        }

        JobRun(Tx tx, String unit, JobType type, String reason, List<String> after) {
            this.tx = tx;
            this.unit = unit;
            this.type = type;
            this.reason = reason;
            this.after = after;
        }
    }

    private final class Tx {
        final long id;
        final Request request;
        final boolean boot;
        final Instant started;
        final List<JobRun> jobs = new ArrayList<>();
        final CompletableFuture<Outcome> done = new CompletableFuture<>();
        int remaining;
        String canceledBy;
        /** For requests the manager made itself: why (e.g. {@code db.service failed: exit-code (required by it)}). */
        String origin;

        Tx(long id, Request request, boolean boot, Instant started) {
            this.id = id;
            this.request = request;
            this.boot = boot;
            this.started = started;
        }
    }

    private final Loop loop;
    private final ServiceDriver.Factory factory;
    private final Map<String, String> environment;
    private final EventLog events = new EventLog();
    private final List<Observer> observers = new ArrayList<>();

    private UnitSet units;
    private DependencyGraph graph;
    private Set<String> disabled = Set.of();
    private Set<String> masked = Set.of();
    private final Map<String, ServiceDriver> drivers = new TreeMap<>();
    /** State of units without a driver (targets, bad units) and overrides (condition skips, dependency failures). */
    private final Map<String, UnitSnapshot> own = new HashMap<>();
    /** The newest unfinished job of each unit. */
    private final Map<String, JobRun> current = new HashMap<>();
    /** The job acting on each unit right now (at most one: a stop cancels a running start first). */
    private final Map<String, JobRun> acting = new HashMap<>();
    /** Why each unit is in its state: the job reason and request that put it there. */
    private final Map<String, String> causes = new HashMap<>();
    /** Units made by {@code svcmgr run}: removed once they end. */
    private final java.util.Set<String> transients = new java.util.HashSet<>();
    /** The definition each unit was last started with. */
    private final Map<String, Unit> startedWith = new HashMap<>();
    private final List<Tx> running = new ArrayList<>();
    private final ArrayDeque<TransitionRecord> transitions = new ArrayDeque<>();
    private long nextTx = 1;
    private Tx bootTx;
    private boolean bootDone;
    private boolean stopping;

    /** How many finished transitions are kept for {@code analyze}. */
    public static final int TRANSITIONS_KEPT = 32;

    public Manager(Loop loop, UnitSet units, Set<String> disabled, Set<String> masked,
                   ServiceDriver.Factory factory, Map<String, String> environment) {
        this.loop = loop;
        this.factory = factory;
        this.environment = Map.copyOf(environment);
        this.masked = Set.copyOf(masked);
        setUnits(units, disabled);
    }

    public void addObserver(Observer o) { observers.add(o); }

    public EventLog events() { return events; }

    public UnitSet units() { return units; }

    public DependencyGraph graph() { return graph; }

    public Set<String> masked() { return masked; }

    public Set<String> disabled() { return disabled; }

    // ---------------------------------------------------------------- units

    private void setUnits(UnitSet next, Set<String> disabledNow) {
        this.units = next;
        this.disabled = Set.copyOf(disabledNow);
        this.graph = DependencyGraph.build(next, this.disabled);
        for (Unit u : next.units().values()) {
            if (u.type() != UnitType.SERVICE || u.service() == null) continue;
            ServiceDriver d = drivers.get(u.name());
            if (d == null) {
                String name = u.name();
                drivers.put(name, factory.create(u, (before, after) -> onServiceChange(name, before, after)));
            } else {
                d.setUnit(u);
            }
        }
    }

    /**
     * Replaces the unit definitions (daemon-reload): running services keep running. A service
     * still up whose file is gone keeps its old definition (so it can be stopped as usual) and
     * leaves the unit list once it has stopped.
     */
    public void reload(UnitSet next) {
        for (Map.Entry<String, ServiceDriver> e : drivers.entrySet()) {
            String name = e.getKey();
            Unit loaded = next.lookup(name);
            if (loaded != null && loaded.load() != LoadState.NOT_FOUND) continue;
            ActiveState a = e.getValue().snapshot().active();
            if (a == ActiveState.INACTIVE || a == ActiveState.FAILED) continue;
            next = next.with(e.getValue().unit());
            transients.add(name);
        }
        setUnits(next, disabled);
        // services that are down and whose files are gone leave with their definitions
        for (String name : new ArrayList<>(drivers.keySet())) {
            Unit u = next.lookup(name);
            if ((u == null || u.load() == LoadState.NOT_FOUND) && current.get(name) == null) {
                ActiveState a = drivers.get(name).snapshot().active();
                if (a == ActiveState.INACTIVE || a == ActiveState.FAILED) {
                    drivers.remove(name);
                    own.remove(name);
                }
            }
        }
    }

    /** Adds a transient unit ({@code svcmgr run}); it leaves the unit list once it has ended. */
    public void addTransient(Unit u) {
        transients.add(u.name());
        setUnits(units.with(u), disabled);
    }

    public boolean isTransient(String name) { return transients.contains(name); }

    private void removeTransient(String name) {
        JobRun j = current.get(name);
        ServiceDriver d = drivers.get(name);
        if (j != null || d == null || !transients.contains(name)) return;
        ActiveState a = d.snapshot().active();
        if (a != ActiveState.INACTIVE && a != ActiveState.FAILED) return;
        transients.remove(name);
        drivers.remove(name);
        own.remove(name);
        startedWith.remove(name);
        setUnits(units.without(name), disabled);
        for (Observer o : observers) o.transientRemoved(name);
    }

    /** Changes the disabled set (enable/disable) and rebuilds the graph. */
    public void setDisabled(Set<String> nowDisabled) { setUnits(units, nowDisabled); }

    public void setMasked(Set<String> nowMasked) { this.masked = Set.copyOf(nowMasked); }

    /** Every unit name known: loaded units, and services still running from an older definition. */
    public List<String> unitNames() {
        TreeSet<String> all = new TreeSet<>(units.units().keySet());
        all.addAll(drivers.keySet());
        return new ArrayList<>(all);
    }

    /** The unit's definition: loaded one, else the one its driver runs, else a not-found stand-in. */
    public Unit unit(String name) {
        Unit u = units.lookup(name);
        if (u != null) return u;
        ServiceDriver d = drivers.get(name);
        return d != null ? d.unit() : units.require(name);
    }

    /** The definition the unit was last started with (differs from {@link #unit} after a daemon-reload that changed it). */
    public Unit startedWith(String name) { return startedWith.get(name); }

    public ServiceDriver driver(String name) { return drivers.get(name); }

    // ---------------------------------------------------------------- state

    /** The unit's current state, with {@code sub: waiting} while a job waits for its turn. */
    public UnitSnapshot snapshot(String name) {
        UnitSnapshot s = own.get(name);
        if (s == null) {
            ServiceDriver d = drivers.get(name);
            s = d != null ? d.snapshot() : UnitSnapshot.initial(name, Instant.EPOCH);
        }
        JobRun j = current.get(name);
        if (j != null && j.phase == Phase.WAITING) {
            s = new UnitSnapshot(s.unit(), s.active(), SubState.WAITING, s.result(), s.resultDetail(), s.mainPid(),
                    s.since(), s.statusText());
        }
        return s;
    }

    public ActiveState active(String name) { return snapshot(name).active(); }

    /**
     * Re-adoption after a manager restart: a unit without a driver (a target, a unit that failed a
     * dependency or was skipped) was in this state under the former manager; services bring their
     * own state from their drivers. Also records the definition active services run.
     */
    public void restore(String unit, ActiveState a, SubState sub, Result r, String detail, String cause) {
        if (units.lookup(unit) == null) return;
        if (cause != null) causes.put(unit, cause);
        ServiceDriver d = drivers.get(unit);
        if (d != null) {
            ActiveState now = d.snapshot().active();
            if (now != ActiveState.INACTIVE) startedWith.put(unit, units.lookup(unit));
            // a dependency failure or skip recorded by the engine itself stays (the driver knows nothing of it)
            if (now == ActiveState.INACTIVE && (r == Result.DEPENDENCY || r == Result.CONDITION)) {
                own.put(unit, new UnitSnapshot(unit, a, sub, r, detail, null, loop.now(), null));
            }
            return;
        }
        if (a == ActiveState.INACTIVE && r == null) return;
        own.put(unit, new UnitSnapshot(unit, a, sub, r, detail, null, loop.now(), null));
    }

    /** Why the unit is in its state (the request and chain that put it there), or null. */
    public String cause(String name) { return causes.get(name); }

    /** {@code starting}, {@code running}, {@code degraded} or {@code stopping}. */
    public String systemState() {
        if (stopping) return "stopping";
        if (bootTx != null && !bootDone) return "starting";
        return failedUnits().isEmpty() ? "running" : "degraded";
    }

    public List<String> failedUnits() {
        List<String> out = new ArrayList<>();
        for (String n : unitNames()) if (snapshot(n).active() == ActiveState.FAILED) out.add(n);
        return out;
    }

    /** Jobs not yet finished, over all transactions. */
    public int jobCount() {
        int n = 0;
        for (Tx t : running) for (JobRun j : t.jobs) if (j.phase != Phase.DONE) n++;
        return n;
    }

    public boolean bootFinished() { return bootTx == null || bootDone; }

    /** Completes when the boot transaction has finished (at once when there is none). */
    public CompletableFuture<?> bootDone() {
        return bootTx == null ? CompletableFuture.completedFuture(null) : bootTx.done;
    }

    public List<TransitionRecord> transitions() { return new ArrayList<>(transitions); }

    private Map<String, ActiveState> currentStates() {
        Map<String, ActiveState> m = new HashMap<>();
        for (String n : unitNames()) m.put(n, snapshot(n).active());
        for (Map.Entry<String, JobRun> e : current.entrySet()) {
            JobRun j = e.getValue();
            if (j.phase == Phase.WAITING) {
                if (j.type == JobType.START || j.type == JobType.RESTART) m.put(e.getKey(), ActiveState.STARTING);
                else if (j.type == JobType.STOP) m.put(e.getKey(), ActiveState.STOPPING);
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- requests

    /**
     * Resolves a request against the current state without running it and without changing
     * anything: template instances named only here are not added to the unit set.
     */
    public Resolution plan(Request r) { return planInput().plan(r); }

    /**
     * Everything {@link #plan} reads, copied on the loop in one pass over the units; the plan
     * itself can then be worked out on any thread ({@code svcmgr plan} off the loop).
     */
    public PlanInput planInput() { return new PlanInput(units, graph, disabled, currentStates(), masked); }

    /** An immutable copy of what resolving a request reads (see {@link #planInput}). */
    public record PlanInput(UnitSet units, DependencyGraph graph, Set<String> disabled, Map<String, ActiveState> states,
                            Set<String> masked) {
        /** The plan or rejection for {@code r}; instances it names are made for this answer only. Any thread. */
        public Resolution plan(Request r) {
            UnitSet next = units;
            for (String n : r.units()) {
                if (next.units().containsKey(next.canonical(n))) continue;
                Unit u = next.lookup(n);
                if (u != null && u.load() != LoadState.NOT_FOUND) next = next.with(u);
            }
            DependencyGraph g = next == units ? graph : DependencyGraph.build(next, disabled);
            return Resolver.resolve(g, states, masked, r);
        }
    }

    /** Starts the boot transaction ({@code start target}). */
    public CompletableFuture<Outcome> boot(String target) throws Refused {
        Tx t = submit(new Request(Request.Verb.START, List.of(target), JobMode.REPLACE, false), true);
        bootTx = t;
        if (t.remaining == 0) bootDone = true;
        t.done.whenComplete((o, x) -> bootDone = true);
        return t.done;
    }

    /** Accepts a request: resolves it, merges it with running transactions and starts its jobs. */
    public CompletableFuture<Outcome> submit(Request r) throws Refused {
        return submit(r, false).done;
    }

    /**
     * Stops every unit in order: isolate to {@code target} (when it exists) with
     * {@code ignore-on-isolate} units included, then stop whatever is still up.
     */
    public CompletableFuture<Outcome> shutdown(String target) {
        stopping = true;
        CompletableFuture<Outcome> all = new CompletableFuture<>();
        CompletableFuture<Outcome> first;
        if (target != null && units.lookup(target) != null && units.lookup(target).isLoaded()) {
            try {
                first = submit(new Request(Request.Verb.ISOLATE, List.of(units.canonical(target)), JobMode.REPLACE, true));
            } catch (Refused e) {
                first = CompletableFuture.completedFuture(null);
            }
        } else {
            first = CompletableFuture.completedFuture(null);
        }
        first.whenComplete((o, x) -> loop.execute(() -> stopRemaining(all, o)));
        return all;
    }

    private void stopRemaining(CompletableFuture<Outcome> all, Outcome isolateOutcome) {
        List<String> up = new ArrayList<>();
        for (String n : unitNames()) {
            ActiveState a = snapshot(n).active();
            if (a == ActiveState.ACTIVE || a == ActiveState.STARTING || a == ActiveState.STOPPING) up.add(n);
        }
        // a target's stop is a no-op, services are what matter; stop all up services and targets
        if (up.isEmpty()) {
            all.complete(isolateOutcome);
            return;
        }
        try {
            submit(new Request(Request.Verb.STOP, up, JobMode.REPLACE, true))
                    .whenComplete((o, x) -> all.complete(o));
        } catch (Refused e) {
            // stopping cannot be refused for lack of units; stop each service directly as a last resort
            for (String n : up) {
                ServiceDriver d = drivers.get(n);
                if (d != null) d.stop();
            }
            all.complete(isolateOutcome);
        }
    }

    /** True while a shutdown is under way. */
    public boolean isStopping() { return stopping; }

    /**
     * Makes an instance of a template that no unit named at load time ({@code start getty@tty9})
     * part of the unit set and the graph, so that requests can name it.
     */
    private void materialize(List<String> names) {
        UnitSet next = units;
        for (String n : names) {
            if (next.units().containsKey(next.canonical(n))) continue;
            Unit u = next.lookup(n);
            if (u != null && u.load() != LoadState.NOT_FOUND) next = next.with(u);
        }
        if (next != units) setUnits(next, disabled);
    }

    private Tx submit(Request r, boolean boot) throws Refused {
        materialize(r.units());
        Resolution res = Resolver.resolve(graph, currentStates(), masked, r);
        if (res instanceof Rejection rej) throw new Refused(rej);
        Plan plan = (Plan) res;
        String who = r.describe();
        if (r.mode() == JobMode.FAIL) {
            for (Job j : plan.jobs()) {
                JobRun old = current.get(j.unit());
                if (old != null && old.type != j.type()) {
                    throw new Refused(new Rejection("job " + j.type().word() + " " + j.unit()
                            + " conflicts with a queued " + old.type.word() + " job of '" + old.tx.request.describe()
                            + "' (use --job-mode replace)", null));
                }
            }
        }
        Tx tx = new Tx(nextTx++, r, boot, loop.now());
        // A restart runs as a stop and a start of the same unit: every stop half before the starts
        // that need it, stop halves in the reverse of the start order (dependents stop first).
        Map<String, JobRun> byUnit = new LinkedHashMap<>();   // the job whose end releases "after" edges
        Map<String, JobRun> stopHalf = new HashMap<>();
        for (Job j : plan.jobs()) {
            if (j.type() == JobType.RESTART) {
                JobRun stop = new JobRun(tx, j.unit(), JobType.STOP, j.reason(), List.of());
                stop.restartHalf = true;
                JobRun start = new JobRun(tx, j.unit(), JobType.START, j.reason(), j.after());
                tx.jobs.add(stop);
                tx.jobs.add(start);
                stopHalf.put(j.unit(), stop);
                byUnit.put(j.unit(), start);
                link(stop, start);
            } else {
                JobRun jr = new JobRun(tx, j);
                tx.jobs.add(jr);
                byUnit.put(j.unit(), jr);
            }
        }
        for (JobRun jr : new ArrayList<>(byUnit.values())) {
            for (String a : jr.after) {
                JobRun pred = byUnit.get(a);
                if (pred == null) continue;
                link(pred, jr);
                JobRun myStop = stopHalf.get(jr.unit);
                JobRun predStop = stopHalf.get(a);
                if (myStop != null && predStop != null) link(myStop, predStop); // reverse order for the stops
            }
        }
        // merge with older transactions
        if (r.verb() == Request.Verb.ISOLATE) {
            for (Tx old : new ArrayList<>(running)) {
                for (JobRun oj : old.jobs) if (oj.phase == Phase.WAITING) cancel(oj, who);
            }
        }
        for (JobRun jr : tx.jobs) {
            JobRun old = current.get(jr.unit);
            if (old != null && old.tx != tx) {
                if (old.phase == Phase.WAITING) {
                    cancel(old, who); // the same job queued twice, or a conflicting one: the new request's job runs
                } else if (old.phase == Phase.RUNNING && old.type == jr.type && !stopHalf.containsKey(jr.unit)) {
                    jr.joined = old;
                }
            }
            current.put(jr.unit, jr);
        }
        tx.remaining = tx.jobs.size();
        running.add(tx);
        if (tx.remaining == 0) {
            finishTx(tx);
            return tx;
        }
        for (JobRun jr : new ArrayList<>(tx.jobs)) {
            if (jr.pending == 0 && jr.phase == Phase.WAITING) tryRun(jr);
        }
        return tx;
    }

    /** {@code after} waits for {@code before}. */
    private static void link(JobRun before, JobRun after) {
        before.successors.add(after);
        after.pending++;
    }

    private void cancel(JobRun j, String by) {
        if (j.phase == Phase.DONE) return;
        j.tx.canceledBy = by;
        finish(j, Result.CANCELED, "replaced by " + by);
    }

    // ---------------------------------------------------------------- running jobs

    private List<JobRun> blockers(JobRun j) {
        List<JobRun> out = new ArrayList<>();
        if (j.joined != null && j.joined.phase != Phase.DONE) {
            out.add(j.joined);
            return out;
        }
        for (Tx t : running) {
            if (t.id >= j.tx.id) continue;
            for (JobRun o : t.jobs) {
                if (o.phase == Phase.DONE) continue;
                if (o.unit.equals(j.unit)) {
                    boolean interrupt = j.type == JobType.STOP && !j.restartHalf && o.type != JobType.STOP;
                    if (!interrupt) out.add(o);
                    continue;
                }
                if (j.type == JobType.STOP) {
                    if (o.type == JobType.STOP && graph.orderedBefore(j.unit).contains(o.unit)) out.add(o);
                } else if (o.type != JobType.STOP && graph.orderedAfter(j.unit).contains(o.unit)) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private void tryRun(JobRun j) {
        if (j.phase != Phase.WAITING || j.pending > 0) return;
        List<JobRun> b = blockers(j);
        if (!b.isEmpty()) {
            JobRun first = b.get(0);
            if (!first.waiters.contains(j)) first.waiters.add(j);
            return;
        }
        if (j.joined != null) {
            finish(j, j.joined.result, j.joined.detail);
            return;
        }
        j.phase = Phase.RUNNING;
        j.started = loop.now();
        JobRun before = acting.put(j.unit, j);
        if (before != null && before != j && before.phase == Phase.RUNNING) {
            // cannot happen by construction (blockers and the stop interrupt); never leave a job behind
            cancel(before, j.tx.request.describe());
        }
        Unit u = unit(j.unit);
        switch (j.type) {
            case START -> runStart(j, u);
            case STOP -> runStop(j, u);
            case RESTART -> throw new IllegalStateException("restart jobs run as a stop half and a start half");
            case RELOAD -> runReload(j, u);
            case VERIFY_ACTIVE -> {
                if (snapshot(j.unit).active() == ActiveState.ACTIVE) finish(j, Result.SUCCESS, null);
                else finish(j, Result.DEPENDENCY, j.unit + " is not active");
            }
        }
    }

    /** The failed hard requirement of {@code u} in this transaction, or null. */
    private String failedRequirement(JobRun j, Unit u) {
        for (Dependency d : u.dependencies()) {
            if (d.kind() != DepKind.REQUIRES && d.kind() != DepKind.BINDS_TO && d.kind() != DepKind.REQUISITE) continue;
            String dep = units.canonical(d.to());
            Unit du = units.lookup(dep);
            if (du == null || du.load() == LoadState.NOT_FOUND || du.load() == LoadState.BAD_SETTING) {
                return dep + " cannot be loaded: " + (du == null ? "not found" : du.firstErrorWithoutContent());
            }
            JobRun dj = findJob(j.tx, dep);
            if (dj != null && dj.phase == Phase.DONE && dj.result != null && dj.result.isFailure()) {
                return dep + " failed: " + dj.result.word() + (dj.detail == null ? "" : " (" + dj.detail + ")");
            }
            if (dj == null && snapshot(dep).active() == ActiveState.FAILED) {
                UnitSnapshot ds = snapshot(dep);
                return dep + " failed: " + (ds.result() == null ? "failed" : ds.result().word());
            }
        }
        return null;
    }

    /** The unit's last job in the transaction (a restart's start half). */
    private JobRun findJob(Tx t, String unit) {
        JobRun found = null;
        for (JobRun o : t.jobs) if (o.unit.equals(unit)) found = o;
        return found;
    }

    private String unmetCondition(Unit u) {
        Conditions c = u.conditions();
        if (c == null) return null;
        for (String p : c.pathExists()) if (!Files.exists(Path.of(p))) return "path-exists " + p;
        for (String p : c.pathExistsNot()) if (Files.exists(Path.of(p))) return "path-exists-not " + p;
        for (String p : c.fileNotEmpty()) {
            try {
                if (!Files.isRegularFile(Path.of(p)) || Files.size(Path.of(p)) == 0) return "file-not-empty " + p;
            } catch (IOException e) {
                return "file-not-empty " + p;
            }
        }
        for (String v : c.env()) {
            String val = environment.get(v);
            if (val == null || val.isEmpty()) return "env " + v;
        }
        return null;
    }

    private void runStart(JobRun j, Unit u) {
        if (masked.contains(j.unit)) {
            finish(j, Result.EXEC, j.unit + " is masked");
            return;
        }
        String failed = failedRequirement(j, u);
        if (failed != null) {
            setOwn(j.unit, ActiveState.FAILED, SubState.FAILED, Result.DEPENDENCY, "dependency " + failed);
            finish(j, Result.DEPENDENCY, "dependency " + failed);
            return;
        }
        if (!u.isLoaded()) {
            setOwn(j.unit, ActiveState.FAILED, SubState.FAILED, Result.EXEC,
                    "unit " + u.load().word() + ": " + u.firstErrorWithoutContent());
            finish(j, Result.EXEC, "unit " + u.load().word() + ": " + u.firstErrorWithoutContent());
            return;
        }
        String cond = unmetCondition(u);
        if (cond != null) {
            setOwn(j.unit, ActiveState.INACTIVE, u.type() == UnitType.TARGET ? SubState.DEAD : SubState.DEAD,
                    Result.CONDITION, "condition " + cond + " not met");
            finish(j, Result.CONDITION, "condition " + cond + " not met");
            return;
        }
        ServiceDriver d = drivers.get(j.unit);
        if (d == null) {
            setOwn(j.unit, ActiveState.ACTIVE, SubState.ACTIVE, Result.SUCCESS, null);
            finish(j, Result.SUCCESS, null);
            return;
        }
        own.remove(j.unit);
        UnitSnapshot s = d.snapshot();
        if (s.active() == ActiveState.ACTIVE) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        if (s.active() == ActiveState.FAILED) {
            // failed -> inactive is published while the job runs: the client waits for its own start, not the old result
            j.clearing = true;
            try {
                d.resetFailed();
            } finally {
                j.clearing = false;
            }
        }
        startedWith.put(j.unit, u);
        d.start();
    }

    private void runStop(JobRun j, Unit u) {
        // a stop interrupts a start (or reload) still running for an older request: that job ends canceled
        for (Tx t : new ArrayList<>(running)) {
            if (t == j.tx) continue;
            for (JobRun o : new ArrayList<>(t.jobs)) {
                if (o.unit.equals(j.unit) && o.phase == Phase.RUNNING && o.type != JobType.STOP) {
                    cancel(o, j.tx.request.describe());
                }
            }
        }
        ServiceDriver d = drivers.get(j.unit);
        if (d == null) {
            UnitSnapshot s = snapshot(j.unit);
            if (s.active() != ActiveState.INACTIVE || s.result() == Result.CONDITION) {
                setOwn(j.unit, ActiveState.INACTIVE, SubState.DEAD, s.result() == Result.CONDITION ? null : s.result(), null);
            }
            finish(j, Result.SUCCESS, null);
            return;
        }
        if (own.containsKey(j.unit)) {
            own.remove(j.unit);
            emit(j.unit, d.snapshot());
        }
        UnitSnapshot s = d.snapshot();
        if ((s.active() == ActiveState.INACTIVE || s.active() == ActiveState.FAILED) && s.sub() != SubState.AUTO_RESTART) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        d.stop();
    }

    private void runReload(JobRun j, Unit u) {
        ServiceDriver d = drivers.get(j.unit);
        if (d == null) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        if (u.service() == null || u.service().execReload().isEmpty()) {
            finish(j, Result.EXEC, j.unit + " has no exec-reload");
            return;
        }
        d.reload();
    }

    private void setOwn(String unit, ActiveState a, SubState sub, Result r, String detail) {
        UnitSnapshot before = snapshot(unit);
        boolean same = before.active() == a && before.result() == r;
        UnitSnapshot s = new UnitSnapshot(unit, a, sub, r, detail, null, same ? before.since() : loop.now(), null);
        own.put(unit, s);
        if (before.active() != a || before.sub() != sub || before.result() != r) emit(unit, s);
    }

    /** The last (active, sub, result) put in the event history per unit: a change of only the PID is no event. */
    private final Map<String, String> lastEmitted = new HashMap<>();

    private void emit(String unit, UnitSnapshot s) {
        String result = s.result() == null ? null : s.result().word();
        String key = s.active().word() + "/" + s.sub().word() + "/" + result;
        if (key.equals(lastEmitted.put(unit, key))) return;
        events.append(loop.now(), unit, s.active().word(), s.sub().word(), result);
    }

    private void finish(JobRun j, Result r, String detail) {
        if (j.phase == Phase.DONE) return;
        j.phase = Phase.DONE;
        j.result = r;
        j.detail = detail;
        j.finished = loop.now();
        if (current.get(j.unit) == j) current.remove(j.unit);
        if (acting.get(j.unit) == j) acting.remove(j.unit);
        if (r != Result.CANCELED) {
            causes.put(j.unit, describeCause(j));
        }
        JobRecord rec = record(j);
        for (Observer o : observers) o.jobFinished(rec);
        for (JobRun s : j.successors) {
            s.pending--;
            if (s.pending == 0) tryRun(s);
        }
        List<JobRun> w = new ArrayList<>(j.waiters);
        j.waiters.clear();
        for (JobRun x : w) tryRun(x);
        j.tx.remaining--;
        if (j.tx.remaining == 0) finishTx(j.tx);
    }

    private String describeCause(JobRun j) {
        String verb = switch (j.type) {
            case START -> "started";
            case STOP -> "stopped";
            case RESTART -> "restarted";
            case RELOAD -> "reloaded";
            case VERIFY_ACTIVE -> "verified";
        };
        if (j.tx.origin != null) return verb + " because " + j.tx.origin;
        String by = verb + " by " + j.tx.request.describe();
        return j.reason == null || j.reason.isEmpty() ? by : by + " -> " + j.reason;
    }

    private JobRecord record(JobRun j) {
        return new JobRecord(j.tx.id, j.unit, j.type, j.reason, j.tx.started, j.started, j.finished, j.result,
                j.detail, unit(j.unit).description());
    }

    private void finishTx(Tx t) {
        running.remove(t);
        List<JobRecord> recs = new ArrayList<>();
        Map<String, List<String>> after = new TreeMap<>();
        for (JobRun j : t.jobs) {
            recs.add(record(j));
            after.put(j.unit, j.after);
        }
        TransitionRecord tr = new TransitionRecord(t.id, t.request.describe(), t.boot, t.started, loop.now(), recs, after);
        transitions.addLast(tr);
        while (transitions.size() > TRANSITIONS_KEPT) transitions.removeFirst();
        for (Observer o : observers) o.transactionFinished(tr);
        t.done.complete(new Outcome(t.request, t.canceledBy, recs));
    }

    // ---------------------------------------------------------------- driver events

    private void onServiceChange(String name, UnitSnapshot before, UnitSnapshot after) {
        own.remove(name); // a condition skip or dependency failure is superseded by real activity
        emit(name, after);
        JobRun j = acting.get(name);
        if (j != null && j.phase == Phase.RUNNING && !j.clearing) progress(j, after);
        propagate(name, before, after);
        if (transients.contains(name) && (after.active() == ActiveState.INACTIVE || after.active() == ActiveState.FAILED)
                && after.sub() != SubState.AUTO_RESTART) {
            loop.execute(() -> removeTransient(name));
        }
    }

    private void progress(JobRun j, UnitSnapshot s) {
        switch (j.type) {
            case START -> startProgress(j, s);
            case RESTART -> throw new IllegalStateException("restart jobs run as a stop half and a start half");
            case STOP -> {
                if ((s.active() == ActiveState.INACTIVE || s.active() == ActiveState.FAILED) && s.sub() != SubState.AUTO_RESTART) {
                    finish(j, Result.SUCCESS, null);
                }
            }
            case RELOAD -> {
                if (s.active() == ActiveState.ACTIVE && s.sub() != SubState.RELOAD) finish(j, Result.SUCCESS, null);
                else if (s.active() == ActiveState.FAILED || s.active() == ActiveState.INACTIVE) {
                    finish(j, s.result() == null ? Result.EXIT_CODE : s.result(), s.resultDetail());
                }
            }
            case VERIFY_ACTIVE -> { }
        }
    }

    private void startProgress(JobRun j, UnitSnapshot s) {
        if (s.active() == ActiveState.ACTIVE) {
            finish(j, Result.SUCCESS, null);
        } else if (s.active() == ActiveState.INACTIVE && s.result() == Result.SUCCESS) {
            finish(j, Result.SUCCESS, null);
        } else if (s.sub() == SubState.AUTO_RESTART) {
            finish(j, s.result() == null ? Result.EXIT_CODE : s.result(), s.resultDetail());
        } else if (s.active() == ActiveState.FAILED) {
            finish(j, s.result() == null ? Result.EXIT_CODE : s.result(), s.resultDetail());
        } else if (s.active() == ActiveState.INACTIVE) {
            finish(j, s.result() == null ? Result.CANCELED : s.result(), s.resultDetail());
        }
    }

    /** Runtime propagation of a change that no job of this unit caused or that a job caused on purpose. */
    private void propagate(String name, UnitSnapshot before, UnitSnapshot after) {
        if (stopping) return;
        boolean wasUp = before.active() == ActiveState.ACTIVE || before.active() == ActiveState.STARTING
                || before.active() == ActiveState.STOPPING;
        List<String> stop = new ArrayList<>();
        String origin;
        if (after.active() == ActiveState.FAILED && before.active() != ActiveState.FAILED) {
            stop.addAll(graph.requiresDependents(name));
            stop.addAll(graph.bindsToDependents(name));
            String how = after.result() == null ? "failed" : "failed: " + after.result().word();
            List<String> onFailure = graph.onFailure(name);
            if (!onFailure.isEmpty()) internal(Request.Verb.START, onFailure, "on-failure of " + name + ", which " + how);
            origin = name + " " + how + " (required by it)";
        } else if (after.active() == ActiveState.INACTIVE && wasUp && after.sub() != SubState.AUTO_RESTART) {
            for (String d : graph.bindsToDependents(name)) if (!leftToTransaction(name, d)) stop.add(d);
            origin = name + " went inactive (bound to it)";
        } else {
            origin = null;
        }
        List<String> up = new ArrayList<>();
        for (String s : new TreeSet<>(stop)) {
            ActiveState a = snapshot(s).active();
            JobRun jr = current.get(s);
            boolean queuedStart = jr != null && (jr.type == JobType.START || jr.type == JobType.RESTART);
            if ((a == ActiveState.ACTIVE || a == ActiveState.STARTING) && !queuedStart) up.add(s);
        }
        if (!up.isEmpty()) internal(Request.Verb.STOP, up, origin);
    }

    /**
     * True when a transaction still running has stopped {@code unit} on purpose (its stop job, or a
     * restart's stop half, has run) and has a job for {@code dependent} too: that transaction decides what
     * becomes of the dependent (a restart's start half, or its own stop), so binds-to propagation does not
     * stop it behind the plan's back. (A restarted unit bound without ordering may be up again before the
     * unit it binds to has finished stopping.)
     */
    private boolean leftToTransaction(String unit, String dependent) {
        for (Tx t : running) {
            boolean stopped = false, planned = false;
            for (JobRun o : t.jobs) {
                if (o.unit.equals(unit) && o.type == JobType.STOP && o.started != null) stopped = true;
                if (o.unit.equals(dependent)) planned = true;
            }
            if (stopped && planned) return true;
        }
        return false;
    }

    /** A request the manager makes itself (runtime propagation); {@code origin} is why, for {@code why}. */
    private void internal(Request.Verb verb, List<String> names, String origin) {
        loop.execute(() -> {
            try {
                submit(new Request(verb, names, JobMode.REPLACE, false), false).origin = origin;
            } catch (Refused e) {
                // a propagated stop or on-failure start that cannot be planned is reported as an event-free no-op;
                // the reason is kept for `why`
                for (String n : names) causes.put(n, "propagated " + verb.word() + " refused: " + e.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- direct operations

    /** Sends a signal to every process of a service; false when it has none. */
    public boolean kill(String name, int signal) {
        ServiceDriver d = drivers.get(name);
        if (d == null || d.pids().isEmpty()) return false;
        d.kill(signal);
        return true;
    }

    /** Clears failed state (and start-limit counters); all failed units when {@code names} is empty. */
    public void resetFailed(List<String> names) {
        List<String> which = names.isEmpty() ? failedUnits() : names;
        for (String n : which) {
            UnitSnapshot o = own.get(n);
            if (o != null && o.active() == ActiveState.FAILED) {
                own.put(n, new UnitSnapshot(n, ActiveState.INACTIVE, SubState.DEAD, o.result(), o.resultDetail(), null,
                        loop.now(), null));
                emit(n, own.get(n));
            }
            ServiceDriver d = drivers.get(n);
            if (d != null) d.resetFailed();
        }
    }
}
