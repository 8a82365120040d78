package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.graph.Resolver;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's facade for the daemon: requests in, snapshots and records out. Every method must be
 * called on the {@link Loop} thread (the daemon posts client requests there); drivers report on the
 * same thread, so no state here is ever shared between threads.
 *
 * <p>Behind it: the {@link UnitTable} (the one owner of unit runtime state), the {@link Executor}
 * (plans run on a worklist), the {@link StartGate}, {@link Propagation} (runtime reactions read from
 * the behaviour table) and the {@link History}. Every entry goes through the {@link Worklist}: a driver
 * that reports while the engine is on the stack is queued and handled after the current call
 * returns, never re-entrantly.
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

    /** How many finished transitions are kept for {@code analyze}. */
    public static final int TRANSITIONS_KEPT = 32;

    private final Loop loop;
    private final ServiceDriver.Factory factory;
    private final Worklist worklist;
    private final History history;
    private final UnitTable table;
    private final Executor executor;
    private final Propagation propagation;
    private final long bootNanos;
    private TimerStore timerStore = TimerStore.inMemory();
    private java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    private java.util.random.RandomGenerator random = new java.util.Random();
    /** The timers of each service they start (rebuilt with the units). */
    /** The timer, path and socket units of each service they act on, by name (rebuilt with the units). */
    private Map<String, List<UnitTrigger>> triggersByService = Map.of();
    private PathWatcher pathWatcher = PathWatcher.NONE;
    private SocketPort socketPort = SocketPort.NONE;
    private final FileProbe files;
    /** The boot transaction's outcome, null when there was no boot (only the future: the finished transaction and its jobs are not kept). */
    private CompletableFuture<Outcome> bootTx;
    private boolean bootDone;
    /** Set by {@link #expectBoot} until {@link #boot} runs. */
    private CompletableFuture<Object> bootPending;
    private boolean stopping;

    /** A manager whose conditions look at the host's file system ({@link FileProbe#REAL}). */
    public Manager(Loop loop, UnitSet units, Set<String> disabled, Set<String> masked,
                   ServiceDriver.Factory factory, Map<String, String> environment) {
        this(loop, units, disabled, masked, factory, environment, FileProbe.REAL);
    }

    /** A manager whose conditions on paths are decided by {@code files} (a fake in tests and simulations). */
    public Manager(Loop loop, UnitSet units, Set<String> disabled, Set<String> masked,
                   ServiceDriver.Factory factory, Map<String, String> environment, FileProbe files) {
        this.loop = loop;
        this.files = files;
        this.bootNanos = loop.nanos();
        this.worklist = new Worklist(loop);
        this.factory = factory;
        this.history = new History(loop, worklist);
        this.table = new UnitTable(loop, history, masked);
        this.executor = new Executor(loop, table, history, worklist, new StartGate(table, environment, files));
        this.propagation = new Propagation(table, executor, this::internal);
        worklist.handlers(this::onServiceChange, executor::run);
        worklist.enter();
        try {
            setUnits(units, disabled);
        } finally {
            worklist.leave();
        }
    }

    public void addObserver(Observer o) { history.addObserver(o); }

    public EventLog events() { return history.events(); }

    public UnitSet units() { return table.units(); }

    public DependencyGraph graph() { return table.graph(); }

    public Set<String> masked() { return table.masked(); }

    public Set<String> disabled() { return table.disabled(); }

    // ---------------------------------------------------------------- units

    private void setUnits(UnitSet next, Set<String> disabledNow) {
        table.setUnits(next, disabledNow, u -> {
            String name = u.name();
            ServiceDriver.Listener l = (before, after) -> reported(name, before, after);
            return switch (u.type()) {
                case TIMER -> new TimerDriver(u, loop, timerHost, l);
                case PATH -> new PathDriver(u, loop, pathHost, l);
                case SOCKET -> new SocketDriver(u, loop, socketHost, l);
                default -> factory.create(u, l);
            };
        });
        Map<String, List<UnitTrigger>> by = new java.util.HashMap<>();
        for (UnitRuntime r : table.services()) { // in name order
            if (r.driver instanceof UnitTrigger t) by.computeIfAbsent(t.service(), k -> new ArrayList<>()).add(t);
        }
        triggersByService = by;
    }

    // ---------------------------------------------------------------- socket units

    private final SocketDriver.Host socketHost = new SocketDriver.Host() {
        @Override
        public void activate(String unit, String service) {
            internal(Request.Verb.START, List.of(service), "a connection on " + unit);
        }

        @Override
        public UnitSnapshot state(String unit) { return snapshot(unit); }

        @Override
        public SocketPort port() { return socketPort; }
    };

    /** How sockets are bound (the daemon's); before the first start. */
    public void setSocketPort(SocketPort p) { this.socketPort = p; }

    /** The sockets a service gets (sd_listen_fds), from its active socket units in name order. */
    public record ListenFds(List<Integer> fds, List<String> names) {}

    /** The sockets {@code service} gets at its next spawn, or null when no socket unit of it is listening. */
    public ListenFds listenFds(String service) {
        List<Integer> fds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (UnitTrigger t : triggersByService.getOrDefault(service, List.of())) {
            if (!(t instanceof SocketDriver d) || d.bound() == null) continue;
            fds.addAll(d.bound().fds());
            names.addAll(d.names());
        }
        return fds.isEmpty() ? null : new ListenFds(fds, names);
    }

    /** One socket as {@code list-sockets} shows it. */
    public record SocketView(String listen, String unit, String activates, long activations) {}

    /** Every listening socket, by address. */
    public List<SocketView> sockets() {
        List<SocketView> out = new ArrayList<>();
        for (UnitRuntime r : table.services()) {
            if (r.driver instanceof SocketDriver d && d.bound() != null) {
                for (String a : d.bound().addresses()) out.add(new SocketView(a, r.name, d.service(), d.activations()));
            }
        }
        out.sort(java.util.Comparator.comparing(SocketView::listen));
        return out;
    }

    // ---------------------------------------------------------------- path units

    private final PathDriver.Host pathHost = new PathDriver.Host() {
        @Override
        public void act(String unit, String service, dev.svcmgr.units.PathConfig.Action action) {
            UnitSnapshot s = snapshot(service);
            boolean up = s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING;
            Request.Verb verb = switch (action) {
                case START -> Request.Verb.START;
                case RESTART -> Request.Verb.RESTART;
                case RELOAD -> up ? Request.Verb.RELOAD : Request.Verb.START;
            };
            internal(verb, List.of(service), "path unit " + unit + " saw a change");
        }

        @Override
        public UnitSnapshot state(String unit) { return snapshot(unit); }

        @Override
        public PathWatcher watcher() { return pathWatcher; }

        @Override
        public FileProbe files() { return files; }
    };

    /** The watcher path units use (the daemon's inotify); before the first start. */
    public void setPathWatcher(PathWatcher w) { this.pathWatcher = w; }

    // ---------------------------------------------------------------- timers

    private final TimerDriver.Host timerHost = new TimerDriver.Host() {
        @Override
        public void elapse(String timer, String service) {
            internal(Request.Verb.START, List.of(service), "timer " + timer + " elapsed");
        }

        @Override
        public UnitSnapshot state(String unit) { return snapshot(unit); }

        @Override
        public long bootNanos() { return bootNanos; }

        @Override
        public java.time.ZoneId zone() { return zone; }

        @Override
        public TimerStore store() { return timerStore; }

        @Override
        public java.time.Duration random(java.time.Duration bound) {
            if (bound == null || bound.isZero() || bound.isNegative()) return java.time.Duration.ZERO;
            return java.time.Duration.ofMillis(random.nextLong(bound.toMillis() + 1));
        }
    };

    /** Where timers keep their last trigger (the daemon's state directory); before the first start. */
    public void setTimerStore(TimerStore store) { this.timerStore = store; }

    /** The zone calendar events are read in (default: the host's). */
    public void setZone(java.time.ZoneId zone) { this.zone = zone; }

    /** The source of {@code randomized-delay} (a seeded one in tests). */
    public void setRandom(java.util.random.RandomGenerator random) { this.random = random; }

    /** One timer as {@code list-timers} shows it. */
    public record TimerView(String unit, String activates, java.time.Instant next, java.time.Instant last) {}

    /** Every loaded timer, by name: its service, next elapse (null when none is due) and last trigger. */
    public List<TimerView> timers() {
        List<TimerView> out = new ArrayList<>();
        for (UnitRuntime r : table.services()) {
            if (r.driver instanceof TimerDriver t) out.add(new TimerView(r.name, t.service(), t.next(), t.last()));
        }
        return out;
    }

    /**
     * Replaces the unit definitions (daemon-reload): running services keep running. A service
     * still up whose file is gone keeps its old definition (so it can be stopped as usual) and
     * leaves the unit list once it has stopped.
     */
    public void reload(UnitSet next) {
        worklist.enter();
        try {
            setUnits(table.keepRunning(next), table.disabled());
            table.dropGone();
        } finally {
            worklist.leave();
        }
    }

    /** Adds a transient unit ({@code svcmgr run}); it leaves the unit list once it has ended. */
    public void addTransient(Unit u) {
        worklist.enter();
        try {
            table.at(u.name()).transientUnit = true;
            setUnits(table.units().with(u), table.disabled());
        } finally {
            worklist.leave();
        }
    }

    public boolean isTransient(String name) {
        UnitRuntime r = table.get(name);
        return r != null && r.transientUnit;
    }

    private void removeTransient(String name) {
        UnitRuntime r = table.get(name);
        if (r == null || r.current != null || r.driver == null || !r.transientUnit) return;
        ActiveState a = r.driver.snapshot().active();
        if (a != ActiveState.INACTIVE && a != ActiveState.FAILED) return;
        worklist.enter();
        try {
            table.forget(r);
            setUnits(table.units().without(name), table.disabled());
            history.transientRemoved(name);
        } finally {
            worklist.leave();
        }
    }

    /** Changes the disabled set (enable/disable) and rebuilds the graph. */
    public void setDisabled(Set<String> nowDisabled) {
        worklist.enter();
        try {
            setUnits(table.units(), nowDisabled);
        } finally {
            worklist.leave();
        }
    }

    public void setMasked(Set<String> nowMasked) { table.setMasked(nowMasked); }

    /** Every unit name known: loaded units, and services still running from an older definition. */
    public List<String> unitNames() { return table.names(); }

    /** The unit's definition: loaded one, else the one its driver runs, else a not-found stand-in. */
    public Unit unit(String name) { return table.definition(name); }

    /** The definition the unit was last started with (differs from {@link #unit} after a daemon-reload that changed it). */
    public Unit startedWith(String name) {
        UnitRuntime r = table.get(name);
        return r == null ? null : r.startedWith;
    }

    public ServiceDriver driver(String name) { return table.driver(name); }

    // ---------------------------------------------------------------- state

    /** The unit's current state, with {@code sub: waiting} while a job waits for its turn. */
    public UnitSnapshot snapshot(String name) { return table.snapshot(name); }

    public ActiveState active(String name) { return snapshot(name).active(); }

    /**
     * Re-adoption after a manager restart: a unit without a driver (a target, a unit that failed a
     * dependency or was skipped) was in this state under the former manager; services bring their
     * own state from their drivers. Also records the definition active services run.
     */
    public void restore(String unit, ActiveState a, SubState sub, Result r, String detail, String failedDependency,
                        String cause) {
        if (table.units().lookup(unit) == null) return;
        UnitRuntime rec = table.at(unit);
        if (cause != null) rec.cause = cause;
        ServiceDriver d = rec.driver;
        if (d instanceof UnitTrigger) {
            if (a == ActiveState.ACTIVE) {
                worklist.enter();
                try {
                    d.start(); // re-armed: a timer from the new manager's clocks, a path unit watching again
                } finally {
                    worklist.leave();
                }
            }
            return;
        }
        if (d != null) {
            ActiveState now = d.snapshot().active();
            if (now != ActiveState.INACTIVE) rec.startedWith = table.units().lookup(unit);
            // a dependency failure or skip recorded by the engine itself stays (the driver knows nothing of it)
            if (now == ActiveState.INACTIVE && (r == Result.DEPENDENCY || r == Result.CONDITION)) {
                rec.own = new UnitSnapshot(unit, a, sub, r, detail, null, loop.now(), null, failedDependency, null);
            }
            return;
        }
        if (a == ActiveState.INACTIVE && r == null) return;
        rec.own = new UnitSnapshot(unit, a, sub, r, detail, null, loop.now(), null, failedDependency, null);
    }

    /** Why the unit is in its state (the request and chain that put it there), or null. */
    public String cause(String name) {
        UnitRuntime r = table.get(name);
        return r == null ? null : r.cause;
    }

    /** {@code starting}, {@code running}, {@code degraded} or {@code stopping}. */
    public String systemState() {
        if (stopping) return "stopping";
        if (bootPending != null || bootTx != null && !bootDone) return "starting";
        return failedUnits().isEmpty() ? "running" : "degraded";
    }

    public List<String> failedUnits() {
        List<String> out = new ArrayList<>();
        for (String n : unitNames()) if (snapshot(n).active() == ActiveState.FAILED) out.add(n);
        return out;
    }

    /** Jobs not yet finished, over all transactions. */
    public int jobCount() { return executor.jobCount(); }

    /** A job not finished: its number, unit, type and whether it runs (else it waits). */
    public record QueuedJob(long id, String unit, dev.svcmgr.graph.JobType type, boolean running) {}

    /** The jobs not finished, oldest first ({@code list-jobs}). */
    public List<QueuedJob> jobs() { return executor.jobs(); }

    public boolean bootFinished() { return bootPending == null && (bootTx == null || bootDone); }

    /** Completes when the boot transaction has finished (at once when there is none and none is expected). */
    public CompletableFuture<?> bootDone() {
        if (bootPending != null) return bootPending;
        return bootTx == null ? CompletableFuture.completedFuture(null) : bootTx;
    }

    /**
     * A boot is coming ({@link #boot} follows): until it has ended the system is {@code starting} and
     * {@link #bootDone} waits for it. The daemon says so before it answers its first request, so that
     * {@code is-system-running --wait} never answers "running" in the moment before the boot is queued.
     */
    public void expectBoot() {
        if (bootTx == null && bootPending == null) bootPending = new CompletableFuture<>();
    }

    public List<TransitionRecord> transitions() { return history.transitions(); }

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
    public PlanInput planInput() {
        return new PlanInput(table.units(), table.graph(), table.disabled(), table.states(), table.masked());
    }

    /** An immutable copy of what resolving a request reads (see {@link #planInput}). */
    public record PlanInput(UnitSet units, DependencyGraph graph, Set<String> disabled, Map<String, ActiveState> states,
                            Set<String> masked) {
        /** The plan or rejection for {@code r}; instances it names are made for this answer only. Any thread. */
        public Resolution plan(Request r) {
            UnitSet next = withInstances(units, r.units());
            DependencyGraph g = next == units ? graph : DependencyGraph.build(next, disabled);
            return Resolver.resolve(g, states, masked, r);
        }
    }

    /** {@code units} plus the template instances among {@code names} that it does not hold yet. */
    private static UnitSet withInstances(UnitSet units, List<String> names) {
        UnitSet next = units;
        for (String n : names) {
            if (next.units().containsKey(next.canonical(n))) continue;
            Unit u = next.lookup(n);
            if (u != null && u.load() != LoadState.NOT_FOUND) next = next.with(u);
        }
        return next;
    }

    /** Starts the boot transaction ({@code start target}). */
    public CompletableFuture<Outcome> boot(String target) throws Refused {
        CompletableFuture<Object> pending = bootPending;
        bootPending = null;
        worklist.enter();
        try {
            Transaction t = accept(new Request(Request.Verb.START, List.of(target), JobMode.REPLACE, false), true, null);
            bootTx = t.done;
            if (t.remaining == 0) bootDone = true;
            t.done.whenComplete((o, x) -> {
                bootDone = true;
                if (pending != null) pending.complete(null);
            });
            return t.done;
        } catch (Refused | RuntimeException e) {
            if (pending != null) pending.complete(null); // no boot after all: nothing to wait for
            throw e;
        } finally {
            worklist.leave();
        }
    }

    /** Accepts a request: resolves it, merges it with running transactions and starts its jobs. */
    public CompletableFuture<Outcome> submit(Request r) throws Refused {
        worklist.enter();
        try {
            return accept(r, false, null).done;
        } finally {
            worklist.leave();
        }
    }

    /**
     * Resolves a request against the current states and hands the plan to the executor; template
     * instances it names join the unit set and the graph first ({@code start getty@tty9}).
     */
    private Transaction accept(Request r, boolean boot, String origin) throws Refused {
        UnitSet next = withInstances(table.units(), r.units());
        if (next != table.units()) setUnits(next, table.disabled());
        Resolution res = Resolver.resolve(table.graph(), table.states(), table.masked(), r);
        if (res instanceof Rejection rej) throw new Refused(rej);
        Plan plan = (Plan) res;
        if (r.mode() == JobMode.FAIL) {
            Rejection busy = executor.conflictInFailMode(plan);
            if (busy != null) throw new Refused(busy);
        }
        return executor.submit(r, boot, plan, origin);
    }

    /**
     * Stops every unit in order: isolate to {@code target} (when it exists) with
     * {@code ignore-on-isolate} units included, then stop whatever is still up.
     */
    public CompletableFuture<Outcome> shutdown(String target) {
        stopping = true;
        CompletableFuture<Outcome> all = new CompletableFuture<>();
        CompletableFuture<Outcome> first;
        Unit t = target == null ? null : table.units().lookup(target);
        if (t != null && t.isLoaded()) {
            try {
                first = submit(new Request(Request.Verb.ISOLATE, List.of(table.units().canonical(target)), JobMode.REPLACE, true));
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
        worklist.enter();
        try {
            submit(new Request(Request.Verb.STOP, up, JobMode.REPLACE, true)).whenComplete((o, x) -> all.complete(o));
        } catch (Refused e) {
            // stopping cannot be refused for lack of units; stop each service directly as a last resort
            for (String n : up) {
                ServiceDriver d = table.driver(n);
                if (d != null) d.stop();
            }
            all.complete(isolateOutcome);
        } finally {
            worklist.leave();
        }
    }

    /** True while a shutdown is under way. */
    public boolean isStopping() { return stopping; }

    /** A request the engine makes itself (runtime propagation), run on a later turn of the loop. */
    private void internal(Request.Verb verb, List<String> names, String origin) {
        loop.execute(() -> {
            worklist.enter();
            try {
                accept(new Request(verb, names, JobMode.REPLACE, false), false, origin);
            } catch (Refused e) {
                // a propagated stop or on-failure start that cannot be planned is reported as an event-free no-op;
                // the reason is kept for `why`
                for (String n : names) table.at(n).cause = "propagated " + verb.word() + " refused: " + e.getMessage();
            } finally {
                worklist.leave();
            }
        });
    }

    // ---------------------------------------------------------------- driver reports

    /** A driver's listener: queued; handled now when the engine is idle, else once the current call returns. */
    private void reported(String name, UnitSnapshot before, UnitSnapshot after) {
        UnitRuntime r = table.get(name);
        boolean quiet = r != null && r.acting != null && r.acting.clearing;
        worklist.change(new Worklist.Change(name, before, after, quiet));
    }

    private void onServiceChange(Worklist.Change c) {
        String name = c.unit();
        UnitSnapshot after = c.after();
        UnitRuntime r = table.at(name);
        r.own = null; // a condition skip or dependency failure is superseded by real activity
        history.emit(r, after);
        JobRun j = r.acting;
        if (j != null && j.phase == JobRun.Phase.RUNNING && !c.quiet()) executor.progress(j, after);
        if (!stopping) propagation.changed(name, c.before(), after);
        for (UnitTrigger t : triggersByService.getOrDefault(name, List.of())) t.serviceChanged(c.before(), after);
        if (r.transientUnit && (after.active() == ActiveState.INACTIVE || after.active() == ActiveState.FAILED)
                && after.sub() != SubState.AUTO_RESTART) {
            loop.execute(() -> removeTransient(name));
        }
    }

    // ---------------------------------------------------------------- direct operations

    /** Sends a signal to every process of a service; false when it has none. */
    public boolean kill(String name, int signal) {
        ServiceDriver d = table.driver(name);
        if (d == null || d.pids().isEmpty()) return false;
        worklist.enter();
        try {
            d.kill(signal);
        } finally {
            worklist.leave();
        }
        return true;
    }

    /** Clears failed state (and start-limit counters); all failed units when {@code names} is empty. */
    public void resetFailed(List<String> names) {
        List<String> which = names.isEmpty() ? failedUnits() : names;
        worklist.enter();
        try {
            for (String n : which) {
                UnitRuntime r = table.get(n);
                UnitSnapshot o = r == null ? null : r.own;
                if (o != null && o.active() == ActiveState.FAILED) {
                    r.own = new UnitSnapshot(n, ActiveState.INACTIVE, SubState.DEAD, o.result(), o.resultDetail(), null,
                            loop.now(), null, o.failedDependency(), null);
                    history.emit(r, r.own);
                }
                if (r != null && r.driver != null) r.driver.resetFailed();
            }
        } finally {
            worklist.leave();
        }
    }
}
