package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timer units (units.md "Timers") on the manual clock: every trigger kind, a service still running
 * not started twice, a clock set backwards or forwards, DST, persistent, randomized delay.
 */
class TimerEngineTest extends EngineHarness {
    /** When each start of {@code service} was asked for (wall clock), in order. */
    private final List<Instant> starts = new ArrayList<>();

    private void bootIn(ZoneId zone, TimerStore store) throws Exception {
        boot();
        onLoopRun(() -> {
            manager.setZone(zone);
            if (store != null) manager.setTimerStore(store);
            manager.setRandom(new java.util.Random(7));
            manager.addObserver(new Manager.Observer() {
                @Override
                public void jobFinished(JobRecord r) {
                    if (r.unit().equals("job.service") && r.type() == dev.svcmgr.graph.JobType.START) starts.add(loop.now());
                }
            });
        });
    }

    private void timer(String yaml) throws Exception {
        unit("job.service.yaml", "exec: [/bin/true]\n");
        unit("job.timer.yaml", yaml);
    }

    /** Lets the service end by itself (a oneshot's run is over) after each start. */
    private void endEachRun() {
        world.beforeReturn = what -> { };
        manager.addObserver(new Manager.Observer() {
            @Override
            public void jobFinished(JobRecord r) {
                if (r.unit().equals("job.service") && r.type() == dev.svcmgr.graph.JobType.START) {
                    loop.execute(() -> world.drivers.get("job.service").exitCleanly());
                }
            }
        });
    }

    private void advance(Duration d) {
        loop.advance(d);
        loop.runUntilIdle();
    }

    @Test
    @DisplayName("on-active: the service starts once, exactly when the time has passed; the timer is active (scheduled, then running)")
    void onActive() throws Exception {
        timer("on-active: 10min\n");
        bootIn(ZoneOffset.UTC, null);
        run(Request.Verb.START, "job.timer");
        assertEquals(ActiveState.ACTIVE, active("job.timer"));
        assertEquals(SubState.SCHEDULED, onLoop(() -> manager.snapshot("job.timer").sub()));
        assertEquals(Instant.parse("2026-01-01T00:10:00Z"), onLoop(() -> manager.timers().get(0).next()));
        advance(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(List.of(), starts);
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(Instant.parse("2026-01-01T00:10:00Z")), starts);
        assertEquals(ActiveState.ACTIVE, active("job.service"));
        assertEquals(SubState.RUNNING, onLoop(() -> manager.snapshot("job.timer").sub()));
        assertEquals(Instant.parse("2026-01-01T00:10:00Z"), onLoop(() -> manager.timers().get(0).last()));
        assertNull(onLoop(() -> manager.timers().get(0).next()), "on-active elapses once per activation");
        advance(Duration.ofHours(5));
        assertEquals(1, starts.size());
    }

