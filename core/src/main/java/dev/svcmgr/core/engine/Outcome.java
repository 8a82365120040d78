package dev.svcmgr.core.engine;

import dev.svcmgr.graph.Request;

import java.util.List;

/**
 * How a transaction ended.
 *
 * @param request    what was asked
 * @param canceledBy the request that replaced this one's jobs, or null
 * @param jobs       every job's record, in plan order
 */
public record Outcome(Request request, String canceledBy, List<JobRecord> jobs) {
    /** True when no job failed (a condition skip is not a failure) and nothing was replaced. */
    public boolean success() {
        return canceledBy == null && jobs.stream().noneMatch(j -> j.result() != null && j.result().isFailure());
    }
}
