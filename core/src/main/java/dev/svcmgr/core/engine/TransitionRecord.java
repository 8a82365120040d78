package dev.svcmgr.core.engine;

import java.time.Instant;
import java.util.List;

/**
 * One finished transition (boot, isolate, start, shutdown ...), kept for {@code analyze}.
 *
 * @param tx       transaction number
 * @param request  e.g. {@code isolate rescue.target}
 * @param boot     true for the boot transaction
 * @param started  when it was accepted
 * @param finished when its last job ended
 * @param jobs     its jobs
 * @param after    for each unit, the units its job waited for (ordering predecessors in the plan)
 */
public record TransitionRecord(long tx, String request, boolean boot, Instant started, Instant finished,
                               List<JobRecord> jobs, java.util.Map<String, List<String>> after) {}
