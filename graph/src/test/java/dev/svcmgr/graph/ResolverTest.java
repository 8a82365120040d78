package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolverTest {
    static final ActiveState UP = ActiveState.ACTIVE;

    static Plan plan(DependencyGraph g, Map<String, ActiveState> st, Request r) {
        return assertInstanceOf(Plan.class, Resolver.resolve(g, st, Set.of(), r));
    }

    static Rejection rejected(DependencyGraph g, Map<String, ActiveState> st, Request r) {
        return assertInstanceOf(Rejection.class, Resolver.resolve(g, st, Set.of(), r));
    }

    @Test
    void aStopJobRunsBeforeTheStartOfAUnitOrderedBeforeIt() {
        // new after old is absent; old after new: mixed stop/start, the stop still goes first.
        DependencyGraph g = new TestUnits().dep("new.service", DepKind.CONFLICTS, "old.service")
                .dep("old.service", DepKind.AFTER, "new.service").graph();
        Plan p = plan(g, Map.of("old.service", UP), Request.of(Request.Verb.START, "new.service"));
        assertEquals(List.of("old.service"), p.job("new.service").after());
        assertEquals(0, p.job("old.service").wave());
        assertEquals(1, p.job("new.service").wave());
        assertEquals(List.of("old.service"), p.stopped());
    }

    @Test
    void aFailedUnitIsStartedAgainAndAStartingOneIsLeftAlone() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.WANTS, "f.service")
                .dep("t.target", DepKind.WANTS, "s.service").graph();
        Plan p = plan(g, Map.of("f.service", ActiveState.FAILED, "s.service", ActiveState.STARTING),
                Request.of(Request.Verb.START, "t.target"));
        assertEquals(JobType.START, p.job("f.service").type());
        assertNull(p.job("s.service"));
    }

    @Test
    void aRequisiteStartedByTheSameTransactionIsSatisfied() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.REQUIRES, "mnt.service")
                .dep("t.target", DepKind.REQUIRES, "api.service").dep("api.service", DepKind.REQUISITE, "mnt.service").graph();
        Plan p = plan(g, Map.of(), Request.of(Request.Verb.START, "t.target"));
        assertEquals(List.of("mnt.service"), p.job("api.service").after());
    }

    @Test
    void aSoftlyWantedUnitWithAnInactiveRequisiteIsSkippedNotRejected() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.WANTS, "api.service")
                .dep("api.service", DepKind.REQUISITE, "mnt.service").graph();
        Plan p = plan(g, Map.of(), Request.of(Request.Verb.START, "t.target"));
        assertNull(p.job("api.service"));
        assertTrue(p.skipped().get(0).startsWith("api.service: api.service needs mnt.service active"), p.skipped().toString());
    }

    @Test
    void tryRestartRestartsOnlyActiveUnitsAndReloadRefusesInactiveOnes() {
        DependencyGraph g = new TestUnits().dep("api.service", DepKind.REQUIRES, "db.service").graph();
        assertTrue(plan(g, Map.of(), Request.of(Request.Verb.TRY_RESTART, "db.service")).jobs().isEmpty());
        Plan p = plan(g, Map.of("db.service", UP, "api.service", UP), Request.of(Request.Verb.TRY_RESTART, "db.service"));
        assertEquals(List.of("stop api.service", "stop db.service", "start db.service", "start api.service"),
                p.jobs().stream().map(j -> j.ref().toString()).toList());
        assertEquals("requires db.service", p.job("api.service").reason());
        assertEquals(List.of(new Job.Ref("api.service", JobType.STOP), new Job.Ref("db.service", JobType.START),
                new Job.Ref("db.service", JobType.STOP)), p.job("api.service", JobType.START).waitsFor(),
                "its own stop half, db's start (two starts) and db's stop (a start waits for a stop either way)");
        assertEquals(List.of(new Job.Ref("api.service", JobType.STOP)), p.job("db.service", JobType.STOP).waitsFor());
        assertEquals(List.of("api.service", "db.service"), p.restarted());
        assertEquals(List.of(), p.stopped(), "a restart stops nothing for good");
        Plan reload = plan(g, Map.of("db.service", UP), Request.of(Request.Verb.RELOAD, "db.service"));
        assertEquals(JobType.RELOAD, reload.jobs().get(0).type());
        assertTrue(rejected(g, Map.of(), Request.of(Request.Verb.RELOAD, "db.service")).error().contains("not active"));
    }

    @Test
    void restartOfAnInactiveUnitStartsItWithItsRequirements() {
        DependencyGraph g = new TestUnits().dep("api.service", DepKind.REQUIRES, "db.service").graph();
        Plan p = plan(g, Map.of(), Request.of(Request.Verb.RESTART, "api.service"));
        assertEquals(JobType.START, p.job("api.service").type());
        assertEquals(JobType.START, p.job("db.service").type());
    }

    @Test
    void isolateNeedsAllowIsolateUnlessEverythingIsStopped() {
        DependencyGraph g = new TestUnits().dep("x.target", DepKind.WANTS, "a.service").ignoreOnIsolate("keep.service").graph();
        assertTrue(Resolver.resolve(g, Map.of(), Set.of(), new Request(Request.Verb.ISOLATE, List.of("x.target"),
                JobMode.ISOLATE, false)) instanceof Plan, "TestUnits sets allow-isolate");
        Plan p = plan(g, Map.of("keep.service", UP), new Request(Request.Verb.ISOLATE, List.of("x.target"), JobMode.ISOLATE, true));
        assertEquals(JobType.STOP, p.job("keep.service").type(), "shutdown stops ignore-on-isolate units too");
        Plan q = plan(g, Map.of("keep.service", UP), new Request(Request.Verb.ISOLATE, List.of("x.target"), JobMode.ISOLATE, false));
        assertNull(q.job("keep.service"));
    }

    @Test
    void startWithJobModeIsolateIsAnIsolate() {
        DependencyGraph g = new TestUnits().dep("x.target", DepKind.WANTS, "a.service").unit("other.service").graph();
        Plan p = plan(g, Map.of("other.service", UP), new Request(Request.Verb.START, List.of("x.target"), JobMode.ISOLATE, false));
        assertEquals(JobType.STOP, p.job("other.service").type());
        assertEquals("not needed by x.target", p.job("other.service").reason());
        Plan q = plan(g, Map.of("other.service", UP), new Request(Request.Verb.START, List.of("x.target"), JobMode.FAIL, false));
        assertNull(q.job("other.service"));
    }

    @Test
    void aMaskedRequestedUnitIsRefusedAndAnUnknownOneToo() {
        DependencyGraph g = new TestUnits().unit("a.service").graph();
        Resolution r = Resolver.resolve(g, Map.of(), Set.of("a.service"), Request.of(Request.Verb.START, "a.service"));
        assertEquals("a.service is masked", assertInstanceOf(Rejection.class, r).error());
        assertEquals("unit nope.service not found", rejected(g, Map.of(), Request.of(Request.Verb.START, "nope.service")).error());
    }

    @Test
    void aConflictWithANeededUnitRejects() {
        DependencyGraph g = new TestUnits().dep("t.target", DepKind.REQUIRES, "a.service")
                .dep("t.target", DepKind.REQUIRES, "b.service").dep("a.service", DepKind.CONFLICTS, "b.service").graph();
        Rejection r = rejected(g, Map.of("b.service", UP), Request.of(Request.Verb.START, "t.target"));
        assertTrue(r.error().startsWith("conflicting jobs: a.service (required by t.target) and b.service"), r.error());
        assertNull(r.cycle());
    }

    @Test
    void oneCommandNamingSeveralUnitsIsOneTransactionWithOneJobPerUnit() {
        DependencyGraph g = new TestUnits().dep("a.service", DepKind.REQUIRES, "db.service")
                .dep("b.service", DepKind.REQUIRES, "db.service").graph();
        Plan p = plan(g, Map.of(), Request.of(Request.Verb.START, "b.service", "a.service"));
        assertEquals(List.of("db.service", "a.service", "b.service"), p.jobs().stream().map(Job::unit).toList());
        assertEquals("required by a.service", p.job("db.service").reason());
    }

    @Test
    void providedNamesAndAliasesWorkInRequests() {
        DependencyGraph g = new TestUnits().provides("pg.service", "database").graph();
        assertEquals("pg.service", plan(g, Map.of(), Request.of(Request.Verb.START, "database")).jobs().get(0).unit());
    }
}
