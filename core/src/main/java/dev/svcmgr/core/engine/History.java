package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine remembers of what happened: the numbered event history ({@link EventLog}), the
 * last finished transitions for {@code analyze}, and the observers told of each finished job and
 * transaction. Observers are told from the {@link Worklist} (never from the middle of a state
 * change), in the order things finished.
 */
final class History {
    private final Loop loop;
    private final Worklist worklist;
    private final EventLog events = new EventLog();
    private final ArrayDeque<TransitionRecord> transitions = new ArrayDeque<>();
    private final List<Manager.Observer> observers = new ArrayList<>();

    History(Loop loop, Worklist worklist) {
        this.loop = loop;
        this.worklist = worklist;
    }

    EventLog events() { return events; }

    void addObserver(Manager.Observer o) { observers.add(o); }

    List<TransitionRecord> transitions() { return new ArrayList<>(transitions); }

    /** Puts a unit's state in the event history unless (active, sub, result) is what was put last. */
    void emit(UnitRuntime r, UnitSnapshot s) {
        String result = s.result() == null ? null : s.result().word();
        String key = s.active().word() + "/" + s.sub().word() + "/" + result;
        if (key.equals(r.lastEmitted)) return;
        r.lastEmitted = key;
        events.append(loop.now(), r.name, s.active().word(), s.sub().word(), result);
    }

    JobRecord record(JobRun j, String description) {
        return new JobRecord(j.tx.id, j.unit, j.type, j.reason, j.tx.started, j.started, j.finished, j.result,
                j.detail, j.exitCode, description);
    }

    /** A job ended: observers are told once the current step is done. */
    void jobFinished(JobRecord rec) {
        worklist.notice(() -> {
            for (Manager.Observer o : observers) o.jobFinished(rec);
        });
    }

    /** A transaction ended: kept for {@code analyze}, then observers are told. */
    TransitionRecord transactionFinished(Transaction t, List<JobRecord> recs) {
        Map<String, List<String>> after = new TreeMap<>();
        for (JobRun j : t.jobs) {
            // a unit's last job (a restart's start half) stands for it; its wait for its own stop half is left out
            List<String> others = new ArrayList<>(j.after);
            others.remove(j.unit);
            after.put(j.unit, others);
        }
        TransitionRecord tr = new TransitionRecord(t.id, t.describe(), t.boot, t.started, loop.now(), recs, after);
        transitions.addLast(tr);
        while (transitions.size() > Manager.TRANSITIONS_KEPT) transitions.removeFirst();
        for (Manager.Observer o : observers) o.transactionFinished(tr);
        return tr;
    }

    /** A transient unit left the unit list. */
    void transientRemoved(String unit) {
        for (Manager.Observer o : observers) o.transientRemoved(unit);
    }
}
