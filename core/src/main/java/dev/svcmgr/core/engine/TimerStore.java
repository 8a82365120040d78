package dev.svcmgr.core.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where timers keep their last trigger time, so that {@code persistent: true} can run an elapse
 * missed while the manager was down (units.md "Timers"). The daemon keeps them in its state
 * directory; engine tests and simulations keep them in memory.
 */
public interface TimerStore {
    /** The last trigger of {@code timer}, or null. */
    Instant last(String timer);

    /** Records a trigger (must not throw: a store that cannot write says so itself). */
    void save(String timer, Instant at);

    /** A store in memory (tests, simulations, a manager without a state directory). */
    static TimerStore inMemory() {
        Map<String, Instant> m = new HashMap<>();
        return new TimerStore() {
            @Override
            public synchronized Instant last(String timer) { return m.get(timer); }

            @Override
            public synchronized void save(String timer, Instant at) { m.put(timer, at); }
        };
    }
}
