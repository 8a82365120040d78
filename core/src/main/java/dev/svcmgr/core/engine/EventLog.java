package dev.svcmgr.core.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded history of state changes with consecutive sequence numbers, and its
 * subscribers. Appended to on the loop thread only; subscribers are called on the
 * loop thread and must not block (the control server queues for its clients).
 */
public final class EventLog {
    /** How many events are retained (the contract asks for at least 10,000). */
    public static final int RETAINED = 20_000;

    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private long nextSeq = 1;

    /** Records a change and tells every subscriber. */
    public Event append(Instant time, String unit, String active, String sub, String result) {
        Event e = new Event(nextSeq++, time, unit, active, sub, result);
        history.addLast(e);
        while (history.size() > RETAINED) history.removeFirst();
        for (Consumer<Event> s : subscribers) s.accept(e);
        return e;
    }

    /** The last sequence number handed out (0 when none). */
    public long lastSeq() { return nextSeq - 1; }

    /** The oldest retained sequence number, or {@code lastSeq() + 1} when empty. */
    public long firstRetained() { return history.isEmpty() ? nextSeq : history.peekFirst().seq(); }

    /** Retained events with a sequence number greater than {@code since}. */
    public List<Event> after(long since) {
        List<Event> out = new ArrayList<>();
        for (Event e : history) if (e.seq() > since) out.add(e);
        return out;
    }

    public void subscribe(Consumer<Event> s) { subscribers.add(s); }

    public void unsubscribe(Consumer<Event> s) { subscribers.remove(s); }
}
