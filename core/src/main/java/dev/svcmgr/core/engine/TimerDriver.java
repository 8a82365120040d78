package dev.svcmgr.core.engine;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.CalendarEvent;
import dev.svcmgr.units.TimerConfig;
import dev.svcmgr.units.Unit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A timer unit (units.md "Timers"): while active it keeps one scheduled wake-up on the loop for the
 * earliest of its triggers and, when that comes, asks the engine to start its service as
 * {@code svcmgr start} would. Loop thread only; all time is read from the {@link Loop}, so the rules
 * are tested on a manual clock.
 *
 * <p>Two clocks, as systemd keeps them: {@code on-boot}, {@code on-active}, {@code on-unit-active} and
 * {@code on-unit-inactive} count on the monotonic clock (setting the wall clock moves none of them);
 * {@code on-calendar} counts on the wall clock in the host's zone. The next calendar elapse is always
 * computed strictly after both the last one and the current time, so a clock set backwards never
 * fires an elapse twice, and one set forward over several elapses fires once (not once per elapse
 * missed). A wall-clock wake-up is checked again at most a minute ahead, so a clock set forward is
 * noticed within a minute; a wake-up that comes before its wall-clock time (the clock went back) is
 * moved, not fired.
 */
final class TimerDriver extends UnitTrigger {
    /** What a timer needs of the engine and the host. */
    interface Host {
        /** Starts {@code service} with a start job, as {@code svcmgr start} would ({@code timer} elapsed). */
        void elapse(String timer, String service);

        /** The current state of a unit. */
        UnitSnapshot state(String unit);

        /** The monotonic time ({@link Loop#nanos()}) when the manager started. */
        long bootNanos();

        /** The zone calendar events are read in (unless they end in UTC). */
        ZoneId zone();

        /** Where the last trigger times are kept. */
        TimerStore store();

        /** A random delay in [0, bound] for {@code randomized-delay}. */
        Duration random(Duration bound);
    }

    /** Longest sleep before a wall-clock elapse is checked again (a clock set forward is noticed by then). */
    static final Duration WALL_RECHECK = Duration.ofMinutes(1);

    private final Host host;
    private TimerConfig cfg;

    private Loop.Cancellable wakeUp;
    /** Monotonic deadline of the next monotonic trigger, or Long.MAX_VALUE. */
    private long nextMono = Long.MAX_VALUE;
    /** Wall-clock time of the next calendar elapse (random delay included), or null. */
    private Instant nextWall;
    /** The calendar elapse {@link #nextWall} stands for (without the random delay). */
    private Instant nextWallBase;
    /** Last trigger (wall clock), or null. */
    private Instant last;
    private long activeNanos;
    /** The random delay added to the monotonic triggers until the next elapse. */
    private long monoDelay;
    private boolean bootFired;
    private boolean activeFired;
    /** Monotonic times of the service's last entry into active and into inactive, or -1. */
    private long serviceActiveNanos = -1;
    private long serviceInactiveNanos = -1;
    private boolean unitActiveFiredFor;
    private boolean unitInactiveFiredFor;

    TimerDriver(Unit unit, Loop loop, Host host, Listener listener) {
        super(unit, loop, listener);
        this.cfg = unit.timer();
        this.host = host;
    }

    /** The service this timer starts. */
    @Override
    String service() { return cfg.service(); }

    @Override
    UnitSnapshot serviceState() { return host.state(cfg.service()); }

    @Override
    SubState waiting() { return SubState.SCHEDULED; }

    /** The next elapse on the wall clock (a monotonic one converted at the current time), or null when none is due. */
    Instant next() {
        if (snap.active() != ActiveState.ACTIVE) return null;
        Instant mono = nextMono == Long.MAX_VALUE ? null : loop.now().plusNanos(Math.max(0, nextMono - loop.nanos()));
        if (mono == null) return nextWall;
        if (nextWall == null) return mono;
        return mono.isBefore(nextWall) ? mono : nextWall;
    }

    /** The last trigger, or null when it never elapsed (kept across manager restarts). */
    Instant last() { return last != null ? last : host.store().last(unit.name()); }

    // ---------------------------------------------------------------- ServiceDriver

    @Override
    public void start() {
        if (snap.active() == ActiveState.ACTIVE) return;
        if (last == null) last = host.store().last(unit.name());
        activeNanos = loop.nanos();
        monoDelay = host.random(cfg.randomizedDelay()).toNanos();
        activeFired = false;
        unitActiveFiredFor = false;
        unitInactiveFiredFor = false;
        UnitSnapshot s = host.state(cfg.service());
        if (s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING) serviceActiveNanos = loop.nanos();
        publish(ActiveState.ACTIVE, Result.SUCCESS);
        boolean missed = false;
        if (cfg.persistent() && last != null) {
            // an elapse that came while no manager ran: once, now
            Instant after = firstCalendar(last);
            missed = after != null && !after.isAfter(loop.now());
        }
        nextWallBase = null;
        nextWall = null;
        arm();
        if (missed) fire("persistent: an elapse missed while the manager was down");
    }

    @Override
    public void stop() {
        cancel();
        nextMono = Long.MAX_VALUE;
        nextWall = null;
        nextWallBase = null;
        if (snap.active() != ActiveState.INACTIVE) publish(ActiveState.INACTIVE, snap.result());
    }

    @Override
    public void resetFailed() {
        if (snap.active() == ActiveState.FAILED) publish(ActiveState.INACTIVE, null);
    }

    @Override
    public void setUnit(Unit u) {
        this.unit = u;
        this.cfg = u.timer();
        if (snap.active() == ActiveState.ACTIVE) {
            nextWall = null;
            nextWallBase = null;
            arm();
        }
    }

