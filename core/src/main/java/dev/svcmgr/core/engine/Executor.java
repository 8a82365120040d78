package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs plans (STYLE habits 4 and 7): each job keeps a count of the jobs of its plan it waits for;
 * a job whose count is zero goes to the {@link Worklist}'s ready queue, and each completion
 * releases its successors there. The same code runs starts and stops: the resolver gave stop jobs
 * the reversed edges.
 *
 * <h2>Overlapping transactions</h2>
 * A ready job also waits for unfinished jobs of <em>older</em> transactions on its own unit and on
 * the units it is ordered after (start: units it starts after; stop: units that start after it); it
 * is parked on the first such job and made ready again when that one ends. Waiting only on older
 * transactions means overlapping transactions never wait on each other in a circle. In
 * {@code replace} mode a new transaction cancels the waiting jobs of older transactions on the units
 * it has jobs for (an isolate cancels every waiting job); a running start interrupted by a new stop
 * ends as canceled (a restart's stop half waits for it instead). A job meeting a running job of the
 * same kind on its unit joins it. In {@code fail} mode a request that would replace a job is refused.
 *
 * <p>Loop thread only, always inside {@link Worklist#enter()}/{@link Worklist#leave()}: nothing here
 * calls an observer, completes a future or runs another job while a job is half-done.
 */
final class Executor {
    private final Loop loop;
    private final UnitTable table;
    private final History history;
    private final Worklist worklist;
    private final StartGate gate;
    private final List<Transaction> running = new ArrayList<>();
    private long nextTx = 1;
    private long nextJob = 1;

    Executor(Loop loop, UnitTable table, History history, Worklist worklist, StartGate gate) {
        this.loop = loop;
        this.table = table;
        this.history = history;
        this.worklist = worklist;
        this.gate = gate;
    }

    /** Jobs not yet finished, over all transactions. */
    int jobCount() {
        int n = 0;
        for (Transaction t : running) for (JobRun j : t.jobs) if (j.phase != JobRun.Phase.DONE) n++;
        return n;
    }

    /** The jobs not finished, oldest transaction first, each in plan order. */
    List<Manager.QueuedJob> jobs() {
        List<Manager.QueuedJob> out = new ArrayList<>();
        for (Transaction t : running) {
            for (JobRun j : t.jobs) {
                if (j.phase != JobRun.Phase.DONE) out.add(new Manager.QueuedJob(j.id, j.unit, j.type, j.phase == JobRun.Phase.RUNNING));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- accepting a plan

    /** Refuses {@code plan} in {@code fail} mode when it would replace a queued job of another kind. */
    Rejection conflictInFailMode(Plan plan) {
        for (Job j : plan.jobs()) {
            UnitRuntime r = table.get(j.unit());
            JobRun old = r == null ? null : r.current;
            if (old != null && old.type != j.type()) {
                return new Rejection("job " + j.type().word() + " " + j.unit() + " conflicts with a queued "
                        + old.type.word() + " job of '" + old.tx.describe() + "' (use --job-mode replace)", null);
            }
        }
        return null;
    }

    /** Accepts a resolved plan: a transaction merged with the running ones, its ready jobs queued. */
    Transaction submit(Request r, boolean boot, Plan plan, String origin) {
        for (Job j : plan.jobs()) {
            if (j.type() == JobType.RESTART) throw new IllegalArgumentException("a plan holds no restart job: " + j);
        }
        String who = r.describe();
        Transaction tx = new Transaction(nextTx++, r, boot, loop.now());
        tx.origin = origin;
        // the plan's DAG as it is: one job per plan job, one link per waitsFor entry (a restart's
        // halves and their order come from the resolver, as `svcmgr plan` prints them)
        Map<Job.Ref, JobRun> byRef = new HashMap<>();
        for (Job j : plan.jobs()) {
            JobRun jr = new JobRun(tx, j);
            jr.id = nextJob++;
            tx.add(jr);
            byRef.put(j.ref(), jr);
        }
        Set<String> restarted = new HashSet<>(plan.restarted());
        for (Job j : plan.jobs()) {
            JobRun jr = byRef.get(j.ref());
            for (Job.Ref w : j.waitsFor()) JobRun.link(byRef.get(w), jr);
            jr.restartHalf = jr.type == JobType.STOP && restarted.contains(jr.unit);
        }
        // merge with older transactions
        if (r.verb() == Request.Verb.ISOLATE) {
            for (Transaction old : running) {
                for (JobRun oj : old.jobs) if (oj.phase == JobRun.Phase.WAITING) cancel(oj, who);
            }
        }
        for (JobRun jr : tx.jobs) {
            UnitRuntime rec = table.at(jr.unit);
            JobRun old = rec.current;
            if (old != null && old.tx != tx) {
                if (old.phase == JobRun.Phase.WAITING) {
                    cancel(old, who); // the same job queued twice, or a conflicting one: the new request's job runs
                } else if (old.phase == JobRun.Phase.RUNNING && old.type == jr.type && !restarted.contains(jr.unit)) {
                    jr.joined = old;
                }
            }
            rec.current = jr;
        }
        // what a start can do ahead, off the loop (a service's output FIFOs), begins for every start queued
        for (JobRun jr : tx.jobs) {
            if (jr.type != JobType.START || jr.joined != null) continue;
            UnitRuntime rec = table.at(jr.unit);
            try {
                if (rec != null && rec.driver != null) rec.driver.prepareStart();
            } catch (RuntimeException e) {
                // only a head start: the job makes whatever is missing when it runs
            }
        }
        tx.remaining = tx.jobs.size();
        running.add(tx);
        if (tx.remaining == 0) {
            worklist.notice(() -> finishTx(tx));
            return tx;
        }
        for (JobRun jr : tx.jobs) if (jr.pending == 0) worklist.ready(jr);
        return tx;
    }

    void cancel(JobRun j, String by) {
        if (j.phase == JobRun.Phase.DONE) return;
        j.tx.canceledBy = by;
        finish(j, Result.CANCELED, "replaced by " + by);
    }

    // ---------------------------------------------------------------- running jobs

    /** Unfinished jobs of older transactions that {@code j} must wait for. */
    private List<JobRun> blockers(JobRun j) {
        List<JobRun> out = new ArrayList<>();
        if (j.joined != null && j.joined.phase != JobRun.Phase.DONE) {
            out.add(j.joined);
            return out;
        }
        for (Transaction t : running) {
            if (t.id >= j.tx.id || t.finished()) continue;
            for (JobRun o : t.jobs) {
                if (o.phase == JobRun.Phase.DONE) continue;
                if (o.unit.equals(j.unit)) {
                    boolean interrupt = j.type == JobType.STOP && !j.restartHalf && o.type != JobType.STOP;
                    if (!interrupt) out.add(o);
                    continue;
                }
                if (j.type == JobType.STOP) {
                    if (o.type == JobType.STOP && table.graph().orderedBefore(j.unit).contains(o.unit)) out.add(o);
                } else if (o.type != JobType.STOP && table.graph().orderedAfter(j.unit).contains(o.unit)) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** Runs a job taken from the ready queue (or parks it behind an older transaction's job). */
    void run(JobRun j) {
        if (j.phase != JobRun.Phase.WAITING || j.pending > 0) return;
        List<JobRun> b = blockers(j);
        if (!b.isEmpty()) {
            JobRun first = b.get(0);
            if (!first.waiters.contains(j)) first.waiters.add(j);
            return;
        }
        if (j.joined != null) {
            finish(j, j.joined.result, j.joined.detail, j.joined.exitCode);
            return;
        }
        j.phase = JobRun.Phase.RUNNING;
        j.started = loop.now();
        UnitRuntime rec = table.at(j.unit);
        JobRun before = rec.acting;
        rec.acting = j;
        if (before != null && before != j && before.phase == JobRun.Phase.RUNNING) {
            // cannot happen by construction (blockers and the stop interrupt); never leave a job behind
            cancel(before, j.tx.describe());
        }
        Unit u = table.definition(j.unit);
        switch (j.type) {
            case START -> runStart(j, u, rec);
            case STOP -> runStop(j, rec);
            case RESTART -> throw new IllegalStateException("a restart job in a plan: " + j.unit); // refused in submit
            case RELOAD -> runReload(j, u, rec);
            case VERIFY_ACTIVE -> {
                if (table.snapshot(j.unit).active() == ActiveState.ACTIVE) finish(j, Result.SUCCESS, null);
                else finish(j, Result.DEPENDENCY, j.unit + " is not active");
            }
        }
    }

    private void runStart(JobRun j, Unit u, UnitRuntime rec) {
        StartGate.Refusal no = gate.check(j, u);
        if (no != null) {
            if (no.state() != null) table.setOwn(j.unit, no.state(), no.sub(), no.result(), no.detail(), no.dependency());
            finish(j, no.result(), no.detail());
            return;
        }
        ServiceDriver d = rec.driver;
        if (d == null) {
            table.setOwn(j.unit, ActiveState.ACTIVE, SubState.ACTIVE, Result.SUCCESS, null);
            finish(j, Result.SUCCESS, null);
            return;
        }
        rec.own = null;
        UnitSnapshot s = d.snapshot();
        if (s.active() == ActiveState.ACTIVE) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        if (s.active() == ActiveState.FAILED) {
            // failed -> inactive is reported while the job runs: the client waits for its own start, not the old result
            j.clearing = true;
            try {
                d.resetFailed();
            } finally {
                j.clearing = false;
            }
        }
        rec.startedWith = u;
        d.start();
    }

    private void runStop(JobRun j, UnitRuntime rec) {
        // a stop interrupts a start (or reload) still running for an older request: that job ends canceled
        for (Transaction t : running) {
            if (t == j.tx) continue;
            for (JobRun o : t.jobs) {
                if (o.unit.equals(j.unit) && o.phase == JobRun.Phase.RUNNING && o.type != JobType.STOP) {
                    cancel(o, j.tx.describe());
                }
            }
        }
        ServiceDriver d = rec.driver;
        if (d == null) {
            UnitSnapshot s = table.snapshot(j.unit);
            if (s.active() != ActiveState.INACTIVE || s.result() == Result.CONDITION) {
                table.setOwn(j.unit, ActiveState.INACTIVE, SubState.DEAD, s.result() == Result.CONDITION ? null : s.result(), null);
            }
            finish(j, Result.SUCCESS, null);
            return;
        }
        table.clearOwn(rec);
        UnitSnapshot s = d.snapshot();
        if ((s.active() == ActiveState.INACTIVE || s.active() == ActiveState.FAILED) && s.sub() != SubState.AUTO_RESTART) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        d.stop();
    }

    private void runReload(JobRun j, Unit u, UnitRuntime rec) {
        ServiceDriver d = rec.driver;
        if (d == null) {
            finish(j, Result.SUCCESS, null);
            return;
        }
        if (u.service() == null || u.service().execReload() == null) {
            finish(j, Result.EXEC, j.unit + " has no exec-reload");
            return;
        }
        d.reload();
    }

    // ---------------------------------------------------------------- driver reports

    /** A state change of the unit {@code j} acts on: ends the job when the change is its outcome. */
    void progress(JobRun j, UnitSnapshot s) {
        switch (j.type) {
            case START -> startProgress(j, s);
            case RESTART -> throw new IllegalStateException("a restart job in a plan: " + j.unit); // refused in submit
            case STOP -> {
                if ((s.active() == ActiveState.INACTIVE || s.active() == ActiveState.FAILED) && s.sub() != SubState.AUTO_RESTART) {
                    finish(j, Result.SUCCESS, null);
                }
            }
            case RELOAD -> {
                if (s.active() == ActiveState.ACTIVE && s.sub() != SubState.RELOAD) finish(j, Result.SUCCESS, null);
                else if (s.active() == ActiveState.FAILED || s.active() == ActiveState.INACTIVE) finishAsReported(j, s, Result.EXIT_CODE);
            }
            case VERIFY_ACTIVE -> { }
        }
    }

    private void startProgress(JobRun j, UnitSnapshot s) {
        if (s.active() == ActiveState.ACTIVE) {
            finish(j, Result.SUCCESS, null);
        } else if (s.active() == ActiveState.INACTIVE && s.result() == Result.SUCCESS) {
            finish(j, Result.SUCCESS, null);
        } else if (s.sub() == SubState.AUTO_RESTART || s.active() == ActiveState.FAILED) {
            finishAsReported(j, s, Result.EXIT_CODE);
        } else if (s.active() == ActiveState.INACTIVE) {
            finishAsReported(j, s, Result.CANCELED);
        }
    }

    /** Ends {@code j} with the unit's reported result ({@code otherwise} when it has none), words and exit code. */
    private void finishAsReported(JobRun j, UnitSnapshot s, Result otherwise) {
        finish(j, s.result() == null ? otherwise : s.result(), s.resultDetail(), s.exitCode());
    }

    /**
     * True when a transaction still running has stopped {@code unit} on purpose (its stop job, or a
     * restart's stop half, has run) and has a job for {@code dependent} too: that transaction decides what
     * becomes of the dependent (a restart's start half, or its own stop), so binds-to propagation does not
     * stop it behind the plan's back. (A restarted unit bound without ordering may be up again before the
     * unit it binds to has finished stopping.)
     */
    boolean decidedByTransaction(String unit, String dependent) {
        for (Transaction t : running) {
            if (t.finished()) continue;
            boolean stopped = false, planned = false;
            for (JobRun o : t.jobs) {
                if (o.unit.equals(unit) && o.type == JobType.STOP && o.started != null) stopped = true;
                if (o.unit.equals(dependent)) planned = true;
            }
            if (stopped && planned) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- finishing

    /** Ends a job: successors and parked jobs become ready; observers and the transaction's end follow as notices. */
    void finish(JobRun j, Result r, String detail) { finish(j, r, detail, null); }

    /** {@link #finish}, with the unit's exit code when the job ends on its report. */
    private void finish(JobRun j, Result r, String detail, Integer exitCode) {
        if (j.phase == JobRun.Phase.DONE) return;
        j.phase = JobRun.Phase.DONE;
        j.result = r;
        j.detail = detail;
        j.exitCode = exitCode;
        j.finished = loop.now();
        UnitRuntime rec = table.at(j.unit);
        if (rec.current == j) rec.current = null;
        if (rec.acting == j) rec.acting = null;
        if (r != Result.CANCELED) rec.cause = describeCause(j);
        history.jobFinished(record(j));
        for (JobRun s : j.successors) {
            if (--s.pending == 0) worklist.ready(s);
        }
        for (JobRun w : j.waiters) worklist.ready(w);
        j.waiters.clear();
        if (--j.tx.remaining == 0) worklist.notice(() -> finishTx(j.tx));
    }

    private static String describeCause(JobRun j) {
        String verb = switch (j.type) {
            case START -> "started";
            case STOP -> "stopped";
            case RESTART -> "restarted";
            case RELOAD -> "reloaded";
            case VERIFY_ACTIVE -> "verified";
        };
        return j.tx.cause(j.type, verb, j.reason);
    }

    private JobRecord record(JobRun j) {
        return history.record(j, table.definition(j.unit).description());
    }

    private void finishTx(Transaction t) {
        running.remove(t);
        List<JobRecord> recs = new ArrayList<>();
        for (JobRun j : t.jobs) recs.add(record(j));
        history.transactionFinished(t, recs);
        t.done.complete(new Outcome(t.request, t.canceledBy, recs));
    }
}
