package dev.svcmgr.core.supervise;

import dev.svcmgr.core.supervise.Transitions.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one sd_notify datagram says, as supervisor {@link Event}s (docs/readiness-limits.md, "The
 * notify protocol"). It decides nothing: whether an event changes anything is the state table's
 * call. A {@code STATUS=} text is no event (it changes no state, only what {@code status} shows).
 */
final class NotifyTranslator {
    private NotifyTranslator() {}

    /** One event and its number ({@code MAINPID}'s PID, {@code EXTEND_TIMEOUT_USEC}'s microseconds; else 0). */
    record Notice(Event event, long value) {}

    /**
     * The datagram's meaning.
     *
     * @param statusSet whether it carried {@code STATUS=}
     * @param status    the new status text (null: cleared by an empty {@code STATUS=})
     * @param notices   the events, in the order the supervisor handles them
     */
    record Translation(boolean statusSet, String status, List<Notice> notices) {}

    /** The detail of a failure asked for by {@code WATCHDOG=trigger}. */
    static final String TRIGGER = "the service asked for its watchdog action (WATCHDOG=trigger)";

    static Translation translate(Map<String, String> f) {
        List<Notice> out = new ArrayList<>();
        if (f.containsKey("MAINPID")) {
            try {
                int pid = Integer.parseInt(f.get("MAINPID").strip());
                if (pid > 0) out.add(new Notice(Event.NOTIFY_MAINPID, pid));
            } catch (NumberFormatException e) {
                // not a PID: ignored, like systemd
            }
        }
        if (f.containsKey("EXTEND_TIMEOUT_USEC")) {
            try {
                long us = Long.parseLong(f.get("EXTEND_TIMEOUT_USEC").strip());
                if (us > 0) out.add(new Notice(Event.NOTIFY_EXTEND, us));
            } catch (NumberFormatException e) {
                // ignored
            }
        }
        if ("1".equals(f.get("WATCHDOG"))) out.add(new Notice(Event.WATCHDOG_PING, 0));
        if ("trigger".equals(f.get("WATCHDOG"))) out.add(new Notice(Event.WATCHDOG_MISSED, 0));
        if ("1".equals(f.get("RELOADING"))) out.add(new Notice(Event.NOTIFY_RELOADING, 0));
        if ("1".equals(f.get("STOPPING"))) out.add(new Notice(Event.NOTIFY_STOPPING, 0));
        if ("1".equals(f.get("READY"))) out.add(new Notice(Event.NOTIFY_READY, 0));
        boolean statusSet = f.containsKey("STATUS");
        String status = statusSet && !f.get("STATUS").isEmpty() ? f.get("STATUS") : null;
        return new Translation(statusSet, status, List.copyOf(out));
    }
}
