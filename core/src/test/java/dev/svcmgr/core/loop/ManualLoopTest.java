package dev.svcmgr.core.loop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManualLoopTest {
    private final ManualLoop loop = new ManualLoop();
    private final List<String> log = new ArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + loop.elapsed().toMillis());
    }

    @Test
    void postedWorkWaitsForRunUntilIdleAndRunsInOrder() {
        loop.execute(note("a"));
        loop.execute(() -> {
            log.add("b@" + loop.elapsed().toMillis());
            loop.execute(note("c"));
        });
        assertEquals(List.of(), log);
        assertEquals(3, loop.runUntilIdle());
        assertEquals(List.of("a@0", "b@0", "c@0"), log);
    }

    @Test
    void advanceRunsEachTimerAtItsOwnTimeInDueOrder() {
        loop.schedule(Duration.ofMillis(300), note("late"));
        loop.schedule(Duration.ofMillis(100), () -> {
            log.add("early@" + loop.elapsed().toMillis());
            loop.schedule(Duration.ofMillis(50), note("chained"));
        });
        loop.schedule(Duration.ofMillis(100), note("tie"));
        loop.advance(Duration.ofMillis(250));
        assertEquals(List.of("early@100", "tie@100", "chained@150"), log);
        assertEquals(250, loop.elapsed().toMillis());
        assertEquals(Duration.ofMillis(50), loop.nextTimer());
        loop.advance(Duration.ofMillis(50));
        assertEquals("late@300", log.get(3));
        assertNull(loop.nextTimer());
    }

    @Test
    void aCancelledTimerNeverRuns() {
        Loop.Cancellable c = loop.schedule(Duration.ofSeconds(90), note("timeout"));
        loop.advance(Duration.ofSeconds(89));
        c.cancel();
        loop.advance(Duration.ofHours(1));
        assertEquals(List.of(), log);
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsAndLeavesTheClockAtTheLastTimer() {
        loop.schedule(Duration.ofSeconds(90), note("timeout"));
        loop.schedule(Duration.ofSeconds(200), note("never"));
        assertTrue(loop.runUntil(() -> !log.isEmpty(), Duration.ofHours(1)));
        assertEquals(List.of("timeout@90000"), log);
        assertEquals(Duration.ofSeconds(90), loop.elapsed());
        assertFalse(loop.runUntil(() -> false, Duration.ofSeconds(10)), "nothing falls due within the limit");
        assertEquals(Duration.ofSeconds(90), loop.elapsed());
    }

    @Test
    void runUntilChecksTheConditionBetweenTasksSoEndlessWorkStops() {
        int[] n = {0};
        Runnable again = new Runnable() {
            @Override
            public void run() {
                n[0]++;
                loop.execute(this);
            }
        };
        loop.execute(again);
        assertTrue(loop.runUntil(() -> n[0] >= 1000, Duration.ZERO));
        assertEquals(1000, n[0]);
    }

    @Test
    void theClocksFollowTheEpochAndElapsedTime() {
        ManualLoop l = new ManualLoop(Instant.parse("2030-05-01T10:00:00Z"), t -> { });
        l.advance(Duration.ofMinutes(90));
        assertEquals(Instant.parse("2030-05-01T11:30:00Z"), l.now());
        assertEquals(Duration.ofMinutes(90).toNanos(), l.nanos());
        assertTrue(l.inLoop());
    }

    @Test
    void errorsGoToTheHandlerAndTheDefaultRethrows() {
        List<Throwable> seen = new ArrayList<>();
        ManualLoop l = new ManualLoop(Instant.EPOCH, seen::add);
        l.execute(() -> { throw new IllegalStateException("boom"); });
        l.execute(() -> seen.add(new RuntimeException("after")));
        l.runUntilIdle();
        assertEquals(2, seen.size(), "the loop goes on after an error");
        loop.execute(() -> { throw new IllegalStateException("boom"); });
        assertThrows(IllegalStateException.class, loop::runUntilIdle);
    }
}
