package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.log.LogSink;
import dev.svcmgr.core.os.ExitStatus;
import dev.svcmgr.core.os.OutputChannel;
import dev.svcmgr.core.os.Sandboxing;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.supervise.Transitions.Action;
import dev.svcmgr.core.supervise.Transitions.Event;
import dev.svcmgr.core.supervise.Transitions.State;
import dev.svcmgr.core.supervise.notify.NotifyMessage;
import dev.svcmgr.core.supervise.notify.NotifyPort;
import dev.svcmgr.core.supervise.readiness.ReadinessCheck;
import dev.svcmgr.core.supervise.readiness.ReadinessChecks;
import dev.svcmgr.core.supervise.readiness.ReadinessContext;
import dev.svcmgr.core.supervise.readiness.ReadinessPort;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.Unit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Supervises one service: runs its commands, tracks every process, applies
 * the restart policy, and publishes {@link UnitSnapshot}s.
 *
 * <p>All methods run on the {@link Loop} thread; the reaper and the
 * timers post events back to it. Each event goes through {@link Transitions}:
 * the table says which action a (state, event) pair takes, and the actions
 * below are the only code that changes state.
 *
 * <p>At most two of the service's processes are known by PID at a time: the
 * main process and one control process (an exec-start-pre, exec-start-post,
 * exec-stop or exec-reload command, or a readiness probe). Everything else is
 * found through the service's {@link ServiceGroup}. A service reaches
 * inactive or failed only when the group is empty and both PIDs have been
 * reaped.
 *
 * <p>Restarts: after a failure (or any exit with {@code restart: always}) the
 * service waits in auto-restart until {@code last start + min(restart-delay x
 * 2^(failures-1), restart-max-delay)} (+-10% jitter); {@code failures} starts
 * again at 1 after {@code restart-reset-after} of ready uptime. More starts
 * than {@code start-limit.burst} within {@code start-limit.interval} put the
 * service in failed with result {@code start-limit} until {@link #resetFailed()}.
 * A result {@code exec} (the program could not be started) is never retried
 * automatically: trying again cannot help until someone changes something.
 */
public final class ServiceSupervisor {

    /** Told of every state change, on the loop thread. */
    public interface Listener {
        void onChange(UnitSnapshot before, UnitSnapshot after);
    }

    private static final int KEEP_FAILURES = 10;

    private final SupervisorContext ctx;
    private final Loop loop;
    private final Listener listener;
    private Unit unit;
    private Unit running;
    private ServiceConfig cfg;

    private State state = State.DEAD;
    private Result result;
    private String detail;
    private Instant since;
    private UnitSnapshot published;

    private Integer mainPid;
    private Integer controlPid;
    private String controlWhat;
    private ServiceGroup group;
    private LogFile log;
    /** The service's output FIFOs (null until the first start, or when they could not be made: then pipes). */
    private OutputChannel output;
    private LogSink sink;
    private ServiceRecords.Rec persisted;
    private final List<String> warnings = new ArrayList<>();

    // readiness protocols, watchdog, limits, sandbox (docs/readiness-limits.md)
    private NotifyPort notifyHub;
    private final NotifyPort.Target notifyTarget = new NotifyPort.Target() {
        @Override
        public boolean owns(NotifyMessage m) { return ownsSender(m); }

        @Override
        public void notified(NotifyMessage m) { onNotify(m); }
    };
    /** What the last SPAWN_FAILED was about ({@code exec-stop}, ...). */
    private String spawnWhat;
    private String statusText;
    /** The run's readiness check, and a forking service's daemon search (null when none). */
    private ReadinessCheck check;
    private ReadinessCheck forking;
    private final ReadinessContext readinessContext = new ReadinessContext() {
        @Override
        public Loop loop() { return loop; }

        @Override
        public String unit() { return running.name(); }

        @Override
        public ReadinessPort port() { return ctx.readiness(); }

        @Override
        public void runProbe(List<String> argv) throws SpawnException {
            runControlKeepTimer("readiness probe", SpawnRequest.Role.PROBE, argv);
        }

        @Override
        public List<Integer> groupPids() { return group == null ? List.of() : group.pids(); }

        @Override
        public boolean alive(int pid) { return ctx.os().alive(pid); }
    };

    /** Hands what one check finds to the table, as long as that check is the run's. */
    private final class CheckListener implements ReadinessCheck.Listener {
        ReadinessCheck owner;

        private boolean current() { return owner != null && (owner == check || owner == forking); }

        @Override
        public void ready() {
            if (current()) dispatch(Event.READY);
        }

        @Override
        public void foundMain(int pid) {
            if (current()) adoptMain(pid);
        }

        @Override
        public void failed(String detail) {
            if (current()) dispatch(Event.SPAWN_FAILED, 0, detail);
        }
    }
    private Sandboxing.Plan sandboxPlan;
    private long lastWatchdogNanos;
    private Loop.Cancellable watchdogTimer;
    private long oomBaseline;
    private boolean notifyReload;

    private Loop.Cancellable timer;
    private Loop.Cancellable poll;
    private long pollDelayMs;
    private long runId;

    private final RestartBudget budget = new RestartBudget();
    private boolean autoStart;
    private boolean explicitStop;
    private boolean pendingStart;
    private boolean killedAfterTimeout;
    private int stepIndex;
    private ExitStatus lastExit;
    private boolean mainExeced;
    private final Deque<Failure> failureLog = new ArrayDeque<>();

    public ServiceSupervisor(Unit unit, SupervisorContext ctx, Listener listener) {
        this.unit = unit;
        this.ctx = ctx;
        this.loop = ctx.loop();
        this.listener = listener;
        this.since = loop.now();
        this.published = UnitSnapshot.initial(unit.name(), since);
    }

    // ---- public API (loop thread only) ----

    /** From inactive, failed or auto-restart: starts the service (see the class comment for the phases). */
    public void start() {
        autoStart = false;
        if (state == State.FAILED && budget.limitHit()) {
            // refused until reset-failed; reported again so that the caller sees the answer
            UnitSnapshot s = snapshot();
            listener.onChange(s, s);
            return;
        }
        dispatch(Event.START);
    }

    /** Stops the service: exec-stop, then stop-signal, then SIGKILL, until no process is left. */
    public void stop() {
        pendingStart = false;
        dispatch(Event.STOP);
    }

    /** Stop then start; from inactive, failed or auto-restart it is a start. */
    public void restart() {
        switch (state) {
            case DEAD, FAILED, AUTO_RESTART -> start();
            default -> {
                dispatch(Event.STOP);
                pendingStart = true;
                if (state == State.DEAD) {
                    pendingStart = false;
                    start();
                }
            }
        }
    }

    /** Runs exec-reload (with {@code $MAINPID}) while running; nothing when the unit has none. */
    public void reload() { dispatch(Event.RELOAD); }

    /** Sends {@code signal} to every process of the service. */
    public void kill(int signal) {
        // exactly once to each process: the group's processes plus the main and control PIDs (a process
        // may not have joined its cgroup yet), each PID signalled one time (a double SIGHUP reloads twice)
        java.util.LinkedHashSet<Integer> all = new java.util.LinkedHashSet<>();
        if (mainPid != null) all.add(mainPid);
        if (controlPid != null) all.add(controlPid);
        if (group != null) all.addAll(group.pids());
        for (int p : all) ctx.os().kill(p, signal);
    }

    /**
     * Takes over the service as a former manager left it (after {@code daemon-reexec}, or a manager
     * that was killed): its processes keep running, untouched; its state, result, restart count and
     * failures come back. Call once, right after construction, on the loop; nothing is published
     * synchronously (follow-ups are posted to the loop). The rules, by the recorded state:
     * <ul>
     * <li>up or starting, main process alive (same PID and start time): running, watched again;</li>
     * <li>up or starting, main process gone: it exited while no manager ran: a failure with result
     *     {@code exit-code}, handled by the restart policy (what is left of it is stopped first);</li>
     * <li>up without a main PID (forking without one, remain-after-exit): running while its group is not empty;</li>
     * <li>running exec-start-pre: what is left is stopped and the start begins again;</li>
     * <li>stopping: the stop goes on; waiting to restart: the restart is scheduled again;</li>
     * <li>inactive or failed: kept, and anything left in its group is killed.</li>
     * </ul>
     */
    public void restore(ServiceRecords.Rec rec) {
        State was;
        try {
            was = State.valueOf(rec.state());
        } catch (IllegalArgumentException e) {
            return;
        }
        running = unit;
        cfg = running.service();
        if (cfg == null) return;
        result = Result.of(rec.result());
        detail = rec.detail();
        statusText = rec.statusText();
        since = rec.since();
        failureLog.clear();
        failureLog.addAll(rec.failureLog());
        Integer main = rec.mainPid();
        // alive and the same process (start time), or a child of this process (after a re-execution) that
        // ended meanwhile: its exact status waits in the reaper and reaches us through adopt()
        boolean mainAlive = main != null && (ctx.os().endedUnclaimed(main) || ctx.os().alive(main)
                && (rec.mainStart() < 0 || ctx.os().startTime(main) == rec.mainStart()));
        List<Integer> known = new ArrayList<>();
        if (mainAlive) known.add(main);
        if (rec.controlPid() != null && ctx.os().alive(rec.controlPid())) known.add(rec.controlPid());
        group = ctx.os().existingGroup(running.name(), cfg.limits().memory(), cfg.limits().cpuPercent(), cfg.limits().pids(),
                warnings, known);
        if (mainAlive && rec.mainStart() < 0 && !ctx.os().endedUnclaimed(main) && !group.pids().contains(main)) {
            mainAlive = false; // start time unknown and not in the service's group: maybe another process with that PID
        }
        if ((was == State.DEAD || was == State.FAILED || was == State.AUTO_RESTART) && !group.isEmpty()) {
            // the record is older than the truth: the manager died right after a start it had not written yet
            Integer root = ctx.os().leftoverRoot(running.name());
            was = State.RUNNING;
            main = root;
            mainAlive = root != null;
        }
        oomBaseline = group.usage().oomKills();
        String noOutput = openOutput();
        if (noOutput != null) warnings.add(noOutput.replace("Stage: opening its output / Error: ", "output not read: "));
        long now = loop.nanos();
        budget.restore(rec.restarts(), rec.failures(), rec.startLimitHit(), now);
        runId++;
        long id = runId;
        state = was;
        switch (was) {
            case DEAD, FAILED -> {
                if (!group.isEmpty()) group.killAll();
                releaseGroup();
                releaseOutput(); // what it wrote before it ended still reaches the log
            }
            case EXITED -> { }
            case AUTO_RESTART -> {
                state = State.AUTO_RESTART;
                budget.uncountLastFailure(); // scheduleRestart counts this failure again
                loop.execute(() -> {
                    if (runId == id && state == State.AUTO_RESTART) {
                        budget.startedLongAgo(loop.nanos()); // no extra wait
                        scheduleRestart();
                        publish();
                    }
                });
            }
            case STOP, STOP_SIGTERM, STOP_SIGKILL -> {
                state = State.STOP_SIGTERM;
                explicitStop = true;
                loop.execute(() -> {
                    if (runId != id) return;
                    explicitStop = true;
                    cleanupThenSettle();
                    publish();
                });
            }
            case START_PRE -> {
                state = State.DEAD;
                loop.execute(() -> {
                    if (runId != id) return;
                    if (!group.isEmpty()) group.killAll();
                    start();
                });
            }
            case START_POST -> {
                if (cfg.type() == ServiceType.ONESHOT) {
                    // its main process had ended well; only the post commands were left: done
                    state = cfg.remainAfterExit() ? State.EXITED : State.DEAD;
                    result = Result.SUCCESS;
                    if (state == State.DEAD) releaseOutput();
                } else {
                    restoreRunning(was, main, mainAlive, now, id);
                }
            }
            default -> restoreRunning(was, main, mainAlive, now, id); // START, RUNNING, RELOAD
        }
        published = snapshot();
        persisted = null;
        persist();
    }

    /** {@link #restore} of a service that was up or starting. */
    private void restoreRunning(State was, Integer main, boolean mainAlive, long now, long id) {
        boolean oneshot = cfg.type() == ServiceType.ONESHOT;
        state = oneshot && was == State.START && mainAlive ? State.START : State.RUNNING;
        mainExeced = true;
        budget.ready(now);
        if (mainAlive) {
            mainPid = main;
            if (!ctx.os().adopt(main, (p, st) -> loop.execute(() -> exited(id, p, st)))) mainAlive = false;
        }
        if (cfg.ready() != null && cfg.ready().kind() == Readiness.Kind.NOTIFY || cfg.watchdog() != null && !cfg.watchdog().isZero()) {
            try {
                notifyHub = ctx.notifyPort();
                notifyHub.register(notifyTarget);
            } catch (java.io.IOException e) {
                notifyHub = null;
                warnings.add("notify socket not reopened: " + e.getMessage());
            }
        }
        if (mainAlive) {
            lastWatchdogNanos = now;
            armWatchdog();
        } else if (main != null || !oneshot && group.isEmpty()) {
            mainPid = null;
            loop.execute(() -> {
                if (runId != id) return;
                lastExit = ExitStatus.UNKNOWN;
                budget.startedLongAgo(loop.nanos()); // no extra wait
                fail(Result.EXIT_CODE, "exited while no manager ran");
                publish();
            });
        } else if (!oneshot) {
            watchForEmpty(500); // up without a main PID (forking without one): running while its group is not empty
        } else {
            state = cfg.remainAfterExit() ? State.EXITED : State.DEAD;
            if (state == State.DEAD) releaseOutput();
        }
    }

    /** failed -> inactive; start-limit and backoff counters cleared. */
    public void resetFailed() { dispatch(Event.RESET_FAILED); }

    /** A new definition, used from the next start. */
    public void setUnit(Unit u) { this.unit = u; }

    /** The latest definition. */
    public Unit unit() { return unit; }

    /** The current state. */
    public UnitSnapshot snapshot() {
        return new UnitSnapshot(unit.name(), state.active, state.sub, result, detail, mainPid, since, statusText);
    }

    /** Every live process of the service, sorted. */
    public List<Integer> pids() {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
        if (group != null) all.addAll(group.pids());
        // a process just spawned may not have joined its cgroup yet
        if (mainPid != null && ctx.os().alive(mainPid)) all.add(mainPid);
        if (controlPid != null && ctx.os().alive(controlPid)) all.add(controlPid);
        return List.copyOf(all);
    }

    /** The last failures, oldest first (at most ten). */
    public List<Failure> failures() { return List.copyOf(failureLog); }

    /** How often the service was restarted automatically. */
    public int restarts() { return budget.restarts(); }

    /** Settings of the current run that could not be applied (limits, sandbox). */
    public List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        String lp = logProblem();
        if (lp != null) all.add(lp);
        return all;
    }

    /** Why the log is incomplete (cannot be written now, or lines were lost before), or null. Any thread. */
    public String logProblem() {
        LogFile l = log;
        if (l == null) return null;
        String p = l.problem();
        long lost = l.lostLines();
        if (p != null) return "log not written: " + p + " (" + lost + " lines lost so far)";
        if (lost > 0) return "log: " + lost + " lines were lost while it could not be written";
        return null;
    }

    /** The machine state, for tests and {@code why}. */
    public State state() { return state; }

    /** How the service's processes are tracked, or null when it has no group. */
    public String tracking() { return group == null ? null : group.describe(); }

    // ---- the machine ----

    private Action dispatch(Event e) { return dispatch(e, 0, null); }

    /** Handles {@code e} (with its number and detail, see {@link Event}) as the table says, then publishes. */
    private Action dispatch(Event e, long value, String eventDetail) {
        Action a = step(e, value, eventDetail);
        publish();
        return a;
    }

    /** The action for {@code e} in the current state; the only place that decides (actions publish as they enter states). */
    private Action step(Event e, long value, String eventDetail) {
        Action a = Transitions.action(state, e);
        switch (a) {
            case IGNORE -> { }
            case BEGIN_START -> beginStart();
            case QUEUE_START -> pendingStart = true;
            case BEGIN_STOP -> beginStop();
            case MARK_STOP -> explicitStop = true;
            case CANCEL_RESTART -> {
                explicitStop = false;
                releaseGroup();
                enter(State.DEAD);
            }
            case BEGIN_RELOAD -> beginReload();
            case RELOAD_DONE -> reloadDone(e, eventDetail);
            case RESET -> {
                clearCounters();
                enter(State.DEAD);
            }
            case CLEAR_COUNTERS -> clearCounters();
            case NEXT_STEP -> nextStep();
            case PROBE_AGAIN, PROBE_PASSED -> {
                if (check != null) check.probeExited(a == Action.PROBE_PASSED);
            }
            case MAIN_DONE -> mainDone();
            case STARTED -> started();
            case FAIL -> {
                if (!failedBeforeExec()) fail(exitResult(lastExit), failDetail());
            }
            case FAIL_TIMEOUT -> fail(Result.TIMEOUT, "timed out after " + Durations.format(phaseTimeout()) + " in "
                    + state.sub.word() + (controlWhat != null && controlPid != null ? " (" + controlWhat + ")" : ""));
            case MAIN_EXITED -> {
                setResult(Result.SUCCESS, lastExit == null ? "all processes exited" : lastExit.describe());
                cleanupThenSettle();
            }
            case STOP_SIGNAL -> {
                if (e == Event.SPAWN_FAILED) recordFailure(Result.EXEC, spawnWhat + ": " + eventDetail);
                signalAll();
            }
            case FAIL_EXEC -> fail(Result.EXEC, eventDetail);
            case FAIL_SETUP -> {
                fail0(Result.EXEC, eventDetail);
                enter(State.FAILED);
            }
            case FAIL_START_LIMIT -> {
                fail0(Result.START_LIMIT, eventDetail);
                enter(State.FAILED);
            }
            case FAIL_WATCHDOG -> fail(Result.WATCHDOG, eventDetail);
            case NOTIFIED_READY -> {
                if (check != null) check.notified();
            }
            case NOTIFIED_RELOADED -> {
                if (notifyReload) {
                    notifyReload = false;
                    enter(State.RUNNING);
                    if (mainPid == null) watchForEmpty(500);
                    armWatchdog();
                }
            }
            case NOTIFIED_RELOAD -> {
                reloadReturn = State.RUNNING;
                notifyReload = true;
                enter(State.RELOAD);
                armTimeout(cfg.timeoutStart());
            }
            case NOTIFIED_STOP -> {
                // the service stops by itself: wait timeout-stop for it to go, then kill; no signal is sent first
                notifyReload = false;
                enter(State.STOP_SIGTERM);
                armTimeout(cfg.timeoutStop());
                pollDelayMs = 2;
                pollEmpty();
            }
            case EXTEND_TIMEOUT -> armTimeout(Duration.ofNanos(value * 1000));
            case ADOPT_MAIN -> {
                int pid = (int) value;
                if ((mainPid == null || pid != mainPid) && ownsPid(pid)) adoptMain(pid);
            }
            case FEED_WATCHDOG -> lastWatchdogNanos = loop.nanos();
            case STOP_KILL -> killAll();
            case CHECK_EMPTY -> {
                if (isEmptyNow()) finishStop();
            }
            case FINISH_STOP -> finishStop();
            case GIVE_UP -> {
                List<Integer> left = group == null ? List.of() : group.pids();
                explicitStop = false;
                pendingStart = false;
                fail0(Result.TIMEOUT, "processes " + left + " still there after SIGKILL and " + Durations.format(cfg.timeoutStop()));
                enter(State.FAILED);
            }
        }
        return a;
    }

    private void enter(State s) {
        cancelTimers();
        if (s == State.DEAD || s == State.FAILED || s == State.AUTO_RESTART) endRun(s);
        if (s.active != state.active) since = loop.now();
        state = s;
        publish();
    }

    private void publish() {
        UnitSnapshot now = snapshot();
        UnitSnapshot before = published;
        if (!now.equals(before)) {
            published = now;
            listener.onChange(before, now);
        }
        persist();
    }

    /** Hands the newest runtime record to the store when it changed (for a restarted manager). */
    private void persist() {
        if (ctx.records() == null) return;
        ServiceRecords.Rec r = new ServiceRecords.Rec(unit.name(), state.name(), result == null ? null : result.word(), detail,
                mainPid, -1, controlPid, since, budget.restarts(), budget.failures(), budget.limitHit(), statusText, List.copyOf(failureLog));
        if (r.equals(persisted)) return;
        persisted = r;
        ctx.records().put(r);
    }

    private void cancelTimers() {
        if (timer != null) timer.cancel();
        if (poll != null) poll.cancel();
        if (check != null) check.cancel();
        if (forking != null) forking.cancel();
        timer = null;
        poll = null;
    }

    private void armTimeout(Duration d) {
        if (timer != null) timer.cancel();
        timer = null;
        if (Durations.isInfinite(d) || d.isZero()) return;
        long id = runId;
        State at = state;
        timer = loop.schedule(d, () -> {
            if (runId == id && state == at) dispatch(Event.TIMEOUT);
        });
    }

    private void armPoll(long ms, Runnable r) {
        if (poll != null) poll.cancel();
        long id = runId;
        State at = state;
        poll = loop.schedule(Duration.ofMillis(ms), () -> {
            if (runId == id && state == at) r.run();
        });
    }

    private Duration phaseTimeout() {
        return switch (state) {
            case STOP, STOP_SIGTERM, STOP_SIGKILL -> cfg.timeoutStop();
            default -> cfg.timeoutStart();
        };
    }

    // ---- starting ----

    private void beginStart() {
        cancelTimers();
        runId++;
        running = unit;
        cfg = running.service();
        explicitStop = false;
        killedAfterTimeout = false;
        mainPid = null;
        controlPid = null;
        boolean reuseGroup = group != null && state == State.AUTO_RESTART; // kept between automatic restarts
        if (!reuseGroup) warnings.clear();
        if (cfg == null) {
            dispatch(Event.SPAWN_FAILED, 0, "Stage: loading unit / Error: "
                    + (running.firstErrorWithoutContent() != null ? running.firstErrorWithoutContent() : "not a service"));
            return;
        }
        // before the start is timed: making the FIFOs is no part of the backoff gap
        String noOutput = openOutput();
        if (noOutput != null) {
            dispatch(Event.SPAWN_FAILED, 0, noOutput);
            return;
        }
        if (!budget.admit(cfg.startLimit(), autoStart, loop.nanos())) {
            var sl = cfg.startLimit();
            dispatch(Event.LIMIT_HIT, 0, "start-limit hit: more than " + sl.burst() + " starts within "
                    + Durations.format(sl.interval()) + "; use reset-failed to allow starts again");
            return;
        }
        Readiness.Kind rk = cfg.ready() == null ? Readiness.Kind.STARTED : cfg.ready().kind();
        String unusable = ReadinessChecks.problem(cfg.ready());
        if (unusable != null) {
            dispatch(Event.SPAWN_FAILED, 0, unusable);
            return;
        }
        if (!reuseGroup) {
            releaseGroup();
            group = ctx.os().group(running.name(), cfg.limits().memory(), cfg.limits().cpuPercent(), cfg.limits().pids(), warnings);
        }
        oomBaseline = group.usage().oomKills();
        var sb = cfg.sandbox();
        boolean wantsNotify = rk == Readiness.Kind.NOTIFY || cfg.watchdog() != null && !cfg.watchdog().isZero();
        String notifyPath = wantsNotify ? ctx.notifyPort().socketPath() : null;
        sandboxPlan = sb.isEmpty() ? null : Sandboxing.plan(new Sandboxing.Settings(sb.noNewPrivileges(), sb.privateTmp(),
                sb.privateNetwork(), sb.rootDirectory(), sb.readOnlyPaths()), notifyPath);
        if (sandboxPlan != null && !sandboxPlan.notApplied().isEmpty()) {
            if (sb.required()) {
                releaseGroup();
                dispatch(Event.SPAWN_FAILED, 0, "Stage: applying sandbox / Error: " + String.join("; ", sandboxPlan.notApplied())
                        + " (sandbox.required is true)");
                return;
            }
            if (!reuseGroup) warnings.addAll(sandboxPlan.notApplied());
        }
        if (wantsNotify) {
            try {
                notifyHub = ctx.notifyPort();
                notifyHub.register(notifyTarget);
            } catch (java.io.IOException e) {
                notifyHub = null;
                releaseGroup();
                dispatch(Event.SPAWN_FAILED, 0, "Stage: opening the notify socket / Error: " + e.getMessage());
                return;
            }
        }
        statusText = null;
        notifyReload = false;
        result = null;
        detail = null;
        stepIndex = 0;
        enter(State.START_PRE);
        nextStep();
    }

    /** Runs the next exec-start-pre, the main process, the next exec-start-post, or becomes active. */
    private void nextStep() {
        if (state == State.START_PRE) {
            if (stepIndex < cfg.execStartPre().size()) {
                List<String> cmd = cfg.execStartPre().get(stepIndex++);
                runControl("exec-start-pre", SpawnRequest.Role.START_PRE, cmd);
                return;
            }
            startMain();
        } else if (state == State.START_POST) {
            if (stepIndex < cfg.execStartPost().size()) {
                List<String> cmd = cfg.execStartPost().get(stepIndex++);
                runControl("exec-start-post", SpawnRequest.Role.START_POST, cmd);
                return;
            }
            becomeActive();
        }
    }

    private void startMain() {
        enter(State.START);
        if (check != null) check.close();
        CheckListener l = new CheckListener();
        check = ReadinessChecks.of(cfg.ready(), readinessContext, l);
        l.owner = check;
        try {
            mainPid = spawn(cfg.exec(), null, SpawnRequest.Role.MAIN, check);
        } catch (SpawnException ex) {
            dispatch(Event.SPAWN_FAILED, 0, ex.detail());
            return;
        }
        armTimeout(cfg.timeoutStart());
        mainExeced = cfg.type() != ServiceType.EXEC;
        switch (cfg.type()) {
            case ONESHOT, FORKING -> { } // ready when the process exits (MAIN_DONE)
            case EXEC -> awaitExec();
            default -> check.begin();
        }
    }

    /** type exec: the start goes on once the main process runs the program itself (not the prologue). */
    private void awaitExec() {
        if (mainPid != null && ctx.os().execed(mainPid)) {
            mainExeced = true;
            check.begin();
        } else {
            armPoll(1, this::awaitExec);
        }
    }

    /** For type exec: the main process ended before it ran the program: the exec failed. */
    private boolean failedBeforeExec() {
        if (mainExeced || state != State.START) return false;
        fail(Result.EXEC, "Stage: executing command / Error: " + lastExit.describe()
                + " before the program was executed (" + cfg.exec().get(0) + "; the reason is in the unit's log)");
        return true;
    }

    // ---- sd_notify ----

    /** True when {@code pid} is the main process, the control process, or any process in the service's group. */
    private boolean ownsPid(int pid) {
        if (mainPid != null && mainPid == pid || controlPid != null && controlPid == pid) return true;
        return group != null && group.pids().contains(pid);
    }

    /**
     * The sender belongs to the service when it, or an ancestor recorded on arrival, is one of its
     * processes, or when its cgroup on arrival was the service's (it may have exited since).
     */
    private boolean ownsSender(NotifyMessage m) {
        List<Integer> live = group == null ? List.of() : group.pids();
        for (int p : m.lineage()) {
            if (mainPid != null && mainPid == p || controlPid != null && controlPid == p || live.contains(p)) return true;
        }
        String cg = m.cgroup();
        return cg != null && cg.length() > 1 && group != null && group.describe().startsWith("cgroup ")
                && group.describe().endsWith(cg);
    }

    /** One datagram from one of the service's processes: its events, in order, through the table. */
    private void onNotify(NotifyMessage m) {
        NotifyTranslator.Translation t = NotifyTranslator.translate(m.fields());
        if (t.statusSet()) statusText = t.status();
        for (NotifyTranslator.Notice n : t.notices()) {
            boolean trigger = n.event() == Event.WATCHDOG_MISSED;
            Action a = step(n.event(), n.value(), trigger ? NotifyTranslator.TRIGGER : null);
            if (trigger && a != Action.IGNORE) return; // failed: the rest of the message no longer applies
        }
        publish();
    }

    /** With a watchdog: a check at most one period after the last WATCHDOG=1; missed -> result watchdog. */
    private void armWatchdog() {
        Duration wd = cfg.watchdog();
        if (wd == null || wd.isZero() || Durations.isInfinite(wd)) return;
        long id = runId;
        long due = lastWatchdogNanos + wd.toNanos() - loop.nanos();
        if (watchdogTimer != null) watchdogTimer.cancel();
        watchdogTimer = loop.schedule(Duration.ofNanos(Math.max(1_000_000, due)), () -> {
            if (runId != id) return;
            if (loop.nanos() - lastWatchdogNanos >= wd.toNanos()) {
                dispatch(Event.WATCHDOG_MISSED, 0, "no WATCHDOG=1 within " + Durations.format(wd));
            } else {
                armWatchdog();
            }
        });
    }

    /**
     * The log file and the output FIFOs (made once per service, kept across runs and manager
     * restarts); without FIFOs each process gets pipes, whose lines die with the manager.
     */
    private String openOutput() {
        if (log == null) {
            log = new LogFile(ctx.logDir(), running.name(), cfg.log().maxSize(), cfg.log().keep(),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"), loop::nanos);
            log.setListener(new LogFile.Listener() {
                @Override
                public void problem(String name, String line) {
                    if (ctx.logProblems() != null) ctx.logProblems().accept(line + "; lines of " + name + " are counted as lost until it can");
                }

                @Override
                public void recovered(String name, long lost) {
                    if (ctx.logProblems() != null) ctx.logProblems().accept("the log of " + name + " is written again; " + lost + " lines were lost");
                }
            });
        } else {
            log.configure(cfg.log().maxSize(), cfg.log().keep());
        }
        if (sink != null || !ctx.os().supportsOutputFifos()) return null;
        sink = new LogSink(log, null);
        try {
            output = ctx.os().output(ctx.fifoDir(), running.name(), sink);
        } catch (dev.svcmgr.core.os.NoDescriptorsException e) {
            output = null;
            sink = null;
            return "Stage: opening its output / Error: " + e.getMessage();
        } catch (java.io.IOException e) {
            output = null;
            warnings.add("output FIFO not available (" + e.getMessage() + "): output goes through pipes, and lines"
                    + " written while no manager runs are lost");
        }
        return null;
    }

    /**
     * Down for good (not waiting to restart): the FIFOs are drained, then the manager's descriptors for
     * them closed (the FIFO files stay for the next start, or the next manager).
     */
    private void releaseOutput() {
        OutputChannel ch = output;
        if (ch == null) return;
        output = null;
        sink = null;
        ch.drain(ch::close);
    }

    /** The run is over: leave the notify socket, close the readiness pipe. */
    private void endRun(State next) {
        if (next == State.DEAD || next == State.FAILED) releaseOutput();
        else if (output != null) output.drain(null);
        if (notifyHub != null) {
            notifyHub.unregister(notifyTarget);
            notifyHub = null;
        }
        if (watchdogTimer != null) {
            watchdogTimer.cancel();
            watchdogTimer = null;
        }
        if (check != null) check.close();
        if (forking != null) forking.close();
        check = null;
        forking = null;
    }

    /** Bytes of memory the service uses per its cgroup, or null when unknown. */
    public Long memoryBytes() { return group == null ? null : group.usage().memoryBytes(); }

    /** Tasks (threads included) in the service's cgroup, or null when unknown. */
    public Long tasks() { return group == null ? null : group.usage().tasks(); }

    /** The main process exited cleanly while starting: oneshot done, forking parent done, else an early exit. */
    private void mainDone() {
        ServiceType t = cfg.type();
        if (t == ServiceType.ONESHOT) {
            started();
        } else if (t == ServiceType.FORKING) {
            findForkedMain();
        } else if (!failedBeforeExec()) {
            fail(Result.EXIT_CODE, lastExit.describe() + " before it was ready");
        }
    }

    /** A forking service's first process exited cleanly: its daemon is searched for (pid-file or the one left). */
    private void findForkedMain() {
        CheckListener l = new CheckListener();
        forking = ReadinessChecks.forking(cfg.pidFile(), readinessContext, l);
        l.owner = forking;
        forking.begin();
    }

    private void adoptMain(int pid) {
        long id = runId;
        if (ctx.os().watch(pid, (p, st) -> loop.execute(() -> exited(id, p, st)))) mainPid = pid;
    }

    private void started() {
        budget.ready(loop.nanos());
        if (state == State.START && !cfg.execStartPost().isEmpty()) {
            stepIndex = 0;
            enter(State.START_POST);
            nextStep();
            return;
        }
        becomeActive();
    }

    private void becomeActive() {
        setResult(Result.SUCCESS, null);
        if (cfg.type() == ServiceType.ONESHOT) {
            if (cfg.remainAfterExit()) enter(State.EXITED);
            else cleanupThenSettle();
            return;
        }
        enter(State.RUNNING);
        if (mainPid == null) watchForEmpty(500);
        lastWatchdogNanos = loop.nanos();
        armWatchdog();
    }

    private void watchForEmpty(long ms) {
        armPoll(ms, () -> {
            if (isEmptyNow()) dispatch(Event.EMPTY);
            else watchForEmpty(ms);
        });
    }

    // ---- processes ----

    private int spawn(List<String> argv, Integer mainForEnv, SpawnRequest.Role role, ReadinessCheck main) throws SpawnException {
        Map<String, String> env = ServiceEnvironment.build(ctx.managerEnv(), cfg, mainForEnv);
        SpawnRequest req = new SpawnRequest(argv, env, cfg.workingDirectory(), cfg.user(), cfg.group(),
                cfg.supplementaryGroups(), cfg.umask(), cfg.limits().nofile(), cfg.limits().core(), group).withRole(role);
        if (notifyHub != null) {
            env.put("NOTIFY_SOCKET", notifyHub.socketPath());
            Duration wd = cfg.watchdog();
            if (wd != null && !wd.isZero() && !Durations.isInfinite(wd)) env.put("WATCHDOG_USEC", Long.toString(wd.toNanos() / 1000));
        }
        if (sandboxPlan != null && !sandboxPlan.prefix().isEmpty()) {
            req = req.withWrapper(sandboxPlan.prefix(), sandboxPlan.applied().stream().anyMatch(a -> a.startsWith("root-directory "))
                    ? cfg.sandbox().rootDirectory() : null);
        }
        if (main != null) req = main.prepare(req);
        long id = runId;
        if (output != null) return ctx.os().spawn(req, (p, st) -> loop.execute(() -> exited(id, p, st)), output);
        return ctx.os().spawn(req, (p, st) -> loop.execute(() -> exited(id, p, st)), new LogSink(log, null));
    }

    private void runControl(String what, SpawnRequest.Role role, List<String> argv) {
        try {
            runControlKeepTimer(what, role, argv);
            armTimeout(state == State.STOP ? cfg.timeoutStop() : cfg.timeoutStart());
        } catch (SpawnException ex) {
            spawnWhat = what;
            dispatch(Event.SPAWN_FAILED, 0, ex.detail());
        }
    }

    private void runControlKeepTimer(String what, SpawnRequest.Role role, List<String> argv) throws SpawnException {
        controlWhat = what + " " + String.join(" ", argv);
        controlPid = spawn(argv, mainPid, role, null);
        persist();
    }

    /** A process of this service was reaped (posted by the reaper). */
    private void exited(long id, int pid, ExitStatus st) {
        if (mainPid != null && mainPid == pid) {
            mainPid = null;
            lastExit = st;
            dispatch(isClean(st) ? Event.MAIN_SUCCESS : Event.MAIN_FAILURE);
        } else if (controlPid != null && controlPid == pid) {
            controlPid = null;
            lastExit = st;
            dispatch(st.exited() && st.code() == 0 ? Event.CONTROL_SUCCESS : Event.CONTROL_FAILURE);
        } else if (id == runId && isStopping() && isEmptyNow()) {
            dispatch(Event.EMPTY);
        }
    }

    private boolean isStopping() {
        return state == State.STOP_SIGTERM || state == State.STOP_SIGKILL;
    }

    private boolean isClean(ExitStatus st) {
        if (st.exited()) return cfg.successExitStatus().contains(st.code());
        int s = st.signal();
        return s == Signals.SIGHUP || s == Signals.SIGINT || s == Signals.SIGTERM || s == Signals.SIGPIPE;
    }

    private boolean isEmptyNow() {
        return mainPid == null && controlPid == null && (group == null || group.isEmpty());
    }

    // ---- failing, stopping, settling ----

    private Result exitResult(ExitStatus st) {
        if (st != null && !st.exited() && oomKilled()) return Result.OOM_KILL;
        if (st == null) return Result.EXIT_CODE;
        return st.exited() ? Result.EXIT_CODE : Result.SIGNAL;
    }

    /** True when the kernel's OOM killer struck in the service's memory cgroup during this run. */
    private boolean oomKilled() {
        return group != null && group.usage().oomKills() > oomBaseline;
    }

    private String failDetail() {
        String base = lastExit == null ? "failed" : lastExit.describe();
        if (lastExit != null && !lastExit.exited() && oomKilled()) {
            base += " by the OOM killer (limits.memory " + cfg.limits().memory() + " bytes)";
        }
        return controlWhat != null && (state == State.START_PRE || state == State.START_POST)
                ? controlWhat + " " + base : base;
    }

    private void setResult(Result r, String d) {
        result = r;
        detail = d;
    }

    private void recordFailure(Result r, String d) {
        failureLog.addLast(new Failure(loop.now(), r, d));
        while (failureLog.size() > KEEP_FAILURES) failureLog.removeFirst();
        if (log != null) {
            try {
                log.append(LogSink.timestamp(loop.now()), "svcmgr", "failed: " + r.word() + ": " + d);
                log.flush();
            } catch (RuntimeException e) {
                // the log is best effort
            }
        }
    }

    private void fail0(Result r, String d) {
        setResult(r, d);
        recordFailure(r, d);
    }

    /** Records a failure and cleans up; settle() then restarts or fails. */
    private void fail(Result r, String d) {
        fail0(r, d);
        cleanupThenSettle();
    }

    private void cleanupThenSettle() {
        if (isEmptyNow()) settle();
        else signalAll();
    }

    private void beginStop() {
        explicitStop = true;
        boolean wasUp = state == State.RUNNING || state == State.EXITED || state == State.RELOAD;
        if (wasUp && !cfg.execStop().isEmpty()) {
            if (controlPid != null) ctx.os().kill(controlPid, Signals.SIGKILL);
            enter(State.STOP);
            stepIndex = 0;
            runNextStop();
            return;
        }
        cleanupThenSettle();
    }

    private void runNextStop() {
        runControl("exec-stop", SpawnRequest.Role.STOP, ServiceEnvironment.expandMainPid(cfg.execStop().get(stepIndex++), mainPid));
    }

    /** stop-signal (then SIGCONT) to every process; SIGKILL after timeout-stop. */
    private void signalAll() {
        if (state == State.STOP && controlPid == null && stepIndex < cfg.execStop().size()) {
            runNextStop();
            return;
        }
        if (isEmptyNow()) {
            finishStop();
            return;
        }
        enter(State.STOP_SIGTERM);
        int sig = cfg.stopSignal();
        if (group != null) {
            group.signal(sig);
            if (sig != Signals.SIGKILL) group.signal(Signals.SIGCONT);
        }
        if (mainPid != null) ctx.os().kill(mainPid, sig);
        if (controlPid != null) ctx.os().kill(controlPid, sig);
        armTimeout(cfg.timeoutStop());
        pollDelayMs = 2;
        pollEmpty();
    }

    private void killAll() {
        enter(State.STOP_SIGKILL);
        killedAfterTimeout = true;
        if (group != null) group.killAll();
        if (mainPid != null) ctx.os().kill(mainPid, Signals.SIGKILL);
        if (controlPid != null) ctx.os().kill(controlPid, Signals.SIGKILL);
        armTimeout(cfg.timeoutStop());
        pollDelayMs = 2;
        pollEmpty();
    }

    private void pollEmpty() {
        armPoll(pollDelayMs, () -> {
            if (isEmptyNow()) {
                dispatch(Event.EMPTY);
            } else {
                pollDelayMs = Math.min(100, pollDelayMs * 2);
                pollEmpty();
            }
        });
    }

    private void finishStop() {
        settle();
    }

    private void releaseGroup() {
        if (group != null) {
            group.release();
            group = null;
        }
    }

    /** Nothing of the service is left: inactive, failed, or auto-restart. */
    private void settle() {
        if (explicitStop) {
            releaseGroup();
            explicitStop = false;
            setResult(Result.SUCCESS, killedAfterTimeout ? "killed with SIGKILL after timeout-stop" : null);
            enter(State.DEAD);
            if (pendingStart) {
                pendingStart = false;
                autoStart = false;
                dispatch(Event.START);
            }
            return;
        }
        if (shouldRestart()) {
            scheduleRestart();
        } else if (result != null && result.isFailure()) {
            releaseGroup();
            enter(State.FAILED);
        } else {
            releaseGroup();
            enter(State.DEAD);
        }
        if (pendingStart) {
            pendingStart = false;
            autoStart = false;
            dispatch(Event.START);
        }
    }

    private boolean shouldRestart() {
        return cfg != null && RestartBudget.shouldRestart(cfg.restart(), cfg.type(), result);
    }

    private void scheduleRestart() {
        long wait = budget.failed(cfg, loop.nanos(), ctx.jitter().getAsDouble());
        enter(State.AUTO_RESTART);
        long id = ++runId;
        Runnable due = () -> {
            if (runId == id && state == State.AUTO_RESTART) {
                autoStart = true;
                budget.restartDue();
                dispatch(Event.RESTART_DUE);
            }
        };
        if (wait == 0) loop.execute(due);
        else timer = loop.schedule(Duration.ofNanos(wait), due);
    }

    private void clearCounters() { budget.clear(); }

    // ---- reload ----

    private void beginReload() {
        List<String> cmd = cfg.execReload();
        if (cmd == null || cmd.isEmpty()) return;
        State back = state;
        enter(State.RELOAD);
        reloadReturn = back;
        runControl("exec-reload", SpawnRequest.Role.RELOAD, ServiceEnvironment.expandMainPid(cmd, mainPid));
    }

    private State reloadReturn = State.RUNNING;

    private void reloadDone(Event e, String spawnError) {
        if (controlPid != null) {
            ctx.os().kill(controlPid, Signals.SIGKILL);
            controlPid = null;
        }
        if (e == Event.SPAWN_FAILED) recordFailure(Result.EXEC, spawnWhat + ": " + spawnError);
        if (e == Event.CONTROL_FAILURE && lastExit != null) recordFailure(exitResult(lastExit), "exec-reload " + lastExit.describe());
        if (e == Event.TIMEOUT) recordFailure(Result.TIMEOUT, "exec-reload timed out");
        enter(reloadReturn);
        if (reloadReturn == State.RUNNING && mainPid == null) watchForEmpty(500);
    }
}
