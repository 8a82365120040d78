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
    /**
     * True when nothing was replaced and no job of a unit the request named failed (a condition
     * skip is not a failure). Units pulled in only through {@code wants} may fail: that is
     * reported ({@link #ignoredFailures}) and ignored; a failed hard requirement already shows as
     * the named unit's own {@code dependency} failure.
     */
    public boolean success() {
        if (canceledBy != null) return false;
        java.util.Set<String> asked = java.util.Set.copyOf(request.units());
        return jobs.stream().filter(j -> asked.contains(j.unit())).noneMatch(JobRecord::failed);
    }

    /** Failed jobs of units the request did not name (reported, not counted). */
    public List<JobRecord> ignoredFailures() {
        java.util.Set<String> asked = java.util.Set.copyOf(request.units());
        return jobs.stream().filter(j -> !asked.contains(j.unit()) && j.failed()).toList();
    }
}
