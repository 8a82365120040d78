package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.graph.Reaction;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.RuntimeEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Runtime propagation: what a unit's change that no job of its own asked for does to other units.
 * The change is classified into a {@link RuntimeEvent}; the units that react and how come from the
 * runtime columns of the graph module's behaviour table ({@code DependencyGraph.reactions}), never
 * from kind names here. Each reaction becomes a request the engine makes itself, with its origin
 * kept for {@code why}:
 * <ul>
 * <li>a stop, only for units that are up and have no start queued; after a deactivation, not for
 *   units that the transaction which stopped the unit on purpose also has a job for (that
 *   transaction decides);</li>
 * <li>a start, as asked.</li>
 * </ul>
 * Starts are asked before stops. A service waiting in {@code auto-restart} propagates nothing, and
 * nothing propagates during shutdown.
 */
final class Propagation {
    /** Where the requests go: a request the engine makes itself, with {@code origin} (why) for {@code why}. */
    interface Requests {
        void internal(Request.Verb verb, List<String> units, String origin);
    }

    private final UnitTable table;
    private final Executor executor;
    private final Requests requests;

    Propagation(UnitTable table, Executor executor, Requests requests) {
        this.table = table;
        this.executor = executor;
        this.requests = requests;
    }

    /** The runtime event a change is, or null when it is none. */
    static RuntimeEvent classify(UnitSnapshot before, UnitSnapshot after) {
        if (after.active() == ActiveState.FAILED && before.active() != ActiveState.FAILED) return RuntimeEvent.FAILED;
        boolean wasUp = before.active() == ActiveState.ACTIVE || before.active() == ActiveState.STARTING
                || before.active() == ActiveState.STOPPING;
        if (after.active() == ActiveState.INACTIVE && wasUp && after.sub() != SubState.AUTO_RESTART) {
            return RuntimeEvent.DEACTIVATED;
        }
        return null;
    }

    /** Propagates a change of {@code unit}. */
    void changed(String unit, UnitSnapshot before, UnitSnapshot after) {
        RuntimeEvent event = classify(before, after);
        if (event == null) return;
        List<Reaction> reactions = table.graph().reactions(unit, event);
        for (JobType job : List.of(JobType.START, JobType.STOP)) {
            List<String> names = new ArrayList<>();
            for (Reaction r : reactions) {
                if (r.job() != job) continue;
                if (job == JobType.STOP && !shouldStop(unit, r.unit(), event)) continue;
                names.add(r.unit());
            }
            if (names.isEmpty()) continue;
            Request.Verb verb = job == JobType.START ? Request.Verb.START : Request.Verb.STOP;
            requests.internal(verb, names, origin(unit, after, event, job));
        }
    }

    private boolean shouldStop(String unit, String dependent, RuntimeEvent event) {
        if (event == RuntimeEvent.DEACTIVATED && executor.decidedByTransaction(unit, dependent)) return false;
        ActiveState a = table.snapshot(dependent).active();
        UnitRuntime r = table.get(dependent);
        JobRun queued = r == null ? null : r.current;
        boolean queuedStart = queued != null && queued.type == JobType.START;
        return (a == ActiveState.ACTIVE || a == ActiveState.STARTING) && !queuedStart;
    }

    /** Why, as {@code why} shows it after {@code stopped because} / {@code started because}. */
    static String origin(String unit, UnitSnapshot after, RuntimeEvent event, JobType job) {
        if (event == RuntimeEvent.DEACTIVATED) return unit + " went inactive (bound to it)";
        String how = after.result() == null ? "failed" : "failed: " + after.result().word();
        return job == JobType.START ? "on-failure of " + unit + ", which " + how : unit + " " + how + " (required by it)";
    }
}
