package dev.svcmgr.core.engine;

import dev.svcmgr.graph.JobType;
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

    /** {@link Request#describe()} of the request, once (history, errors, cancellations: one string however many jobs). */
    private String described;
    /** {@link Request#abbreviated()} of the request, once: every job's cause starts with it. */
    private String abbreviated;
    /** Each job type's causes by reason ({@code started by start web.service -> requested}), made once and shared by every job. */
    @SuppressWarnings("unchecked")
    private final Map<String, String>[] causes = new Map[JobType.values().length];

    String describe() {
        if (described == null) described = request.describe();
        return described;
    }

    private String abbreviated() {
        if (abbreviated == null) abbreviated = request.abbreviated();
        return abbreviated;
    }

    /**
     * {@code <verb> because <origin>}, or {@code <verb> by <request>} and {@code -> <reason>} when there is
     * one; the same text for the same type and reason is one string (a start of 1,000 units wanted by one
     * target has two or three causes, not 1,000).
     */
    String cause(JobType type, String verb, String reason) {
        Map<String, String> m = causes[type.ordinal()];
        if (m == null) causes[type.ordinal()] = m = new HashMap<>(4);
        String key = origin != null || reason == null ? "" : reason;
        String c = m.get(key);
        if (c == null) {
            c = origin != null ? verb + " because " + origin : verb + " by " + abbreviated() + (key.isEmpty() ? "" : " -> " + key);
            m.put(key, c);
        }
        return c;
    }

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
