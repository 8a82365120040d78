package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.StartLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restart budget on explicit times: no loop, no clock. */
class RestartBudgetTest {
    static final long MS = 1_000_000L;

    static ServiceConfig cfg(long delayMs, long maxMs, long resetMs) {
        Svc s = new Svc();
        s.restartDelay = Duration.ofMillis(delayMs);
        s.restartMaxDelay = Duration.ofMillis(maxMs);
        s.restartResetAfter = Duration.ofMillis(resetMs);
        return s.config();
    }

    @Nested
    class Backoff {
        final ServiceConfig c = cfg(100, 1000, 60_000);

        @Test
        void theGapDoublesPerConsecutiveFailureUpToTheMaximum() {
            long[] expected = {100, 200, 400, 800, 1000, 1000, 1000};
            for (int f = 1; f <= expected.length; f++) {
                assertEquals(expected[f - 1] * MS, RestartBudget.waitNanos(c, f, 0, 0, 1.0), "failures " + f);
            }
            assertEquals(1000 * MS, RestartBudget.waitNanos(c, 500, 0, 0, 1.0));
            assertEquals(1000 * MS, RestartBudget.waitNanos(c, Integer.MAX_VALUE, 0, 0, 1.0));
        }

        @Test
        void anInfiniteDelayNeverOverflowsIntoAnImmediateRestart() {
            Svc s = new Svc();
            s.restartDelay = Durations.INFINITY;
            s.restartMaxDelay = Durations.INFINITY;
            for (int f = 1; f < 70; f++) {
                assertTrue(RestartBudget.waitNanos(s.config(), f, 5, 5, 1.1) > 1_000_000_000_000_000L, "failures " + f);
            }
        }

        @Test
        void jitterScalesTheGapWithinTenPercent() {
            assertEquals(90 * MS, RestartBudget.waitNanos(c, 1, 0, 0, 0.9));
            assertEquals(110 * MS, RestartBudget.waitNanos(c, 1, 0, 0, 1.1));
            assertEquals(1100 * MS, RestartBudget.waitNanos(c, 9, 0, 0, 1.1), "the maximum is jittered too");
        }

        @Test
        void aServiceThatRanLongerThanTheGapRestartsAtOnceAndAQuickOneWaitsTheRest() {
            assertEquals(0, RestartBudget.waitNanos(c, 1, 0, 500 * MS, 1.0));
            assertEquals(0, RestartBudget.waitNanos(c, 1, 0, 100 * MS, 1.0), "exactly the gap: no wait");
            assertEquals(70 * MS, RestartBudget.waitNanos(c, 1, 0, 30 * MS, 1.0));
            assertEquals(170 * MS, RestartBudget.waitNanos(c, 2, 1000 * MS, 1030 * MS, 1.0), "counted from the last start");
        }

        @Test
        void aZeroDelayNeverWaits() {
            ServiceConfig z = cfg(0, 1000, 60_000);
            for (int f = 1; f < 10; f++) assertEquals(0, RestartBudget.waitNanos(z, f, 0, 0, 1.1));
        }

        @Test
        void consecutiveFailuresGrowTheWaitFromEachStart() {
            RestartBudget b = new RestartBudget();
            List<Long> waits = new ArrayList<>();
            long now = 0;
            for (int i = 0; i < 6; i++) {
                assertTrue(b.admit(null, i > 0, now));
                long failAt = now + 10 * MS; // each run fails 10 ms after its start
                long w = b.failed(c, failAt, () -> 1.0);
                waits.add(w / MS);
                now = failAt + w;
            }
            assertEquals(List.of(90L, 190L, 390L, 790L, 990L, 990L), waits);
            assertEquals(6, b.failures());
        }

        @Test
        void readyForRestartResetAfterStartsTheCountAgain() {
            ServiceConfig r = cfg(50, 1000, 300);
            RestartBudget b = new RestartBudget();
            b.admit(StartLimit.DEFAULT, false, 0);
            assertEquals(50 * MS, b.failed(r, 0, () -> 1.0));
            b.admit(StartLimit.DEFAULT, true, 50 * MS);
            assertEquals(100 * MS, b.failed(r, 50 * MS, () -> 1.0));
            b.admit(StartLimit.DEFAULT, true, 150 * MS);
            b.ready(150 * MS);
            b.ready(200 * MS); // the first readiness of the run counts
            // up 299 ms: not reset (the third failure's gap, 200 ms, is over: at once)
            assertEquals(0, b.failed(r, 449 * MS, () -> 1.0));
            assertEquals(3, b.failures());
            b.admit(StartLimit.DEFAULT, true, 449 * MS);
            b.ready(449 * MS);
            // up exactly 300 ms: reset, and it ran longer than the first gap: at once
            assertEquals(0, b.failed(r, 749 * MS, () -> 1.0));
            assertEquals(1, b.failures());
            b.admit(StartLimit.DEFAULT, true, 749 * MS);
            assertEquals(100 * MS, b.failed(r, 749 * MS, () -> 1.0), "then 100 again, never ready in between");
        }

        @Test
        void theJitterIsDrawnOnlyWhereItCanChangeTheWait() {
            ServiceConfig r = cfg(100, 1000, 60_000);
            RestartBudget b = new RestartBudget();
            b.admit(StartLimit.DEFAULT, false, 0);
            java.util.function.DoubleSupplier never = () -> { throw new AssertionError("jitter drawn"); };
            // ran 200 ms: past twice the (unjittered) gap of 100 ms, at once whatever the factor in [0.9, 1.1]
            assertEquals(0, b.failed(r, 200 * MS, never));
            b.admit(StartLimit.DEFAULT, true, 200 * MS);
            // ran 150 ms against a gap of 200: the factor decides (1.1: 220 - 150)
            assertEquals(70 * MS, b.failed(r, 350 * MS, () -> 1.1));
            b.admit(StartLimit.DEFAULT, true, 350 * MS);
            // ran 399 ms against 400 x 0.9 = 360: at once, but only the factor can tell
            assertEquals(0, b.failed(r, 749 * MS, () -> 0.9));
        }

