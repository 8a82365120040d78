package dev.svcmgr.core.supervise;

import dev.svcmgr.units.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    static final long MS = 1_000_000L;

    ServiceConfig cfg() {
        Svc s = new Svc();
        s.restartDelay = Duration.ofMillis(100);
        s.restartMaxDelay = Duration.ofMillis(1000);
        return s.config();
    }

    @Test
    void theGapDoublesPerConsecutiveFailureUpToTheMaximum() {
        ServiceConfig c = cfg();
        assertEquals(100 * MS, ServiceSupervisor.restartWaitNanos(c, 1, 0, 0, 1.0));
        assertEquals(200 * MS, ServiceSupervisor.restartWaitNanos(c, 2, 0, 0, 1.0));
        assertEquals(400 * MS, ServiceSupervisor.restartWaitNanos(c, 3, 0, 0, 1.0));
        assertEquals(800 * MS, ServiceSupervisor.restartWaitNanos(c, 4, 0, 0, 1.0));
        assertEquals(1000 * MS, ServiceSupervisor.restartWaitNanos(c, 5, 0, 0, 1.0));
        assertEquals(1000 * MS, ServiceSupervisor.restartWaitNanos(c, 500, 0, 0, 1.0));
    }

    @Test
    void anInfiniteDelayNeverOverflowsIntoAnImmediateRestart() {
        Svc s = new Svc();
        s.restartDelay = dev.svcmgr.units.Durations.INFINITY;
        s.restartMaxDelay = dev.svcmgr.units.Durations.INFINITY;
        long now = System.nanoTime();
        assertEquals(true, ServiceSupervisor.restartWaitNanos(s.config(), 3, now, now, 1.1) > 1_000_000_000_000_000L);
    }

    @Test
    void jitterStaysWithinTenPercent() {
        ServiceConfig c = cfg();
        assertEquals(90 * MS, ServiceSupervisor.restartWaitNanos(c, 1, 0, 0, 0.9));
        assertEquals(110 * MS, ServiceSupervisor.restartWaitNanos(c, 1, 0, 0, 1.1));
    }

    @Test
    void aServiceThatRanLongerThanTheGapRestartsAtOnceAndAQuickOneWaitsTheRest() {
        ServiceConfig c = cfg();
        assertEquals(0, ServiceSupervisor.restartWaitNanos(c, 1, 0, 500 * MS, 1.0));
        assertEquals(70 * MS, ServiceSupervisor.restartWaitNanos(c, 1, 0, 30 * MS, 1.0));
    }
}
