package dev.svcmgr.units;

import java.time.Duration;
import java.util.List;

/**
 * A timer unit's settings (units.md "Timers"): when it elapses and which service an elapse starts.
 * Every trigger is optional, but a timer has at least one; a duration trigger that is not set is null.
 *
 * @param calendar         the {@code on-calendar} events, in the order written
 * @param onBoot           after the manager started
 * @param onActive         after the timer unit became active
 * @param onUnitActive     after the service last became active
 * @param onUnitInactive   after the service last became inactive
 * @param persistent       an {@code on-calendar} elapse missed while the manager was down runs at its next start
 * @param randomizedDelay  a random delay up to this is added to each elapse ({@link Duration#ZERO}: none)
 * @param accuracy         how far an elapse may be moved to coalesce wake-ups (default 1 s)
 * @param service          the service an elapse starts
 */
public record TimerConfig(List<CalendarEvent> calendar, Duration onBoot, Duration onActive, Duration onUnitActive,
                          Duration onUnitInactive, boolean persistent, Duration randomizedDelay, Duration accuracy,
                          String service) {
    public static final Duration DEFAULT_ACCURACY = Duration.ofSeconds(1);

    public TimerConfig {
        calendar = List.copyOf(calendar);
    }
}