        @Test
        void aStartSomeoneAskedForClearsTheFailuresButAnAutomaticOneKeepsThem() {
            RestartBudget b = new RestartBudget();
            b.admit(StartLimit.DEFAULT, false, 0);
            b.failed(c, 0, () -> 1.0);
            b.admit(StartLimit.DEFAULT, true, 0);
            b.failed(c, 0, () -> 1.0);
            assertEquals(2, b.failures());
            b.admit(StartLimit.DEFAULT, false, 0);
            assertEquals(0, b.failures());
        }
    }

    @Nested
    class StartLimits {
        final StartLimit three = new StartLimit(3, Duration.ofSeconds(10));

        @Test
        void theStartAfterBurstStartsWithinTheIntervalIsRefusedUntilCleared() {
            RestartBudget b = new RestartBudget();
            assertTrue(b.admit(three, false, 0));
            assertTrue(b.admit(three, true, 1000 * MS));
            assertTrue(b.admit(three, true, 2000 * MS));
            assertFalse(b.admit(three, true, 3000 * MS));
            assertTrue(b.limitHit());
            assertFalse(b.admit(three, false, 3000 * MS), "still three within the window");
            b.clear();
            assertFalse(b.limitHit());
            assertTrue(b.admit(three, false, 3000 * MS));
        }

        @Test
        void aStartExactlyOneIntervalOldStillCountsAndOneNanosecondMoreDoesNot() {
            RestartBudget b = new RestartBudget();
            long window = 10_000 * MS;
            b.admit(three, false, 0);
            b.admit(three, false, 1);
            b.admit(three, false, 2);
            assertFalse(b.admit(three, false, window), "the first start is exactly one interval old: counted");
            assertTrue(b.admit(three, false, window + 1), "now it is older: dropped");
        }

        @Test
        void noLimitWithoutBurstOrInterval() {
            for (StartLimit sl : new StartLimit[] {null, new StartLimit(0, Duration.ofSeconds(10)), new StartLimit(3, Duration.ZERO)}) {
                RestartBudget b = new RestartBudget();
                for (int i = 0; i < 100; i++) assertTrue(b.admit(sl, true, i), sl + " start " + i);
                assertFalse(b.limitHit());
            }
        }

        @Test
        void restartsAreCountedWhenDueAndSurviveReset() {
            RestartBudget b = new RestartBudget();
            b.restartDue();
            b.restartDue();
            b.clear();
            assertEquals(2, b.restarts());
        }

        @Test
        void aRestoredBudgetResumesTheRecordedCounts() {
            RestartBudget b = new RestartBudget();
            b.restore(4, 3, true, 1000 * MS);
            assertEquals(4, b.restarts());
            assertTrue(b.limitHit());
            b.uncountLastFailure();
            assertEquals(2, b.failures());
            b.startedLongAgo(1000 * MS);
            ServiceConfig c = cfg(100, 1000, 60_000);
            assertEquals(0, b.failed(c, 1000 * MS, () -> 1.0), "the last start is long past: no wait");
            assertEquals(3, b.failures());
        }
    }

    @Nested
    class Policy {
        static final Result[] RESULTS = {null, Result.SUCCESS, Result.EXIT_CODE, Result.SIGNAL, Result.TIMEOUT,
            Result.WATCHDOG, Result.OOM_KILL, Result.EXEC, Result.START_LIMIT};

        /** The table of docs/supervision.md, one row per result, one column per policy (no, on-failure, on-abnormal, always). */
        static boolean[] expected(Result r) {
            if (r == null || r == Result.SUCCESS) return new boolean[] {false, false, false, true};
            return switch (r) {
                case EXIT_CODE -> new boolean[] {false, true, false, true};
                case SIGNAL, TIMEOUT, WATCHDOG, OOM_KILL -> new boolean[] {false, true, true, true};
                default -> new boolean[] {false, false, false, false};
            };
        }

        @Test
        void everyPolicyAndResultForLongRunningTypes() {
            RestartPolicy[] ps = {RestartPolicy.NO, RestartPolicy.ON_FAILURE, RestartPolicy.ON_ABNORMAL, RestartPolicy.ALWAYS};
            for (ServiceType t : ServiceType.values()) {
                if (t == ServiceType.ONESHOT) continue;
                for (Result r : RESULTS) {
                    boolean[] e = expected(r);
                    for (int i = 0; i < ps.length; i++) {
                        assertEquals(e[i], RestartBudget.shouldRestart(ps[i], t, r), t + " " + ps[i] + " " + r);
                    }
                }
            }
        }

        @Test
        void aOneshotRestartsOnlyAfterAFailure() {
            for (Result r : RESULTS) {
                boolean failure = r != null && r.isFailure();
                assertEquals(failure && r != Result.EXEC && r != Result.START_LIMIT,
                        RestartBudget.shouldRestart(RestartPolicy.ALWAYS, ServiceType.ONESHOT, r), String.valueOf(r));
                assertFalse(RestartBudget.shouldRestart(RestartPolicy.NO, ServiceType.ONESHOT, r));
            }
        }
    }
}
