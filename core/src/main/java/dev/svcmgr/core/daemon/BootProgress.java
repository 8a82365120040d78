package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.graph.JobType;

/**
 * The daemon's progress lines, one per finished job ({@code [  OK  ] Started db.service - ... (212 ms)},
 * {@code [ SKIP ]}, {@code [FAILED]}), as docs/manager.md shows them. Pure.
 */
final class BootProgress {
    private BootProgress() {}

    /** The line for a finished job, or null for a job that prints none (a canceled one, a verify-active). */
    static String line(JobRecord r) {
        if (r.result() == Result.CANCELED) return null;
        String name = r.unit();
        String desc = r.description() == null || r.description().isEmpty() ? "" : " - " + r.description();
        if (r.type() == JobType.START || r.type() == JobType.RESTART) {
            if (r.result() == Result.SUCCESS) return "[  OK  ] Started " + name + desc + " (" + r.millis() + " ms)";
            if (r.result() == Result.CONDITION) return "[ SKIP ] Skipped " + name + desc + ": " + r.detail();
            return "[FAILED] Failed to start " + name + ": " + why(r);
        }
        if (r.type() == JobType.STOP) {
            return r.result() == Result.SUCCESS ? "[  OK  ] Stopped " + name + desc : "[FAILED] Failed to stop " + name + ": " + why(r);
        }
        if (r.type() == JobType.RELOAD) {
            return r.result() == Result.SUCCESS ? "[  OK  ] Reloaded " + name + desc : "[FAILED] Failed to reload " + name + ": " + why(r);
        }
        return null;
    }

    /** The job's words for its result, else the result's word. */
    static String why(JobRecord r) {
        String d = r.detail();
        if (d != null && !d.isEmpty()) return d;
        return r.result() == null ? "unknown" : r.result().word();
    }
}