    // ---------------------------------------------------------------- the service's changes

    /** The timer's service changed state (called by the engine for every change of {@link #service()}). */
    @Override
    void serviceChanged(UnitSnapshot before, UnitSnapshot after) {
        boolean wasUp = up(before), isUp = up(after);
        if (after.active() == ActiveState.ACTIVE && before.active() != ActiveState.ACTIVE
                || after.active() == ActiveState.STARTING && before.active() != ActiveState.STARTING && before.active() != ActiveState.ACTIVE) {
            // entered activation (a oneshot without remain-after-exit counts from its start)
            serviceActiveNanos = loop.nanos();
            unitActiveFiredFor = false;
        }
        if (wasUp && !isUp) {
            serviceInactiveNanos = loop.nanos();
            unitInactiveFiredFor = false;
        }
        if (snap.active() == ActiveState.ACTIVE) {
            if (wasUp != isUp) publish(ActiveState.ACTIVE, snap.result());
            arm();
        }
    }

    // ---------------------------------------------------------------- scheduling

    /** Works out the next monotonic and calendar elapses and sets the one wake-up for the earlier. */
    private void arm() {
        cancel();
        if (snap.active() != ActiveState.ACTIVE) return;
        nextMono = Long.MAX_VALUE;
        if (cfg.onBoot() != null && !bootFired) nextMono = Math.min(nextMono, host.bootNanos() + cfg.onBoot().toNanos());
        if (cfg.onActive() != null && !activeFired) nextMono = Math.min(nextMono, activeNanos + cfg.onActive().toNanos());
        if (cfg.onUnitActive() != null && serviceActiveNanos >= 0 && !unitActiveFiredFor) {
            nextMono = Math.min(nextMono, serviceActiveNanos + cfg.onUnitActive().toNanos());
        }
        if (cfg.onUnitInactive() != null && serviceInactiveNanos >= 0 && !unitInactiveFiredFor) {
            nextMono = Math.min(nextMono, serviceInactiveNanos + cfg.onUnitInactive().toNanos());
        }
        if (nextWallBase == null && !cfg.calendar().isEmpty()) {
            Instant from = last != null && last.isAfter(loop.now()) ? last : loop.now();
            nextWallBase = firstCalendar(from);
            nextWall = nextWallBase == null ? null : nextWallBase.plus(host.random(cfg.randomizedDelay()));
        }
        if (nextMono != Long.MAX_VALUE) nextMono += monoDelay;
        long delay = Long.MAX_VALUE;
        if (nextMono != Long.MAX_VALUE) delay = Math.max(0, nextMono - loop.nanos());
        if (nextWall != null) {
            long wall = Math.max(0, Duration.between(loop.now(), nextWall).toNanos());
            delay = Math.min(delay, Math.min(wall, WALL_RECHECK.toNanos()));
        }
        if (delay == Long.MAX_VALUE) return;
        wakeUp = loop.schedule(Duration.ofNanos(delay), this::wake);
    }

    private Instant firstCalendar(Instant after) {
        Instant best = null;
        for (CalendarEvent e : cfg.calendar()) {
            Instant n = e.next(after, host.zone());
            if (n != null && (best == null || n.isBefore(best))) best = n;
        }
        return best;
    }

    private void wake() {
        wakeUp = null;
        if (snap.active() != ActiveState.ACTIVE) return;
        long now = loop.nanos();
        String why = null;
        if (nextMono != Long.MAX_VALUE && now >= nextMono) {
            // every monotonic trigger that is due is used up by this one elapse
            if (cfg.onBoot() != null && !bootFired && now >= host.bootNanos() + cfg.onBoot().toNanos()) {
                bootFired = true;
                why = "on-boot";
            }
            if (cfg.onActive() != null && !activeFired && now >= activeNanos + cfg.onActive().toNanos()) {
                activeFired = true;
                why = why == null ? "on-active" : why;
            }
            if (cfg.onUnitActive() != null && serviceActiveNanos >= 0 && !unitActiveFiredFor
                    && now >= serviceActiveNanos + cfg.onUnitActive().toNanos()) {
                unitActiveFiredFor = true;
                why = why == null ? "on-unit-active" : why;
            }
            if (cfg.onUnitInactive() != null && serviceInactiveNanos >= 0 && !unitInactiveFiredFor
                    && now >= serviceInactiveNanos + cfg.onUnitInactive().toNanos()) {
                unitInactiveFiredFor = true;
                why = why == null ? "on-unit-inactive" : why;
            }
        }
        if (nextWall != null && !loop.now().isBefore(nextWall)) {
            why = why == null ? "on-calendar" : why;
            // the next calendar elapse comes strictly after this one and after now (a jump forward fires once)
            last = nextWallBase;
            nextWallBase = null;
            nextWall = null;
        }
        if (why == null) { // early: the wall clock went back, or a periodic check before a far elapse
            arm();
            return;
        }
        fire(why);
    }

    private void fire(String why) {
        Instant at = loop.now();
        if (last == null || at.isAfter(last)) last = at;
        host.store().save(unit.name(), last);
        monoDelay = host.random(cfg.randomizedDelay()).toNanos();
        UnitSnapshot s = host.state(cfg.service());
        boolean running = s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING
                || s.active() == ActiveState.STOPPING;
        // a service still running is not started twice
        if (!running) host.elapse(unit.name(), cfg.service());
        arm();
        publish(ActiveState.ACTIVE, Result.SUCCESS);
    }

    private void cancel() {
        if (wakeUp != null) wakeUp.cancel();
        wakeUp = null;
    }

    private void publish(ActiveState a, Result r) { publish(a, r, null); }
}
