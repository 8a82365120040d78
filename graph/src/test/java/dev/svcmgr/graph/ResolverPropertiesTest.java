package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random-DAG properties (STYLE habit 10). Each repetition uses its own seed, printed in
 * the failure message, so a failure can be replayed.
 */
class ResolverPropertiesTest {
    private static final DepKind[] DOWN = {DepKind.REQUIRES, DepKind.WANTS, DepKind.BINDS_TO, DepKind.AFTER, DepKind.PART_OF};

    /** A random DAG: unit i relates only to lower-numbered units (and `before` to higher ones), so ordering is acyclic. */
    static DependencyGraph randomDag(long seed, int n, int avgDeps) {
        Random rnd = new Random(seed);
        TestUnits t = new TestUnits();
        for (int i = 0; i < n; i++) {
            String u = name(i);
            t.unit(u);
            if (i == 0) continue;
            int k = rnd.nextInt(2 * avgDeps + 1);
            for (int d = 0; d < k; d++) {
                if (rnd.nextInt(10) == 0 && i + 1 < n) {
                    t.dep(u, DepKind.BEFORE, name(i + 1 + rnd.nextInt(n - i - 1)));
                } else {
                    t.dep(u, DOWN[rnd.nextInt(DOWN.length)], name(rnd.nextInt(i)), rnd.nextInt(8) != 0);
                }
            }
        }
        return t.graph();
    }

    static String name(int i) { return String.format("u%04d.service", i); }

    static Map<String, Job> byUnit(Plan p) {
        Map<String, Job> m = new HashMap<>();
        for (Job j : p.jobs()) m.put(j.unit(), j);
        return m;
    }

    @RepeatedTest(40)
    void startPlansRespectOrderingAreClosedAndDeterministic(RepetitionInfo info) {
        long seed = 1000 + info.getCurrentRepetition();
        DependencyGraph g = randomDag(seed, 60 + (int) (seed % 60), 3);
        List<String> names = new ArrayList<>(g.names());
        Random rnd = new Random(seed);
        Request r = Request.of(Request.Verb.START, names.get(names.size() - 1 - rnd.nextInt(10)), names.get(rnd.nextInt(names.size())));
        Resolution res = Resolver.resolve(g, Map.of(), Set.of(), r);
        Plan p = assertInstanceOf(Plan.class, res, "seed " + seed + ": " + res);
        assertEquals(p, Resolver.resolve(randomDag(seed, 60 + (int) (seed % 60), 3), Map.of(), Set.of(), r), "same input, same plan; seed " + seed);
        Map<String, Job> jobs = byUnit(p);
        for (Job j : p.jobs()) {
            assertEquals(JobType.START, j.type());
            for (String b : g.orderedAfter(j.unit())) {
                Job jb = jobs.get(b);
                if (jb == null) continue;
                assertTrue(j.after().contains(b), "seed " + seed + ": " + j + " must wait for " + b);
                assertTrue(j.wave() > jb.wave(), "seed " + seed + ": " + j + " not after " + jb);
            }
            for (EdgeKind k : new EdgeKind[] {EdgeKind.REQUIRES, EdgeKind.WANTS, EdgeKind.BINDS_TO})
                for (Edge e : g.outgoing(j.unit(), k))
                    assertNotNull(jobs.get(e.to()), "seed " + seed + ": closed under " + k.word() + ": " + e.describe());
            int max = -1;
            for (String a : j.after()) max = Math.max(max, jobs.get(a).wave());
            assertEquals(max + 1, j.wave(), "wave = 1 + max(wave of after)");
        }
    }

    @RepeatedTest(40)
    void stoppingTheSameUnitsRunsTheExactReverseOrder(RepetitionInfo info) {
        long seed = 5000 + info.getCurrentRepetition();
        DependencyGraph g = randomDag(seed, 80, 4);
        List<String> names = new ArrayList<>(g.names());
        Plan start = assertInstanceOf(Plan.class,
                Resolver.resolve(g, Map.of(), Set.of(), Request.of(Request.Verb.START, names.get(names.size() - 1))));
        Map<String, ActiveState> active = new HashMap<>();
        List<String> started = new ArrayList<>();
        for (Job j : start.jobs()) {
            active.put(j.unit(), ActiveState.ACTIVE);
            started.add(j.unit());
        }
        Plan stop = assertInstanceOf(Plan.class, Resolver.resolve(g, active, Set.of(),
                new Request(Request.Verb.STOP, started, JobMode.REPLACE, false)));
        Map<String, Job> s = byUnit(start), t = byUnit(stop);
        assertEquals(s.keySet(), t.keySet(), "seed " + seed);
        for (Job a : start.jobs()) {
            for (Job b : start.jobs()) {
                boolean startAWaitsB = a.after().contains(b.unit());
                boolean stopBWaitsA = t.get(b.unit()).after().contains(a.unit());
                assertEquals(startAWaitsB, stopBWaitsA, "seed " + seed + ": " + a.unit() + " / " + b.unit());
            }
            assertEquals(JobType.STOP, t.get(a.unit()).type());
        }
    }

