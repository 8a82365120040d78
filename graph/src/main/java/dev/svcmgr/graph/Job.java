package dev.svcmgr.graph;

import java.util.List;

/**
 * One job of a plan.
 *
 * @param unit   canonical unit name
 * @param type   what to do
 * @param wave   0-based; a job's wave is greater than the wave of every job it is ordered after
 * @param reason one line: the chain of edges from the request to this job,
 *               e.g. {@code required by api.service, wanted by multi-user.target}
 * @param after  units of the jobs in this plan that must finish before this one starts (sorted)
 */
public record Job(String unit, JobType type, int wave, String reason, List<String> after) {
    public Job {
        after = List.copyOf(after);
    }
}
