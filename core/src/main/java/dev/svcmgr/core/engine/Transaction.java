package dev.svcmgr.core.engine;

import dev.svcmgr.graph.Request;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One accepted request being run: its jobs and how far they are (loop thread only). */
final class Transaction {
    final long id;
    final Request request;
    final boolean boot;
    final Instant started;
    /** Every job, in plan order. */
    final List<JobRun> jobs = new ArrayList<>();
    /** Each unit's last job in plan order (a restarted unit's start half). */
    final Map<String, JobRun> lastJob = new HashMap<>();
    final CompletableFuture<Outcome> done = new CompletableFuture<>();
    /** Jobs not finished yet; 0 once every job has ended. */
    int remaining;
    /** The request that replaced one of its jobs, or null. */
    String canceledBy;
    /** For requests the engine made itself: why (e.g. {@code db.service failed: exit-code (required by it)}). */
    String origin;

    Transaction(long id, Request request, boolean boot, Instant started) {
        this.id = id;
        this.request = request;
        this.boot = boot;
        this.started = started;
    }

    boolean finished() { return remaining == 0; }

    /** Adds a job (in plan order). */
    void add(JobRun j) {
        jobs.add(j);
        lastJob.put(j.unit, j);
    }

    /** The unit's last job in this transaction (a restart's start half), or null. */
    JobRun jobOf(String unit) { return lastJob.get(unit); }
}
