package dev.svcmgr.core.engine;

import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One job of a {@link Transaction} as the {@link Executor} runs it (loop thread only). */
final class JobRun {
    enum Phase { WAITING, RUNNING, DONE }

    final Transaction tx;
    /** Numbered from 1 over the manager's life ({@code list-jobs}). */
    long id;
    final String unit;
    final JobType type;
    final String reason;
    /** The units whose jobs of the plan it waits for, as the plan prints them. */
    final List<String> after;
    /** Jobs of the same transaction that wait for this one (the plan's edges, reversed). */
    final List<JobRun> successors = new ArrayList<>();
    /** Jobs of younger transactions parked on this one ({@link Executor#blockers}). */
    final List<JobRun> waiters = new ArrayList<>();
    /** Jobs of the same transaction not finished yet that this one waits for. */
    int pending;
    Phase phase = Phase.WAITING;
    /** The stop half of a restart: waits for a running start instead of interrupting it. */
    boolean restartHalf;
    /** Set while the job clears an old failure before starting: that change is not its outcome. */
    boolean clearing;
    /** A running job of an older transaction doing the same: this one ends as it ends. */
    JobRun joined;
    Result result;
    String detail;
    /** The unit's exit code when the job ended on its report ({@link JobRecord#exitCode}). */
    Integer exitCode;
    Instant started;
    Instant finished;

    JobRun(Transaction tx, Job job) {
        this.tx = tx;
        this.unit = job.unit();
        this.type = job.type();
        this.reason = job.reason();
        this.after = job.after();
    }

    /** {@code after} waits for {@code before}. */
    static void link(JobRun before, JobRun after) {
        before.successors.add(after);
        after.pending++;
    }
}
