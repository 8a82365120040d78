package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.ExitStatus;
import dev.svcmgr.core.os.ResourceUsage;
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
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.Unit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Supervises one service: runs its commands, tracks every process, applies the restart policy,
 * and publishes {@link UnitSnapshot}s.
 *
 * <p>All methods run on the {@link Loop} thread; the reaper, the timers, the readiness checks and
 * the notify socket post back to it. Everything that happens to the service is an {@link Event}
 * that goes through {@link Transitions}: the table says which action a (state, event) pair takes,
 * and the actions below are the only code that changes state ({@link #restore} aside, which
 * resumes a recorded state once, at construction). Around the machine: {@link RunSetup} sets each
 * run up (log, output, group and limits, sandbox, notify socket, spawn requests), a
 * {@link ReadinessCheck} per start finds it ready, {@link NotifyTranslator} turns sd_notify
 * datagrams into events, a {@link Watchdog} watches {@code WATCHDOG=1}, and {@link RestartBudget}
 * decides the start limit and the backoff.
 *
 * <p>At most two of the service's processes are known by PID at a time: the main process and one
 * control process (an exec-start-pre, exec-start-post, exec-stop or exec-reload command, or a
 * readiness probe). Everything else is found through the service's {@link ServiceGroup}. A service
 * reaches inactive or failed only when the group is empty and both PIDs have been reaped.
 *
 * <p>A result {@code exec} (the program could not be started) is never retried automatically:
 * trying again cannot help until someone changes something.
 */
public final class ServiceSupervisor {

    /** Told of every state change, on the loop thread. */
    public interface Listener {
        void onChange(UnitSnapshot before, UnitSnapshot after);
    }

    private static final int KEEP_FAILURES = 10;

    // package-private: Starting and Restore work on them
    final SupervisorContext ctx;
    final Loop loop;
    final RunSetup setup;
    final ServiceProcesses procs;
    final RestartBudget budget = new RestartBudget();
    final Watchdog watchdog;
    final Starting starting = new Starting(this);
    final Stopping stopping = new Stopping(this);
    final Reloading reloading = new Reloading(this);
    private final Listener listener;
    private Unit unit;
    Unit running;
    ServiceConfig cfg;

    State state = State.DEAD;
    private Result result;
    private String detail;
    /** How the process whose end decided {@link #result} ended, or null when no process exit did. */
    private ExitStatus resultExit;
    private Instant since;
    String statusText;
    private UnitSnapshot published;
    private ServiceRecords.Rec persisted;
    private final Deque<Failure> failureLog = new ArrayDeque<>();

    // the current run
    long runId;
    ExitStatus lastExit;
    boolean mainExeced;
    int stepIndex;
    boolean autoStart;
    boolean explicitStop;
    boolean pendingStart;
    boolean killedAfterTimeout;
    boolean notifyReload;
    /** The control process running now has {@code ignore-failure: true}. */
    boolean controlIgnoresFailure;
    /** What the last SPAWN_FAILED was about ({@code exec-stop}, ...). */
    String spawnWhat;
    private Loop.Cancellable timer;
    private Loop.Cancellable poll;

    public ServiceSupervisor(Unit unit, SupervisorContext ctx, Listener listener) {
        this.unit = unit;
        this.ctx = ctx;
        this.loop = ctx.loop();
        this.listener = listener;
        this.since = loop.now();
        this.published = UnitSnapshot.initial(unit.name(), since);
        this.setup = new RunSetup(ctx, new NotifyPort.Target() {
            @Override
            public boolean owns(NotifyMessage m) { return procs.ownsSender(m); }

            @Override
            public void notified(NotifyMessage m) { onNotify(m); }
        });
        this.procs = new ServiceProcesses(ctx.os(), loop, setup, this::exited);
        this.watchdog = new Watchdog(loop, why -> dispatch(Event.WATCHDOG_MISSED, 0, why));
    }

    // ---- public API (loop thread only) ----

    /**
     * Every line the service writes also goes to {@code console} as {@code unit[pid]: line}, pid its main
     * PID, or once that has exited the run's last one (container mode, {@code daemon --console-output});
     * call before the first start or restore.
     */
    public void console(dev.svcmgr.core.log.ConsoleOutput console) {
        setup.console(console, unit.name(), () -> {
            Integer m = procs.main;
            return m == null ? procs.lastMain : m;
        });
    }

    /** A start job was queued: its output FIFOs may be made ahead, off the loop (first start only). */
    public void prepareStart() { setup.prepareOutput(unit.name()); }

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
    public void kill(int signal) { procs.signalEach(signal); }

    /** failed -> inactive; start-limit and backoff counters cleared. */
    public void resetFailed() { dispatch(Event.RESET_FAILED); }

    /** A new definition, used from the next start. */
    public void setUnit(Unit u) { this.unit = u; }

    /** The latest definition. */
    public Unit unit() { return unit; }

    /** The current state. */
    public UnitSnapshot snapshot() {
        Integer code = resultExit != null && resultExit.known() && resultExit.exited() ? resultExit.code() : null;
        return new UnitSnapshot(unit.name(), state.active, state.sub, result, detail, procs.main, since, statusText, null, code);
    }

    /** Every live process of the service, sorted. */
    public List<Integer> pids() { return procs.all(); }

    /** The last failures, oldest first (at most ten). */
    public List<Failure> failures() { return List.copyOf(failureLog); }

    /** How often the service was restarted automatically. */
    public int restarts() { return budget.restarts(); }

    /** Settings of the current run that could not be applied (limits, sandbox), and the log's problem. */
    public List<String> warnings() { return setup.warnings(); }

    /** Why the log is incomplete (cannot be written now, or lines were lost before), or null. Any thread. */
    public String logProblem() { return setup.logProblem(); }

    /** The machine state, for tests and {@code why}. */
    public State state() { return state; }

    /** How the service's processes are tracked, in words for {@code status}, or null when it has no group. */
    public String tracking() { return setup.group() == null ? null : setup.group().describe(); }

    /**
     * The reader of the service's memory and task figures ({@link ResourceUsage#NONE} without a group:
     * then {@link ResourceUsage#sample} reads its processes'). Thread-safe: read it off the loop.
     */
    public ResourceUsage usage() { return setup.group() == null ? ResourceUsage.NONE : setup.group().usage(); }

    /**
     * Takes over the service as a former manager left it (after {@code daemon-reexec}, or a manager
     * that was killed): its processes keep running, untouched; its state, result, restart count and
     * failures come back. Call once, right after construction, on the loop; nothing is published
     * synchronously (follow-ups are posted to the loop). The rules are {@link Restore}'s.
     */
    public void restore(ServiceRecords.Rec rec) { new Restore(this).apply(rec); }

    /**
     * {@code svcmgr adopt}: a running process this manager did not start becomes the main process of
     * this (stopped) service, as if a former manager had left it running: it is moved into the
     * service's group (its cgroup, where there is one), watched through a pidfd (its exit is seen at
     * once), and the restart policy and {@code on-failure} apply when it ends (a restart runs the
     * unit's {@code exec}). Returns null, or why not.
     */
    public String adopt(int pid) {
        if (state != State.DEAD && state != State.FAILED) return "the service is " + state.active.word() + " (stop it first)";
        if (unit.service() == null) return "the unit has no service settings";
        if (!ctx.os().alive(pid)) return "no such process";
        long start = ctx.os().startTime(pid);
        UnitSnapshot before = published;
        restore(new ServiceRecords.Rec(unit.name(), State.RUNNING.name(), Result.SUCCESS.word(), null, pid, start, null,
                loop.now(), 0, 0, false, null, List.of()));
        if (state != State.RUNNING) return "it ended while it was being adopted";
        try {
            setup.group().moveIn(pid);
        } catch (java.io.IOException e) {
            setup.warn("adopted process " + pid + " not moved into " + setup.group().describe() + ": " + e.getMessage());
        }
        since = loop.now();
        published = before;
        publish();
        return null;
    }

    /** The recorded result, status text, since and failures (Restore). */
    void resumeRecord(Result r, String d, String status, Instant at, List<Failure> failures) {
        setResult(r, d);
        statusText = status;
        since = at;
        failureLog.clear();
        failureLog.addAll(failures);
    }

    /** The recorded state is in place (Restore): what a listener has seen, and the record, are it. */
    void restored() {
        published = snapshot();
        persisted = null;
        persist();
    }

    /** A restored run that is up without a main PID: running while its group is not empty (Restore). */
    void resumeWatchingGroup() { watchForEmpty(500); }

    /** The restored run's follow-up (Restore posts it when there is one). */
    void resume() { dispatch(Event.RESUME); }

    // ---- the machine ----

    Action dispatch(Event e) { return dispatch(e, 0, null); }

    /** Handles {@code e} (with its number and detail, see {@link Event}) as the table says, then publishes. */
    Action dispatch(Event e, long value, String eventDetail) {
        Action a = step(e, value, eventDetail);
        publish();
        return a;
    }

    /** The action for {@code e} in the current state; the only place that decides (actions publish as they enter states). */
    private Action step(Event e, long value, String eventDetail) {
        Action a = Transitions.action(state, e);
        switch (a) {
            case IGNORE -> { }
            case BEGIN_START -> starting.begin();
            case QUEUE_START -> pendingStart = true;
            case BEGIN_STOP -> stopping.begin();
            case MARK_STOP -> explicitStop = true;
            case CANCEL_RESTART -> {
                explicitStop = false;
                setup.releaseGroup();
                enter(State.DEAD);
            }
            case BEGIN_RELOAD -> reloading.begin();
            case RELOAD_DONE -> reloading.done(e, eventDetail);
            case RESET -> {
                budget.clear();
                enter(State.DEAD);
            }
            case CLEAR_COUNTERS -> budget.clear();
            case NEXT_STEP -> starting.nextStep();
            case PROBE_AGAIN, PROBE_PASSED -> starting.probeExited(a == Action.PROBE_PASSED);
            case MAIN_DONE -> starting.mainDone();
            case STARTED -> starting.started();
            case FAIL -> {
                if (!starting.failedBeforeExec()) fail(exitResult(lastExit), failDetail(), lastExit);
            }
            case FAIL_TIMEOUT -> fail(Result.TIMEOUT, "timed out after " + Durations.format(phaseTimeout()) + " in "
                    + state.sub.word() + (procs.controlWhat != null && procs.control != null ? " (" + procs.controlWhat + ")" : ""));
            case FAIL_EXEC -> fail(Result.EXEC, eventDetail);
            case FAIL_SETUP, FAIL_START_LIMIT -> {
                fail0(a == Action.FAIL_SETUP ? Result.EXEC : Result.START_LIMIT, eventDetail);
                enter(State.FAILED);
            }
            case FAIL_WATCHDOG -> fail(Result.WATCHDOG, eventDetail);
            case MAIN_EXITED -> {
                setResult(Result.SUCCESS, lastExit == null ? "all processes exited" : lastExit.describe(), lastExit);
                cleanupThenSettle();
            }
            case STOP_SIGNAL -> {
                if (e == Event.SPAWN_FAILED) recordFailure(Result.EXEC, spawnWhat + ": " + eventDetail);
                stopping.signalAll();
            }
            case STOP_KILL -> stopping.killAll();
            case CHECK_EMPTY -> {
                if (procs.isEmpty()) settle();
            }
            case FINISH_STOP -> settle();
            case GIVE_UP -> stopping.giveUp();
            case NOTIFIED_READY -> starting.notified();
            case NOTIFIED_RELOAD -> reloading.byItself();
            case NOTIFIED_RELOADED -> reloading.readyAgain();
            case NOTIFIED_STOP -> stopping.byItself();
            case EXTEND_TIMEOUT -> armTimeout(Duration.ofNanos(value * 1000));
            case ADOPT_MAIN -> {
                int pid = (int) value;
                if ((procs.main == null || pid != procs.main) && procs.owns(pid)) procs.adoptMain(pid, runId);
            }
            case FEED_WATCHDOG -> watchdog.ping();
            case RESUME_RESTART -> {
                budget.startedLongAgo(loop.nanos()); // the last start was before the manager's: no extra wait
                scheduleRestart();
            }
            case RESUME_STOP -> {
                explicitStop = true;
                cleanupThenSettle();
            }
            case FAIL_LOST -> {
                lastExit = ExitStatus.UNKNOWN;
                budget.startedLongAgo(loop.nanos());
                fail(Result.EXIT_CODE, "exited while no manager ran");
            }
        }
        return a;
    }

    void enter(State s) {
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
                procs.main, -1, procs.control, since, budget.restarts(), budget.failures(), budget.limitHit(), statusText,
                List.copyOf(failureLog));
        if (r.equals(persisted)) return;
        persisted = r;
        ctx.records().put(r);
    }

    void cancelTimers() {
        if (timer != null) timer.cancel();
        if (poll != null) poll.cancel();
        starting.cancel();
        timer = null;
        poll = null;
    }

    /** The run is over: off the notify socket, no watchdog, the readiness checks' pipes closed, output drained, runtime directories gone. */
    private void endRun(State next) {
        setup.endRun(next == State.DEAD || next == State.FAILED);
        setup.removeRuntimeDirectories(cfg);
        watchdog.cancel();
        starting.close();
    }

    void armTimeout(Duration d) {
        if (timer != null) timer.cancel();
        timer = null;
        if (Durations.isInfinite(d) || d.isZero()) return;
        long id = runId;
        State at = state;
        timer = loop.schedule(d, () -> {
            if (runId == id && state == at) dispatch(Event.TIMEOUT);
        });
    }

    void armPoll(long ms, Runnable r) {
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

    /** Checks every {@code ms} whether the service is empty (up without a main process). */
    void watchForEmpty(long ms) {
        armPoll(ms, () -> {
            if (procs.isEmpty()) dispatch(Event.EMPTY);
            else watchForEmpty(ms);
        });
    }

    // ---- sd_notify ----

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

    // ---- processes ----

    /**
     * Runs {@code cmd} (its words {@code argv}, $MAINPID expanded) as the control process: as the manager's
     * user outside the sandbox when privileged; a command with ignore-failure that cannot be started counts
     * as done (logged, shown in status).
     */
    void runControl(String what, SpawnRequest.Role role, ExecCommand cmd, List<String> argv) {
        try {
            spawnControl(what, role, argv, cmd.privileged());
            controlIgnoresFailure = cmd.ignoreFailure();
            armTimeout(state == State.STOP ? cfg.timeoutStop() : cfg.timeoutStart());
        } catch (SpawnException ex) {
            if (cmd.ignoreFailure()) {
                ignoredFailure(what + " " + String.join(" ", argv) + ": " + ex.detail());
                dispatch(Event.CONTROL_SUCCESS);
                return;
            }
            spawnWhat = what;
            dispatch(Event.SPAWN_FAILED, 0, ex.detail());
        }
    }

    void runControlKeepTimer(String what, SpawnRequest.Role role, List<String> argv) throws SpawnException {
        spawnControl(what, role, argv, false);
        controlIgnoresFailure = false;
    }

    private void spawnControl(String what, SpawnRequest.Role role, List<String> argv, boolean privileged) throws SpawnException {
        procs.controlWhat = what + " " + String.join(" ", argv);
        procs.spawnControl(setup.request(unit.name(), cfg, argv, procs.main, role, privileged), runId);
        persist();
    }

    /** A failure a command's {@code ignore-failure: true} lets pass: a line in the unit's log and in status. */
    private void ignoredFailure(String what) {
        String line = what + " (ignored: ignore-failure is true)";
        setup.logLine(loop.now(), line);
        setup.warnOnce(line);
    }

    /** A process of this service was reaped (posted by the reaper). */
    private void exited(long id, int pid, ExitStatus st) {
        if (procs.main != null && procs.main == pid) {
            procs.main = null;
            lastExit = st;
            dispatch(isClean(st) ? Event.MAIN_SUCCESS : Event.MAIN_FAILURE);
        } else if (procs.control != null && procs.control == pid) {
            procs.control = null;
            lastExit = st;
            boolean ok = st.exited() && st.code() == 0;
            if (!ok && controlIgnoresFailure && state != State.STOP_SIGTERM && state != State.STOP_SIGKILL) {
                ignoredFailure(procs.controlWhat + " " + st.describe());
                ok = true;
            }
            dispatch(ok ? Event.CONTROL_SUCCESS : Event.CONTROL_FAILURE);
        } else if (id == runId && (state == State.STOP_SIGTERM || state == State.STOP_SIGKILL) && procs.isEmpty()) {
            dispatch(Event.EMPTY);
        }
    }

    private boolean isClean(ExitStatus st) {
        if (st.exited()) return cfg.successExitStatus().contains(st.code());
        int s = st.signal();
        return s == Signals.SIGHUP || s == Signals.SIGINT || s == Signals.SIGTERM || s == Signals.SIGPIPE;
    }

    // ---- failing, stopping, settling ----

    Result exitResult(ExitStatus st) {
        if (st != null && !st.exited() && setup.oomKilled()) return Result.OOM_KILL;
        if (st == null) return Result.EXIT_CODE;
        return st.exited() ? Result.EXIT_CODE : Result.SIGNAL;
    }

    private String failDetail() {
        String base = lastExit == null ? "failed" : lastExit.describe();
        if (lastExit != null && !lastExit.exited() && setup.oomKilled()) {
            base += " by the OOM killer (limits.memory " + cfg.limits().memory() + " bytes)";
        }
        String what = procs.controlWhat;
        return what != null && (state == State.START_PRE || state == State.START_POST) ? what + " " + base : base;
    }

    void setResult(Result r, String d) { setResult(r, d, null); }

    /** The result, its words, and the exit of the process that decided it (null when none did). */
    void setResult(Result r, String d, ExitStatus decidedBy) {
        result = r;
        detail = d;
        resultExit = decidedBy;
    }

    void recordFailure(Result r, String d) {
        failureLog.addLast(new Failure(loop.now(), r, d));
        while (failureLog.size() > KEEP_FAILURES) failureLog.removeFirst();
        setup.logLine(loop.now(), "failed: " + r.word() + ": " + d);
    }

    void fail0(Result r, String d) {
        setResult(r, d);
        recordFailure(r, d);
    }

    /** Records a failure and cleans up; settle() then restarts or fails. */
    void fail(Result r, String d) { fail(r, d, null); }

    /** {@link #fail(Result, String)} decided by a process's exit ({@code decidedBy}). */
    void fail(Result r, String d, ExitStatus decidedBy) {
        setResult(r, d, decidedBy);
        recordFailure(r, d);
        cleanupThenSettle();
    }

    void cleanupThenSettle() {
        if (procs.isEmpty()) settle();
        else stopping.signalAll();
    }

    /** Nothing of the service is left: inactive, failed, or auto-restart. */
    void settle() {
        if (explicitStop) {
            setup.releaseGroup();
            explicitStop = false;
            setResult(Result.SUCCESS, killedAfterTimeout ? "killed with SIGKILL after timeout-stop" : null);
            enter(State.DEAD);
        } else if (cfg != null && RestartBudget.shouldRestart(cfg.restart(), cfg.type(), result)) {
            scheduleRestart();
        } else {
            setup.releaseGroup();
            enter(result != null && result.isFailure() ? State.FAILED : State.DEAD);
        }
        if (pendingStart) {
            pendingStart = false;
            autoStart = false;
            dispatch(Event.START);
        }
    }

    private void scheduleRestart() {
        long wait = budget.failed(cfg, loop.nanos(), ctx.jitter());
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

    /** Lets go of what the supervisor holds open (its log file) when it is dropped; its processes are not touched. */
    public void close() { setup.closeLog(); }
}
