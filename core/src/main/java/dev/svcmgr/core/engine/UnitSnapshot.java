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
 */
public record UnitSnapshot(String unit, ActiveState active, SubState sub, Result result, String resultDetail,
                           Integer mainPid, Instant since, String statusText) {

    public static UnitSnapshot initial(String unit, Instant now) {
        return new UnitSnapshot(unit, ActiveState.INACTIVE, SubState.DEAD, null, null, null, now, null);
    }
}
