package dev.svcmgr.core.engine;

import dev.svcmgr.graph.JobType;

import java.time.Instant;

/**
 * What happened to one job, for progress lines, {@code analyze} and {@code why}.
 *
 * @param tx       transaction number
 * @param unit     the unit
 * @param type     start, stop, ...
 * @param reason   why the job was there (chain back to the request)
 * @param queued   when the transaction was accepted
 * @param started  when the job began acting (null when it never ran)
 * @param finished when it ended
 * @param result   its result
 * @param detail   words for the result, may be null
 * @param exitCode the unit's {@link UnitSnapshot#exitCode} when the job ended on what the unit reported
 *                 (null otherwise, e.g. a dependency failure: no process of the unit ran)
 * @param description the unit's description
 */
public record JobRecord(long tx, String unit, JobType type, String reason, Instant queued, Instant started,
                        Instant finished, Result result, String detail, Integer exitCode, String description) {
    /** True for a failure result other than being replaced by a later request. */
    public boolean failed() {
        return result != null && result.isFailure() && result != Result.CANCELED;
    }

    /** Milliseconds from start to finish, 0 when it never ran. */
    public long millis() {
        return started == null || finished == null ? 0 : java.time.Duration.between(started, finished).toMillis();
    }
}