    @RepeatedTest(20)
    void isolateStopsExactlyTheActiveUnitsNotNeeded(RepetitionInfo info) {
        long seed = 9000 + info.getCurrentRepetition();
        DependencyGraph g = randomDag(seed, 70, 3);
        List<String> names = new ArrayList<>(g.names());
        Random rnd = new Random(seed);
        Map<String, ActiveState> state = new HashMap<>();
        for (String n : names) if (rnd.nextBoolean()) state.put(n, ActiveState.ACTIVE);
        String target = names.get(names.size() - 1);
        Request r = new Request(Request.Verb.ISOLATE, List.of(target), JobMode.ISOLATE, false);
        Plan p = assertInstanceOf(Plan.class, Resolver.resolve(g, state, Set.of(), r));
        Plan closure = assertInstanceOf(Plan.class, Resolver.resolve(g, Map.of(), Set.of(), Request.of(Request.Verb.START, target)));
        Set<String> needed = new HashSet<>(byUnit(closure).keySet());
        for (String n : names) {
            Job j = p.job(n);
            boolean up = state.containsKey(n);
            if (needed.contains(n)) {
                assertEquals(up ? null : JobType.START, j == null ? null : j.type(), "seed " + seed + " " + n);
            } else {
                assertEquals(up ? JobType.STOP : null, j == null ? null : j.type(), "seed " + seed + " " + n);
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger NON_EMPTY_PLANS = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void theRandomStatesProducedRealPlans() {
        assertTrue(NON_EMPTY_PLANS.get() > 100, "only " + NON_EMPTY_PLANS.get() + " non-empty plans: the generator is too narrow");
    }

    @RepeatedTest(60)
    void everyVerbOnRandomStatesGivesWavesThatRespectTheOrderingTable(RepetitionInfo info) {
        long seed = 20_000 + info.getCurrentRepetition();
        Random rnd = new Random(seed);
        DependencyGraph base = randomDag(seed, 50, 3);
        List<String> names = new ArrayList<>(base.names());
        TestUnits t = new TestUnits();
        // the same DAG plus a few conflicts
        for (String n : names) {
            t.unit(n);
            for (EdgeKind k : EdgeKind.values())
                for (Edge e : base.outgoing(n, k))
                    if (e.origin().note() == null && k != EdgeKind.AFTER) t.dep(n, DepKind.valueOf(k.name()), e.to(), rnd.nextInt(8) != 0);
            for (Edge e : base.outgoing(n, EdgeKind.AFTER))
                if (e.origin().note() == null) t.dep(n, DepKind.AFTER, e.to()); // declared after, or a before stored reversed
        }
        for (int c = 0; c < 3; c++) t.dep(names.get(rnd.nextInt(names.size())), DepKind.CONFLICTS, names.get(rnd.nextInt(names.size())));
        DependencyGraph g = t.graph();
        Map<String, ActiveState> state = new HashMap<>();
        ActiveState[] states = ActiveState.values();
        for (String n : names) if (rnd.nextInt(3) == 0) state.put(n, states[rnd.nextInt(states.length)]);
        for (Request.Verb v : Request.Verb.values()) {
            String u = names.get(names.size() - 1 - rnd.nextInt(5));
            JobMode mode = v == Request.Verb.ISOLATE ? JobMode.ISOLATE : JobMode.REPLACE;
            Request r = new Request(v, List.of(u), mode, v == Request.Verb.ISOLATE);
            Resolution res = Resolver.resolve(g, state, Set.of(), r);
            assertEquals(res, Resolver.resolve(g, state, Set.of(), r), "deterministic; seed " + seed);
            if (res instanceof Rejection rj) {
                assertTrue(!rj.error().contains("\n") && !rj.error().isBlank(), "one line: " + rj.error());
                continue;
            }
            Plan p = (Plan) res;
            if (!p.jobs().isEmpty()) NON_EMPTY_PLANS.incrementAndGet();
            Map<Job.Ref, Job> jobs = byRef(p);
            assertEquals(p.jobs().size(), jobs.size(), "at most one job of a type per unit; seed " + seed);
            for (Job j : p.jobs()) {
                assertTrue(j.type() != JobType.RESTART, "a restart comes as its halves; seed " + seed + " " + j);
                for (Job.Ref a : j.waitsFor()) {
                    assertNotNull(jobs.get(a), "waitsFor names a job of the plan; seed " + seed);
                    assertTrue(jobs.get(a).wave() < j.wave(), "seed " + seed + " " + v + ": " + j + " vs " + jobs.get(a));
                }
                if (j.type() == JobType.STOP)
                    assertTrue(state.getOrDefault(j.unit(), ActiveState.INACTIVE).isUp(), "only up units are stopped; seed " + seed + " " + j);
                Job half = p.job(j.unit(), JobType.STOP);
                if (j.type() != JobType.STOP && half != null) {
                    assertTrue(j.waitsFor().contains(half.ref()), "a start half waits for its stop half; seed " + seed + " " + j);
                    assertTrue(v == Request.Verb.RESTART || v == Request.Verb.TRY_RESTART || v == Request.Verb.RELOAD_OR_RESTART || v == Request.Verb.TRY_RELOAD_OR_RESTART, "only restarts have halves; seed " + seed);
                }
                for (Edge e : g.outgoing(j.unit(), EdgeKind.AFTER)) {
                    for (Job b : p.jobs(e.to())) {
                        if (b == j) continue;
                        boolean aStops = j.type() == JobType.STOP, bStops = b.type() == JobType.STOP;
                        if (aStops) assertTrue(b.waitsFor().contains(j.ref()), "seed " + seed + ": " + b + " must wait for " + j);
                        else assertTrue(j.waitsFor().contains(b.ref()), "seed " + seed + ": " + j + " must wait for " + b);
                        if (!aStops && bStops) assertTrue(j.wave() > b.wave());
                    }
                }
            }
        }
    }

    static Map<Job.Ref, Job> byRef(Plan p) {
        Map<Job.Ref, Job> m = new HashMap<>();
        for (Job j : p.jobs()) m.put(j.ref(), j);
        return m;
    }

    @RepeatedTest(40)
    void theStopHalvesOfARestartAreThePlanOfTheStopAndTheStartHalvesFollowThem(RepetitionInfo info) {
        long seed = 30_000 + info.getCurrentRepetition();
        DependencyGraph g = randomDag(seed, 70, 3);
        List<String> names = new ArrayList<>(g.names());
        Map<String, ActiveState> all = new HashMap<>();
        for (String n : names) all.put(n, ActiveState.ACTIVE);
        String u = names.get(new Random(seed).nextInt(names.size()));
        Plan restart = assertInstanceOf(Plan.class, Resolver.resolve(g, all, Set.of(), Request.of(Request.Verb.RESTART, u)));
        Plan stop = assertInstanceOf(Plan.class, Resolver.resolve(g, all, Set.of(), Request.of(Request.Verb.STOP, u)));
        List<String> stops = new ArrayList<>(), starts = new ArrayList<>();
        for (Job j : restart.jobs()) {
            if (j.type() == JobType.STOP) {
                stops.add(j.unit());
                Job s = stop.job(j.unit());
                assertNotNull(s, "seed " + seed + ": " + j + " is not in the stop plan");
                assertEquals(s.waitsFor(), j.waitsFor(), "seed " + seed + ": the stop halves wait as the stop plan does");
                assertEquals(s.wave(), j.wave(), "seed " + seed);
            } else {
                assertEquals(JobType.START, j.type(), "seed " + seed);
                starts.add(j.unit());
                Job half = restart.job(j.unit(), JobType.STOP);
                assertNotNull(half, "seed " + seed + ": " + j + " has a stop half");
                assertTrue(j.waitsFor().contains(half.ref()) && j.wave() > half.wave(), "seed " + seed + ": " + j);
            }
        }
        assertEquals(stop.jobs().size(), stops.size(), "seed " + seed + ": every unit the stop stops is restarted");
        assertEquals(new HashSet<>(stops), new HashSet<>(starts), "seed " + seed);
        assertEquals(restart.restarted(), stops.stream().sorted().toList(), "seed " + seed);
        assertEquals(List.of(), restart.stopped(), "seed " + seed + ": a restart leaves nothing stopped");
        assertTrue(restart.jobs().size() > 0);
    }

    @Test
    void aTenThousandUnitChainResolvesWithoutStackTrouble() {
        TestUnits t = new TestUnits().unit(name(0));
        int n = 10_000;
        for (int i = 1; i < n; i++) t.dep(String.format("u%05d.service", i), DepKind.REQUIRES,
                i == 1 ? name(0) : String.format("u%05d.service", i - 1));
        DependencyGraph g = t.graph();
        Plan p = assertInstanceOf(Plan.class, Resolver.resolve(g, Map.of(), Set.of(),
                Request.of(Request.Verb.START, String.format("u%05d.service", n - 1))));
        assertEquals(n, p.jobs().size());
        assertEquals(n, p.waves());
        Job last = p.jobs().get(0);
        assertEquals(name(0), last.unit());
        assertTrue(last.reason().startsWith("required by u00001.service, required by u00002.service"), last.reason());
        assertTrue(last.reason().contains("… (9992 more), required by u09999.service"), last.reason());
        Map<String, ActiveState> all = new HashMap<>();
        for (String u : g.names()) all.put(u, ActiveState.ACTIVE);
        Plan stop = assertInstanceOf(Plan.class, Resolver.resolve(g, all, Set.of(), Request.of(Request.Verb.STOP, name(0))));
        assertEquals(n, stop.jobs().size());
        assertEquals(name(0), stop.jobs().get(n - 1).unit());
    }
}
