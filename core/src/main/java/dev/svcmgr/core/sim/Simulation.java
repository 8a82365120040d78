package dev.svcmgr.core.sim;

import dev.svcmgr.core.engine.CriticalChain;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.protocol.SimulationReport;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.UnitSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs one request through the real {@link Manager} on a {@link ManualLoop}, with service drivers from a
 * {@link World} (the real supervisors on a fake OS), and reports what happened ({@code svcmgr simulate}).
 * Units active at the outset are started first, unscripted, before the clock is read; then the script
 * takes effect and the request runs until its jobs and whatever they set off are done, or
 * {@link #LIMIT} of simulated time has passed. Runs on the calling thread; starts no process.
 */
public final class Simulation {
    /** How much simulated time a request may take before the simulation gives up on it. */
    public static final Duration LIMIT = Duration.ofHours(24);
    /** How much wall time a simulation may take (a unit set that keeps the engine busy without end). */
    public static final Duration WALL_LIMIT = Duration.ofSeconds(60);

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** Where the simulated services come from. */
    public interface World extends AutoCloseable {
        /** Drivers for services on {@code loop}; each process acts as the script current at its spawn says. */
        ServiceDriver.Factory drivers(Loop loop, Supplier<Script> script);

        /** Units whose process was spawned to fail as the script says (the simulation waits for those failures). */
        default Set<String> armedFailures() { return Set.of(); }

        @Override
        void close();
    }

    /**
     * The system to simulate.
     *
     * @param units    the loaded definitions
     * @param disabled units whose install links are off
     * @param masked   masked units
     * @param active   units active at the outset (from a daemon's current state; empty offline)
     * @param env      the manager's environment (conditions read it)
     */
    public record Input(UnitSet units, Set<String> disabled, Set<String> masked, Set<String> active, Map<String, String> env) {}

    /**
     * What the simulated processes do ({@code --fail}, {@code --slow}, {@code --hang}); every unit not named
     * starts at once and succeeds.
     *
     * @param fail units whose start fails, with the result it fails with ({@code exit-code} unless given)
     * @param slow units that take this long to start (to become ready, or for a oneshot to finish)
     * @param hang units whose processes never become ready, never finish on their own and ignore SIGTERM
     */
    public record Script(Map<String, Result> fail, Map<String, Duration> slow, Set<String> hang) {
        public static final Script NONE = new Script(Map.of(), Map.of(), Set.of());

        /** The results {@code --fail UNIT=RESULT} accepts: the failures one run of a service's processes can cause. */
        public static final Set<Result> FAILURES = Set.of(Result.EXIT_CODE, Result.SIGNAL, Result.TIMEOUT, Result.EXEC,
                Result.WATCHDOG, Result.OOM_KILL);

        public Script {
            fail = Map.copyOf(fail);
            slow = Map.copyOf(slow);
            hang = Set.copyOf(hang);
        }

        /** Every unit the script names. */
        public Set<String> units() {
            Set<String> all = new java.util.TreeSet<>(fail.keySet());
            all.addAll(slow.keySet());
            all.addAll(hang);
            return all;
        }
    }

    private Simulation() {}

    /** How a refusal of the script itself (not of the request) begins: a usage error for the CLI. */
    public static final String CANNOT = "cannot simulate that: ";

    /** The engine (or the isolate rules) refused the request: the same refusal a daemon gives. */
    public static final class Refused extends Exception {
        public Refused(String message) { super(message); }
    }

    /**
     * Simulates {@code request} with the real supervisors on a fake OS.
     *
     * @throws Refused when the request would be refused
     */
    public static SimulationReport run(Input in, Request request, Script script) throws Refused {
        if (request.verb() == Request.Verb.ISOLATE) {
            if (request.units().size() != 1) throw new Refused("isolate takes exactly one target");
            dev.svcmgr.units.Unit t = in.units().lookup(request.units().get(0));
            if (t != null && !t.allowIsolate()) {
                throw new Refused(t.name() + " may not be isolated (it lacks allow-isolate: true)");
            }
        }
        String impossible = SimulatedServices.impossible(in.units(), script);
        if (impossible != null) throw new Refused(CANNOT + impossible);
        try (SimulatedServices world = new SimulatedServices(in.units())) {
            return run(in, request, script, world);
        } catch (Manager.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    /**
     * Simulates {@code request} with drivers from {@code world}.
     *
     * @throws Manager.Refused when the engine refuses the request
     */
    static SimulationReport run(Input in, Request request, Script script, World world) throws Manager.Refused {
        List<Throwable> errors = new ArrayList<>();
        ManualLoop loop = new ManualLoop(EPOCH, errors::add);
        AtomicReference<Script> current = new AtomicReference<>(Script.NONE);
        Manager m = new Manager(loop, in.units(), in.disabled(), in.masked(), world.drivers(loop, current::get), in.env());
        List<JobRecord> ended = new ArrayList<>();
        m.addObserver(new Manager.Observer() {
            @Override
            public void jobFinished(JobRecord r) { ended.add(r); }
        });
        long setupEnd = System.nanoTime() + WALL_LIMIT.toNanos();
        startAtTheOutset(m, loop, in, setupEnd);
        loop.runUntil(() -> !loop.hasReadyWork() || System.nanoTime() > setupEnd, Duration.ZERO);
        ended.clear();
        long t0 = loop.nanos();
        long seq0 = m.events().lastSeq();
        // units the script makes fail: the simulation goes on until each one spawned to fail has failed once
        Set<String> failedOnce = new java.util.HashSet<>();
        m.events().subscribe(e -> {
            if (wentDown(e)) failedOnce.add(e.unit());
        });
        java.util.function.BooleanSupplier pendingFailure = () -> world.armedFailures().stream().anyMatch(u ->
                !failedOnce.contains(u) && m.snapshot(u).active().isUp());
        current.set(script);
        Resolution planned = m.plan(request);
        CompletableFuture<Outcome> f = m.submit(request);
        long wallEnd = System.nanoTime() + WALL_LIMIT.toNanos();
        java.util.function.BooleanSupplier done = () -> f.isDone() && m.jobCount() == 0 && !loop.hasReadyWork()
                && !pendingFailure.getAsBoolean();
        loop.runUntil(() -> done.getAsBoolean() || System.nanoTime() > wallEnd, LIMIT);
        boolean settled = done.getAsBoolean();
        boolean wallHit = !settled && System.nanoTime() > wallEnd;
        // given up: at the limit of simulated time, or earlier when the wall-clock budget ran out
        long gaveUpAt = settled ? 0 : wallHit ? loop.nanos() - t0 : LIMIT.toNanos();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the simulated engine failed: " + errors.get(0), errors.get(0));
        }
        return report(m, t0, seq0, gaveUpAt, wallHit, request, planned, f, ended, settled);
    }

    /**
     * Brings the units active at the outset up, unscripted: all in one request, or (when that is refused:
     * a masked or broken unit among them, a conflict) one by one, skipping those refused.
     */
    private static void startAtTheOutset(Manager m, ManualLoop loop, Input in, long wallEnd) {
        List<String> up = new ArrayList<>(new java.util.TreeSet<>(in.active()));
        up.removeIf(u -> in.units().lookup(u) == null);
        if (up.isEmpty()) return;
        List<List<String>> batches = new ArrayList<>(List.of(up));
        while (!batches.isEmpty()) {
            List<String> batch = batches.remove(0);
            try {
                CompletableFuture<Outcome> f = m.submit(new Request(Request.Verb.START, batch, JobMode.REPLACE, false));
                loop.runUntil(() -> (f.isDone() && m.jobCount() == 0) || System.nanoTime() > wallEnd, LIMIT);
            } catch (Manager.Refused refused) {
                // one by one; a unit that is refused alone simply starts out inactive
                if (batch.size() > 1) for (String u : batch) batches.add(List.of(u));
            }
        }
    }

    private static SimulationReport report(Manager m, long t0, long seq0, long gaveUpAt, boolean wallHit, Request request,
                                           Resolution planned,
                                           CompletableFuture<Outcome> f, List<JobRecord> ended, boolean settled) {
        Instant start = EPOCH.plusNanos(t0);
        List<SimulationReport.Job> jobs = new ArrayList<>();
        List<SimulationReport.Failure> failures = new ArrayList<>();
        Set<String> involved = new LinkedHashSet<>();
        Map<String, CriticalChain.Job> chainJobs = new LinkedHashMap<>();
        // what each planned job waits for, by unit and type (a restart has a stop and a start job of one unit)
        Map<String, List<String>> after = new java.util.HashMap<>();
        List<Job> plannedJobs = planned instanceof dev.svcmgr.graph.Plan p ? p.jobs() : List.of();
        for (Job j : plannedJobs) {
            List<String> units = new ArrayList<>(j.after());
            units.remove(j.unit()); // a start half waits for its own stop half: not a wait on another unit
            after.put(j.unit() + " " + j.type().word(), units);
        }
        long last = 0;
        Set<String> done = new java.util.HashSet<>();
        for (JobRecord r : ended) {
            Long s = ms(start, r.started());
            Long e = ms(start, r.finished());
            if (e != null) last = Math.max(last, e);
            jobs.add(new SimulationReport.Job(r.unit(), r.type().word(), s, e, r.result() == null ? null : r.result().word(), r.detail()));
            involved.add(r.unit());
            done.add(r.unit() + " " + r.type().word());
            if (r.failed()) failures.add(new SimulationReport.Failure(r.unit(), r.result().word(), why(m, r)));
            List<String> waited = after.get(r.unit() + " " + r.type().word());
            if (waited != null) {
                chainJobs.remove(r.unit()); // a unit's later job (a restart's start half) stands for it, in the order jobs ended
                chainJobs.put(r.unit(), new CriticalChain.Job(r.unit(), s, e, waited));
            }
        }
        {
            for (Job j : plannedJobs) {
                if (done.contains(j.unit() + " " + j.type().word())) continue;
                UnitSnapshot snap = m.snapshot(j.unit());
                Long s = snap.active().word().endsWith("ing") ? ms(start, snap.since()) : null;
                jobs.add(new SimulationReport.Job(j.unit(), j.type().word(), s, null, null, "still " + snap.active().word()
                        + " when the simulation gave up after " + Durations.format(Duration.ofNanos(gaveUpAt))));
                involved.add(j.unit());
            }
        }
        List<SimulationReport.Final> finals = new ArrayList<>();
        // units whose job succeeded (a simple service is up once spawned) and that failed afterwards
        Set<String> counted = new java.util.HashSet<>();
        for (SimulationReport.Failure x : failures) counted.add(x.unit());
        for (dev.svcmgr.core.engine.Event e : m.events().after(seq0)) {
            if (!wentDown(e)) continue;
            last = Math.max(last, ms(start, e.time()));
            if (!counted.add(e.unit())) continue;
            Result res = Result.of(e.result());
            UnitSnapshot snap = m.snapshot(e.unit());
            String detail = res == snap.result() ? snap.resultDetail() : null;
            failures.add(new SimulationReport.Failure(e.unit(), res.word(),
                    detail == null ? "failed after it started" : detail + ", after it started"));
            involved.add(e.unit());
        }
        for (String u : involved) {
            UnitSnapshot snap = m.snapshot(u);
            finals.add(new SimulationReport.Final(u, snap.active().word(), snap.sub().word(), snap.result() == null ? null : snap.result().word()));
        }
        List<String> chain = new ArrayList<>();
        List<CriticalChain.Job> cj = new ArrayList<>(chainJobs.values());
        String tail = CriticalChain.last(cj);
        if (tail != null) for (CriticalChain.Link l : CriticalChain.from(tail, cj)) chain.add(l.unit());
        boolean ok = settled && f.isDone() && !f.isCompletedExceptionally() && f.join().success();
        long duration = settled ? last : gaveUpAt / 1_000_000;
        String gaveUp = settled ? null : wallHit
                ? "the simulation took more than " + Durations.format(WALL_LIMIT) + " of wall time, at " + Durations.format(Duration.ofNanos(gaveUpAt))
                        + " of simulated time"
                : "still running after " + Durations.format(LIMIT) + " of simulated time";
        return new SimulationReport(request.describe(), ok, settled, duration, jobs, failures, finals, chain, gaveUp);
    }

    /** A unit's process failed: a failure result as it went to {@code failed} or {@code auto-restart}. */
    private static boolean wentDown(dev.svcmgr.core.engine.Event e) {
        Result r = Result.of(e.result());
        return r != null && r.isFailure() && r != Result.CANCELED && ("failed".equals(e.sub()) || "auto-restart".equals(e.sub()));
    }

    /** Why a job failed: its own words, else the unit's. */
    private static String why(Manager m, JobRecord r) {
        if (r.detail() != null && !r.detail().isBlank()) return r.detail();
        UnitSnapshot s = m.snapshot(r.unit());
        return s.resultDetail() != null ? s.resultDetail() : r.result().word();
    }

    private static Long ms(Instant start, Instant t) {
        return t == null ? null : Math.max(0, Duration.between(start, t).toMillis());
    }
}
