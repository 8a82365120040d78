package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;

import java.time.Instant;

/**
 * An immutable view of one unit's runtime state, as the engine publishes it.
 *
 * @param unit         canonical name
 * @param active       active column
 * @param sub          sub column
 * @param result       last result, null when it never ran
 * @param resultDetail words for the result, e.g. {@code exited with status 1},
 *                     {@code Stage: executing command / Error: No such file or directory}; may be null
 * @param mainPid      main PID or null
 * @param since        when {@code active} last changed
 * @param statusText   {@code STATUS=} text from notify, or null
 * @param failedDependency for result {@code dependency}: the requirement (canonical name) that failed or
 *                     cannot be loaded, which {@code resultDetail} names in words; else null
 * @param exitCode     the status the process whose end decided the result exited with (the main process,
 *                     or a start-pre/start-post command's); null when no process exit decided it, the
 *                     process was killed by a signal, its status is unknown (it ended while no manager ran),
 *                     or the result was restored from a former manager's records
 */
public record UnitSnapshot(String unit, ActiveState active, SubState sub, Result result, String resultDetail,
                           Integer mainPid, Instant since, String statusText, String failedDependency, Integer exitCode) {

    public static UnitSnapshot initial(String unit, Instant now) {
        return new UnitSnapshot(unit, ActiveState.INACTIVE, SubState.DEAD, null, null, null, now, null, null, null);
    }

    // written out: a record's generated equals goes through method handles, which C1 (the daemon's only
    // compiler) does not inline: ~50 µs a comparison, and every state change of a service compares one
    @Override
    public boolean equals(Object o) {
        return o instanceof UnitSnapshot s && active == s.active && sub == s.sub && result == s.result
                && java.util.Objects.equals(unit, s.unit) && java.util.Objects.equals(resultDetail, s.resultDetail)
                && java.util.Objects.equals(mainPid, s.mainPid) && java.util.Objects.equals(since, s.since)
                && java.util.Objects.equals(statusText, s.statusText) && java.util.Objects.equals(failedDependency, s.failedDependency)
                && java.util.Objects.equals(exitCode, s.exitCode);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(unit, active, sub, result, resultDetail, mainPid, since, statusText, failedDependency, exitCode);
    }
}
