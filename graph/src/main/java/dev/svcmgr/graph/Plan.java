package dev.svcmgr.graph;

import java.util.List;

/**
 * A transaction the resolver accepted: jobs sorted by (wave, unit). Data only: it
 * can be printed, compared with a golden file and executed (STYLE habit 3).
 *
 * @param request the request it answers
 * @param jobs    every job, ordered by wave then unit name
 */
public record Plan(Request request, List<Job> jobs) implements Resolution {
    public Plan {
        jobs = List.copyOf(jobs);
    }

    /** The job for a unit, or null. */
    public Job job(String unit) {
        for (Job j : jobs) if (j.unit().equals(unit)) return j;
        return null;
    }
}