    @Test
    @DisplayName("on-calendar hourly: one start per hour, at the hour")
    void hourly() throws Exception {
        timer("on-calendar: hourly\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        loop.advance(Duration.ofMinutes(30));
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(5));
        List<Instant> want = new ArrayList<>();
        for (int h = 1; h <= 5; h++) want.add(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(h)));
        assertEquals(want, starts);
    }

    @Test
    @DisplayName("an elapse while the service still runs does not start it twice")
    void stillRunningIsNotStartedTwice() throws Exception {
        timer("on-calendar: hourly\n");
        bootIn(ZoneOffset.UTC, null);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(3).plusMinutes(1));
        assertEquals(1, starts.size(), "started at 01:00 and still running at 02:00 and 03:00");
        assertEquals(List.of("start job.service"), world.calls);
        assertEquals(Instant.parse("2026-01-01T03:00:00Z"), onLoop(() -> manager.timers().get(0).last()));
    }

    @Test
    @DisplayName("a clock set backwards after an elapse does not fire it twice; the next comes at its wall-clock time")
    void clockSetBackwards() throws Exception {
        timer("on-calendar: hourly\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(1));
        assertEquals(List.of(Instant.parse("2026-01-01T01:00:00Z")), starts);
        loop.setWallClockBy(Duration.ofMinutes(-30)); // wall 00:30 again
        advance(Duration.ofMinutes(89)); // wall 01:59
        assertEquals(1, starts.size(), "01:00 passed again on the wall clock and did not fire again");
        advance(Duration.ofMinutes(1));
        assertEquals(List.of(Instant.parse("2026-01-01T01:00:00Z"), Instant.parse("2026-01-01T02:00:00Z")), starts);
    }

    @Test
    @DisplayName("a clock set forward over three elapses fires once (noticed within a minute), then at the next hour")
    void clockSetForward() throws Exception {
        timer("on-calendar: hourly\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofMinutes(10));
        loop.setWallClockBy(Duration.ofHours(3)); // wall 03:10: 01:00, 02:00 and 03:00 were skipped over
        advance(TimerDriver.WALL_RECHECK);
        assertEquals(1, starts.size(), "one run for the elapses jumped over: " + starts);
        advance(Duration.ofMinutes(48)); // wall 03:59
        assertEquals(1, starts.size());
        advance(Duration.ofMinutes(1));
        assertEquals(Instant.parse("2026-01-01T04:00:00Z"), starts.get(1));
        assertEquals(2, starts.size());
    }

    @Test
    @DisplayName("DST in Europe/Berlin: 02:30 daily runs once a day across spring forward (at 03:30) and fall back (once)")
    void daylightSavingTime() throws Exception {
        timer("on-calendar: \"*-*-* 02:30:00\"\n");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        bootIn(berlin, null);
        onLoopRun(this::endEachRun);
        // the loop starts 2026-01-01; the wall clock is set to 2026-03-27 00:00 UTC before the timer starts
        loop.setWallClockBy(Duration.between(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-27T00:00:00Z")));
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofDays(5));
        List<String> local = starts.stream().map(t -> t.atZone(berlin).toLocalDateTime().toString()).toList();
        assertEquals(List.of("2026-03-27T02:30", "2026-03-28T02:30", "2026-03-29T03:30", "2026-03-30T02:30",
                "2026-03-31T02:30"), local);
        run(Request.Verb.STOP, "job.timer");
        loop.setWallClockBy(Duration.between(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-10-24T00:00:00Z")));
        run(Request.Verb.START, "job.timer");
        starts.clear();
        advance(Duration.ofDays(3));
        assertEquals(3, starts.size(), "once a day across the night the clock goes back: " + starts);
        for (int i = 1; i < starts.size(); i++) assertTrue(starts.get(i).isAfter(starts.get(i - 1)));
    }

    @Test
    @DisplayName("persistent: a daily run missed while the manager was down runs at once when the timer starts; without it, it waits")
    void persistent() throws Exception {
        TimerStore store = TimerStore.inMemory();
        store.save("job.timer", Instant.parse("2025-12-30T03:00:00Z")); // then the manager was down on the 31st at 03:00
        timer("on-calendar: \"*-*-* 03:00\"\npersistent: true\n");
        bootIn(ZoneOffset.UTC, store);
        run(Request.Verb.START, "job.timer");
        loop.runUntilIdle();
        assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z")), starts, "the missed run, at once");
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), store.last("job.timer"));
        assertEquals(Instant.parse("2026-01-01T03:00:00Z"), onLoop(() -> manager.timers().get(0).next()));
    }

    @Test
    @DisplayName("without persistent a missed run is not made up")
    void notPersistent() throws Exception {
        TimerStore store = TimerStore.inMemory();
        store.save("job.timer", Instant.parse("2025-12-30T03:00:00Z"));
        timer("on-calendar: \"*-*-* 03:00\"\n");
        bootIn(ZoneOffset.UTC, store);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(2));
        assertEquals(List.of(), starts);
    }

    @Test
    @DisplayName("on-boot then on-unit-active: first a minute after the manager started, then an hour after each activation")
    void onBootThenOnUnitActive() throws Exception {
        timer("on-boot: 1min\non-unit-active: 1h\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(3).plusMinutes(2));
        List<Instant> want = new ArrayList<>();
        for (int h = 0; h <= 3; h++) want.add(Instant.parse("2026-01-01T00:01:00Z").plus(Duration.ofHours(h)));
        assertEquals(want, starts);
    }

    @Test
    @DisplayName("on-unit-inactive: an hour after the service last became inactive")
    void onUnitInactive() throws Exception {
        timer("on-unit-inactive: 1h\non-active: 1s\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(2).plusSeconds(3));
        assertEquals(List.of(Instant.parse("2026-01-01T00:00:01Z"), Instant.parse("2026-01-01T01:00:01Z"),
                Instant.parse("2026-01-01T02:00:01Z")), starts);
    }

    @Test
    @DisplayName("randomized-delay: each elapse comes within the delay after its time, and not always at the same offset")
    void randomizedDelay() throws Exception {
        timer("on-calendar: hourly\nrandomized-delay: 10min\n");
        bootIn(ZoneOffset.UTC, null);
        onLoopRun(this::endEachRun);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofHours(10).plusMinutes(11));
        assertEquals(10, starts.size(), starts.toString());
        java.util.Set<Long> offsets = new java.util.TreeSet<>();
        for (int i = 0; i < 10; i++) {
            Instant hour = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(i + 1));
            Duration late = Duration.between(hour, starts.get(i));
            assertTrue(!late.isNegative() && late.compareTo(Duration.ofMinutes(10)) <= 0, "elapse " + i + " late by " + late);
            offsets.add(late.toMillis());
        }
        assertTrue(offsets.size() > 5, "random offsets: " + offsets);
    }

    @Test
    @DisplayName("stopping the timer cancels its elapses; starting it again re-arms on-active")
    void stopCancels() throws Exception {
        timer("on-active: 10min\n");
        bootIn(ZoneOffset.UTC, null);
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofMinutes(5));
        run(Request.Verb.STOP, "job.timer");
        assertEquals(ActiveState.INACTIVE, active("job.timer"));
        assertNull(onLoop(() -> manager.timers().get(0).next()));
        advance(Duration.ofHours(1));
        assertEquals(List.of(), starts);
        assertEquals(0, loop.pendingTimers(), "nothing left scheduled");
        run(Request.Verb.START, "job.timer");
        advance(Duration.ofMinutes(10));
        assertEquals(1, starts.size());
    }
}
