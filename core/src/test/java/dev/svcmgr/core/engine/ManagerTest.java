package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's logic against fake drivers: order, failure, merging, propagation. */
class ManagerTest extends EngineHarness {
    private void chain() throws IOException {
        unit("c.service.yaml", "exec: [/bin/true]\n");
        unit("b.service.yaml", "exec: [/bin/true]\nrequires: [c.service]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nrequires: [b.service]\n");
    }

    @Test
    @DisplayName("start runs requirements first, in dependency order")
    void startRunsRequirementsFirst() throws Exception {
        chain();
        boot();
        Outcome o = run(Request.Verb.START, "a.service");
        assertTrue(o.success(), o.toString());
        assertEquals(List.of("start c.service", "start b.service", "start a.service"), world.calls);
        assertEquals(ActiveState.ACTIVE, active("a.service"));
    }

    @Test
    @DisplayName("a request naming many units is told by its first eight and a count, in one cause every unit it moved shares")
    void aLongRequestGivesOneSharedShortCause() throws Exception {
        for (int i = 1; i <= 20; i++) unit("s" + i + ".service.yaml", "exec: [/bin/true]\n");
        boot();
        String[] all = new String[20];
        for (int i = 1; i <= 20; i++) all[i - 1] = "s" + i + ".service";
        assertTrue(run(Request.Verb.START, all).success());
        String first = onLoop(() -> manager.cause("s1.service"));
        assertEquals("started by start s1.service s2.service s3.service s4.service s5.service s6.service s7.service s8.service"
                + " and 12 more -> requested", first);
        for (String u : all) assertSame(first, onLoop(() -> manager.cause(u)), u);
    }

    @Test
    @DisplayName("stop order is the reverse of start order")
    void stopOrderIsTheReverseOfStartOrder() throws Exception {
        chain();
        boot();
        run(Request.Verb.START, "a.service");
        world.calls.clear();
        Outcome o = run(Request.Verb.STOP, "c.service");
        assertTrue(o.success(), o.toString());
        assertEquals(List.of("stop a.service", "stop b.service", "stop c.service"), world.calls);
        assertEquals(ActiveState.INACTIVE, active("a.service"));
    }

    @Test
    @DisplayName("a failed hard requirement fails its dependents with dependency; a failed want is ignored")
    void failedRequirementFailsDependents() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("extra.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\nwants: [extra.service]\n");
        unit("web.service.yaml", "exec: [/bin/true]\nwants: [extra.service]\n");
        world.failing.add("db.service");
        world.failing.add("extra.service");
        boot();
        Outcome o = run(Request.Verb.START, "api.service", "web.service");
        assertFalse(o.success());
        JobRecord api = o.jobs().stream().filter(j -> j.unit().equals("api.service")).findFirst().orElseThrow();
        assertEquals(Result.DEPENDENCY, api.result());
        assertTrue(api.detail().contains("db.service"), api.detail());
        assertEquals(ActiveState.ACTIVE, active("web.service"));
        assertFalse(world.calls.contains("start api.service"), "api must not be started");
        assertEquals(1, world.calls.stream().filter(c -> c.equals("start db.service")).count(), "db tried once");
        String why = onLoop(() -> manager.snapshot("api.service").resultDetail());
        assertTrue(why.startsWith("dependency db.service failed: exit-code"), why);
    }

    @Test
    @DisplayName("down a long chain, a dependency failure names the first failure once: its words do not grow with the chain")
    void aLongChainsDependencyFailureNamesTheFirstFailureOnce() throws Exception {
        int n = 300;
        unit("u0.service.yaml", "exec: [/bin/true]\n");
        for (int i = 1; i < n; i++) unit("u" + i + ".service.yaml", "exec: [/bin/true]\nrequires: [u" + (i - 1) + ".service]\n");
        world.failing.add("u0.service");
        boot();
        Outcome o = run(Request.Verb.START, "u" + (n - 1) + ".service");
        assertFalse(o.success());
        String one = onLoop(() -> manager.snapshot("u1.service").resultDetail());
        String two = onLoop(() -> manager.snapshot("u2.service").resultDetail());
        String last = onLoop(() -> manager.snapshot("u" + (n - 1) + ".service").resultDetail());
        assertTrue(one.startsWith("dependency u0.service failed: exit-code"), one);
        assertEquals("dependency u1.service failed: dependency; first failure: " + one.substring("dependency ".length()), two);
        assertEquals("dependency u" + (n - 2) + ".service failed: dependency; first failure: " + one.substring("dependency ".length()), last);
        assertEquals("u" + (n - 2) + ".service", onLoop(() -> manager.snapshot("u" + (n - 1) + ".service").failedDependency()));
    }

    @Test
    @DisplayName("a dependency failure names the requirement as data, kept by reset-failed and by a restore")
    void aDependencyFailureNamesTheRequirement() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        unit("lost.service.yaml", "exec: [/bin/true]\nrequires: [gone.service]\n");
        world.failing.add("db.service");
        boot();
        run(Request.Verb.START, "api.service");
        UnitSnapshot api = onLoop(() -> manager.snapshot("api.service"));
        assertEquals(Result.DEPENDENCY, api.result());
        assertEquals("db.service", api.failedDependency());
        assertEquals(null, onLoop(() -> manager.snapshot("db.service")).failedDependency(), "db failed by itself");
        onLoopRun(() -> manager.resetFailed(List.of("api.service")));
        assertEquals("db.service", onLoop(() -> manager.snapshot("api.service")).failedDependency());
        onLoopRun(() -> manager.restore("lost.service", ActiveState.FAILED, SubState.FAILED, Result.DEPENDENCY,
                "dependency gone.service cannot be loaded: not found", "gone.service", null));
        UnitSnapshot lost = onLoop(() -> manager.snapshot("lost.service"));
        assertEquals(Result.DEPENDENCY, lost.result());
        assertEquals("gone.service", lost.failedDependency(), "as the former manager's state.json said");
    }

    @Test
    @DisplayName("a job that ends on the unit's report carries its exit code; a dependency failure carries none")
    void aJobCarriesTheExitCodeItsUnitReported() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        world.failing.add("db.service");
        boot();
        Outcome o = run(Request.Verb.START, "api.service");
        JobRecord db = o.jobs().stream().filter(j -> j.unit().equals("db.service")).findFirst().orElseThrow();
        JobRecord api = o.jobs().stream().filter(j -> j.unit().equals("api.service")).findFirst().orElseThrow();
        assertEquals(Result.EXIT_CODE, db.result());
        assertEquals(1, db.exitCode());
        assertEquals(Result.DEPENDENCY, api.result());
        assertEquals(null, api.exitCode(), "api never ran");
        world.failing.remove("db.service");
        Outcome ok = run(Request.Verb.START, "db.service");
        assertEquals(null, ok.jobs().get(0).exitCode(), "started: no exit decided it");
    }

    @Test
    @DisplayName("an unmet condition skips the unit: inactive, result condition, dependents still start")
    void unmetConditionSkips() throws Exception {
        unit("opt.service.yaml", "exec: [/bin/true]\nconditions:\n  path-exists: /nonexistent/svcmgr\n");
        unit("env.service.yaml", "exec: [/bin/true]\nconditions:\n  env: [PRESENT]\n");
        unit("app.service.yaml", "exec: [/bin/true]\nrequires: [opt.service, env.service]\n");
        boot();
        Outcome o = run(Request.Verb.START, "app.service");
        assertTrue(o.success(), o.toString());
        UnitSnapshot s = onLoop(() -> manager.snapshot("opt.service"));
        assertEquals(ActiveState.INACTIVE, s.active());
        assertEquals(Result.CONDITION, s.result());
        assertEquals(ActiveState.ACTIVE, active("env.service"));
        assertEquals(ActiveState.ACTIVE, active("app.service"));
    }

    @Test
    @DisplayName("conditions on paths are decided by the file probe: the same start skips, then runs, as the files change")
    void conditionsAskTheFileProbe() throws Exception {
        unit("data.service.yaml", "exec: [/bin/true]\nconditions:\n  path-exists: /etc/data\n"
                + "  path-exists-not: /etc/data/disabled\n  file-not-empty: /etc/data/db\n");
        files.directory("/etc/data").file("/etc/data/db", 0);
        boot();
        assertTrue(run(Request.Verb.START, "data.service").success());
        UnitSnapshot skipped = onLoop(() -> manager.snapshot("data.service"));
        assertEquals(Result.CONDITION, skipped.result());
        assertEquals("condition file-not-empty /etc/data/db not met", skipped.resultDetail());
        assertFalse(world.calls.contains("start data.service"), "a skipped unit is not started");

        files.file("/etc/data/db", 4096);
        assertTrue(run(Request.Verb.START, "data.service").success());
        assertEquals(ActiveState.ACTIVE, active("data.service"));
        run(Request.Verb.STOP, "data.service");

        files.directory("/etc/data/disabled");
        run(Request.Verb.START, "data.service");
        assertEquals("condition path-exists-not /etc/data/disabled not met",
                onLoop(() -> manager.snapshot("data.service")).resultDetail());
        files.remove("/etc/data/disabled");
        files.remove("/etc/data");
        run(Request.Verb.START, "data.service");
        assertEquals("condition path-exists /etc/data not met", onLoop(() -> manager.snapshot("data.service")).resultDetail());
        assertEquals(1, world.calls.stream().filter(c -> c.equals("start data.service")).count(), "started only when all held");
    }

    private void targets() throws IOException {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("web.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        unit("sshd.service.yaml", "exec: [/bin/true]\n");
        unit("keep.service.yaml", "exec: [/bin/true]\nignore-on-isolate: true\n");
        unit("multi-user.target.yaml", "allow-isolate: true\nwants: [web.service, sshd.service]\n");
        unit("rescue.target.yaml", "allow-isolate: true\nwants: [sshd.service]\n");
    }

    @Test
    @DisplayName("isolate moves only the difference and leaves ignore-on-isolate units alone")
    void isolateMovesOnlyTheDifference() throws Exception {
        targets();
        boot();
        run(Request.Verb.START, "keep.service");
        run(Request.Verb.ISOLATE, "multi-user.target");
        world.calls.clear();
        Outcome o = run(Request.Verb.ISOLATE, "rescue.target");
        assertTrue(o.success(), o.toString());
        assertEquals(ActiveState.ACTIVE, active("sshd.service"));
        assertEquals(ActiveState.ACTIVE, active("keep.service"));
        assertEquals(ActiveState.INACTIVE, active("web.service"));
        assertEquals(ActiveState.INACTIVE, active("db.service"));
        assertEquals(List.of("stop web.service", "stop db.service"), world.calls);
    }

    @Test
    @DisplayName("two quick isolates end in the second target, the first canceled")
    void twoQuickIsolatesEndInTheSecond() throws Exception {
        targets();
        world.hanging.add("db.service");
        boot();
        CompletableFuture<Outcome> first = submit(Request.Verb.ISOLATE, "multi-user.target");
        await("db starting", () -> manager.active("db.service") == ActiveState.STARTING);
        CompletableFuture<Outcome> second = submit(Request.Verb.ISOLATE, "rescue.target");
        Outcome o2 = done(second);
        Outcome o1 = done(first);
        assertNotNull(o1.canceledBy(), "first isolate replaced");
        assertTrue(o1.canceledBy().contains("rescue.target"), o1.canceledBy());
        assertTrue(o2.success(), o2.toString());
        assertEquals(ActiveState.INACTIVE, active("db.service"));
        assertEquals(ActiveState.INACTIVE, active("web.service"));
        assertEquals(ActiveState.ACTIVE, active("sshd.service"));
        assertEquals(ActiveState.ACTIVE, active("rescue.target"));
        assertEquals(ActiveState.INACTIVE, active("multi-user.target"));
    }

    @Test
    @DisplayName("a stop during a start interrupts it: the start ends canceled, the stop succeeds")
    void stopInterruptsAStart() throws Exception {
        unit("slow.service.yaml", "exec: [/bin/true]\n");
        world.hanging.add("slow.service");
        boot();
        CompletableFuture<Outcome> start = submit(Request.Verb.START, "slow.service");
        await("slow starting", () -> manager.active("slow.service") == ActiveState.STARTING);
        Outcome stop = run(Request.Verb.STOP, "slow.service");
        Outcome s = done(start);
        assertTrue(stop.success(), stop.toString());
        assertNotNull(s.canceledBy(), s.toString());
        assertEquals(ActiveState.INACTIVE, active("slow.service"));
    }

    @Test
    @DisplayName("a required unit entering failed stops its active requirers and starts its on-failure units")
    void failureAtRuntimePropagates() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\non-failure: [alert.service]\n");
        unit("alert.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        unit("side.service.yaml", "exec: [/bin/true]\nwants: [db.service]\n");
        boot();
        run(Request.Verb.START, "api.service", "side.service");
        onLoopRun(() -> world.drivers.get("db.service").crash());
        await("api stopped", () -> manager.active("api.service") == ActiveState.INACTIVE);
        await("alert started", () -> manager.active("alert.service") == ActiveState.ACTIVE);
        assertEquals(ActiveState.ACTIVE, active("side.service"));
        assertEquals("degraded", onLoop(() -> manager.systemState()));
    }

    @Test
    @DisplayName("every state change is an event with consecutive sequence numbers")
    void eventsAreConsecutive() throws Exception {
        chain();
        boot();
        run(Request.Verb.START, "a.service");
        List<Event> ev = onLoop(() -> manager.events().after(0));
        assertTrue(ev.size() >= 6, ev.toString());
        List<Long> seqs = new ArrayList<>();
        for (Event e : ev) seqs.add(e.seq());
        for (int i = 0; i < seqs.size(); i++) assertEquals(i + 1L, seqs.get(i));
    }

    /** The manager's boot transaction to {@code target}, started on the loop. */
    private AtomicReference<CompletableFuture<Outcome>> bootTo(String target) throws Exception {
        AtomicReference<CompletableFuture<Outcome>> f = new AtomicReference<>();
        onLoopRun(() -> {
            try {
                f.set(manager.boot(target));
            } catch (Manager.Refused e) {
                throw new AssertionError(e);
            }
        });
        return f;
    }

    @Test
    @DisplayName("the boot transaction decides is-system-running: starting, then running")
    void bootStateFollowsTheBootTransaction() throws Exception {
        targets();
        world.hanging.add("db.service");
        boot();
        AtomicReference<CompletableFuture<Outcome>> f = bootTo("multi-user.target");
        assertEquals("starting", onLoop(() -> manager.systemState()));
        onLoopRun(() -> world.drivers.get("db.service").becomeReady());
        Outcome o = done(f.get());
        assertTrue(o.success(), o.toString());
        assertTrue(onLoop(() -> manager.bootFinished()));
        assertEquals("running", onLoop(() -> manager.systemState()));
    }

    @Test
    @DisplayName("a boot announced before it is queued: starting, and bootDone waits for it, even when it is refused")
    void anExpectedBootIsWaitedFor() throws Exception {
        targets();
        world.hanging.add("db.service");
        boot();
        onLoopRun(() -> manager.expectBoot());
        CompletableFuture<?> waiting = onLoop(() -> manager.bootDone());
        assertEquals("starting", onLoop(() -> manager.systemState()), "between the announcement and the boot");
        assertFalse(waiting.isDone(), "nothing to wait for yet, but a boot is coming");
        assertFalse(onLoop(() -> manager.bootFinished()));
        AtomicReference<CompletableFuture<Outcome>> f = bootTo("multi-user.target");
        assertFalse(waiting.isDone(), "the boot runs: db is not ready");
        onLoopRun(() -> world.drivers.get("db.service").becomeReady());
        assertTrue(done(f.get()).success());
        waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("running", onLoop(() -> manager.systemState()));

        // a second manager whose announced boot is refused: the waiters are released, not left hanging
        boot(); // a fresh manager of the same units
        onLoopRun(() -> manager.expectBoot());
        CompletableFuture<?> second = onLoop(() -> manager.bootDone());
        onLoopRun(() -> assertThrows(Manager.Refused.class, () -> manager.boot("nowhere.target")));
        second.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(onLoop(() -> manager.bootFinished()));
    }

    @Test
    @DisplayName("every start job is announced to its driver when queued, before it runs; a start job joined to a running one is not")
    void queuedStartsAreAnnouncedAhead() throws Exception {
        chain(); // a requires b requires c
        boot();
        world.hanging.add("c.service");
        CompletableFuture<Outcome> f = submit(Request.Verb.START, "a.service");
        assertEquals(Set.of("a.service", "b.service", "c.service"), Set.copyOf(world.prepared), "all three, a and b still waiting");
        assertEquals(List.of("start c.service"), world.calls, "only c runs so far");
        world.prepared.clear();
        CompletableFuture<Outcome> again = submit(Request.Verb.START, "c.service"); // joins the running start of c
        assertEquals(List.of(), world.prepared);
        onLoopRun(() -> world.drivers.get("c.service").becomeReady());
        assertTrue(done(f).success());
        assertTrue(done(again).success());
    }

    @Test
    @DisplayName("restart stops dependents first (reverse order), then starts in order")
    void restartStopsDependentsFirst() throws Exception {
        chain(); // a requires b requires c
        boot();
        run(Request.Verb.START, "a.service");
        world.calls.clear();
        Outcome o = run(Request.Verb.RESTART, "c.service");
        assertTrue(o.success(), o.toString());
        assertEquals(List.of("stop a.service", "stop b.service", "stop c.service",
                "start c.service", "start b.service", "start a.service"), world.calls);
        assertEquals(ActiveState.ACTIVE, active("a.service"));
    }

    @Test
    @DisplayName("restart of a unit restarts its active binds-to dependents, ordered or not; runtime binds-to propagation leaves them to it")
    void restartRestartsBindsToDependents() throws Exception {
        unit("base.service.yaml", "exec: [/bin/true]\n");
        unit("bound.service.yaml", "exec: [/bin/true]\nbinds-to: [base.service]\n");
        unit("loose.service.yaml", "exec: [/bin/true]\nbinds-to: [{unit: base.service, ordered: false}]\n");
        boot();
        run(Request.Verb.START, "bound.service", "loose.service");
        world.calls.clear();
        world.slowStop.add("base.service"); // base takes its time to stop ...
        CompletableFuture<Outcome> restart = submit(Request.Verb.RESTART, "base.service");
        // ... so loose (not ordered after base) is restarted and up again before base is down
        await("loose up again", () -> world.calls.contains("start loose.service")
                && manager.active("loose.service") == ActiveState.ACTIVE);
        assertEquals(ActiveState.STOPPING, active("base.service"));
        onLoopRun(() -> world.drivers.get("base.service").finishStop()); // base goes inactive now
        Outcome o = done(restart);
        assertTrue(o.success(), o.toString());
        await("no job left", () -> manager.jobCount() == 0);
        onLoopRun(() -> { });
        assertEquals(ActiveState.ACTIVE, active("base.service"));
        assertEquals(ActiveState.ACTIVE, active("bound.service"));
        assertEquals(ActiveState.ACTIVE, active("loose.service"), onLoop(() -> manager.cause("loose.service")));
        assertEquals(1, world.calls.stream().filter(c -> c.equals("stop loose.service")).count(), world.calls.toString());
        // bound is ordered after base: stopped before it, started after it
        List<String> c = world.calls;
        assertTrue(c.indexOf("stop bound.service") < c.indexOf("stop base.service"), c.toString());
        assertTrue(c.indexOf("start base.service") < c.indexOf("start bound.service"), c.toString());
        // outside a transaction that restarts them, bound units still stop when their unit goes inactive
        world.slowStop.clear();
        onLoopRun(() -> world.drivers.get("base.service").stop());
        await("bound units stopped with base", () -> manager.active("loose.service") == ActiveState.INACTIVE
                && manager.active("bound.service") == ActiveState.INACTIVE);
    }

    @Test
    void aSecondStartAfterAFailureWaitsForItsOwnOutcomeNotTheOldResult() throws Exception {
        unit("slow.service.yaml", "exec: [/bin/true]\n");
        boot();
        world.failing.add("slow.service");
        Outcome first = run(Request.Verb.START, "slow.service");
        assertFalse(first.success(), "the first start fails");
        world.failing.remove("slow.service");
        world.hanging.add("slow.service");
        CompletableFuture<Outcome> second = submit(Request.Verb.START, "slow.service");
        for (int i = 0; i < 5; i++) onLoopRun(() -> { });
        assertFalse(second.isDone(), "the second start is still starting: it must not end with the first one's failure");
        assertEquals(ActiveState.STARTING, onLoop(() -> manager.snapshot("slow.service").active()));
        onLoopRun(() -> world.drivers.get("slow.service").becomeReady());
        assertTrue(done(second).success());
    }

    @Test
    @DisplayName("overlapping: a restart arriving while the unit's start runs waits for that start, then stops and starts it")
    void aRestartWaitsForARunningStart() throws Exception {
        unit("slow.service.yaml", "exec: [/bin/true]\n");
        world.hanging.add("slow.service");
        boot();
        CompletableFuture<Outcome> start = submit(Request.Verb.START, "slow.service");
        await("slow starting", () -> manager.active("slow.service") == ActiveState.STARTING);
        CompletableFuture<Outcome> restart = submit(Request.Verb.RESTART, "slow.service");
        onLoopRun(() -> { });
        assertEquals(List.of("start slow.service"), world.calls, "the stop half waits: the start is not interrupted");
        assertFalse(start.isDone());
        world.hanging.clear();
        onLoopRun(() -> world.drivers.get("slow.service").becomeReady());
        assertTrue(done(start).success(), "the first start ends as its own");
        assertTrue(done(restart).success());
        assertEquals(List.of("start slow.service", "stop slow.service", "start slow.service"), world.calls);
        assertEquals(ActiveState.ACTIVE, active("slow.service"));
        assertEquals(0, (int) onLoop(() -> manager.jobCount()));
    }

    @Test
    @DisplayName("overlapping: a start of a unit whose start is already running joins it; the unit is started once")
    void aSecondStartJoinsTheRunningOne() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        unit("b.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        world.hanging.add("db.service");
        boot();
        CompletableFuture<Outcome> first = submit(Request.Verb.START, "a.service");
        await("db starting", () -> manager.active("db.service") == ActiveState.STARTING);
        // db is starting, so the second plan has no job for it; b waits for the older transaction's db job
        CompletableFuture<Outcome> second = submit(Request.Verb.START, "b.service", "db.service");
        onLoopRun(() -> { });
        assertEquals(List.of("start db.service"), world.calls, "b waits for db, which is not started twice");
        onLoopRun(() -> world.drivers.get("db.service").becomeReady());
        assertTrue(done(first).success());
        Outcome o = done(second);
        assertTrue(o.success(), o.toString());
        assertEquals(1, world.calls.stream().filter(c -> c.equals("start db.service")).count(), world.calls.toString());
        assertTrue(world.calls.indexOf("start b.service") > world.calls.indexOf("start db.service"));
    }

    @Test
    @DisplayName("overlapping: a younger transaction's job ordered after an older one's unfinished job waits for it")
    void aYoungerJobWaitsForAnOlderOneItIsOrderedAfter() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("late.service.yaml", "exec: [/bin/true]\nafter: [db.service]\n");
        world.hanging.add("db.service");
        boot();
        CompletableFuture<Outcome> first = submit(Request.Verb.START, "db.service");
        await("db starting", () -> manager.active("db.service") == ActiveState.STARTING);
        CompletableFuture<Outcome> second = submit(Request.Verb.START, "late.service");
        onLoopRun(() -> { });
        assertEquals(List.of("start db.service"), world.calls);
        assertEquals(SubState.WAITING, onLoop(() -> manager.snapshot("late.service").sub()));
        onLoopRun(() -> world.drivers.get("db.service").becomeReady());
        assertTrue(done(first).success());
        assertTrue(done(second).success());
        assertEquals(List.of("start db.service", "start late.service"), world.calls);
    }

    @Test
    @DisplayName("overlapping: replace cancels an older transaction's waiting job; fail mode refuses instead")
    void replaceCancelsAWaitingJobAndFailModeRefuses() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        world.hanging.add("db.service");
        boot();
        CompletableFuture<Outcome> start = submit(Request.Verb.START, "api.service");
        await("db starting", () -> manager.active("db.service") == ActiveState.STARTING);
        AtomicReference<Manager.Refused> refused = new AtomicReference<>();
        onLoopRun(() -> {
            try {
                manager.submit(new Request(Request.Verb.STOP, List.of("api.service"), dev.svcmgr.graph.JobMode.FAIL, false));
            } catch (Manager.Refused e) {
                refused.set(e);
            }
        });
        assertNotNull(refused.get(), "fail mode refuses to replace the queued start");
        assertTrue(refused.get().getMessage().contains("conflicts with a queued start job"), refused.get().getMessage());
        Outcome stop = run(Request.Verb.STOP, "api.service");
        assertTrue(stop.success(), stop.toString());
        assertFalse(start.isDone(), "db's start still runs");
        onLoopRun(() -> world.drivers.get("db.service").becomeReady());
        Outcome s = done(start);
        assertTrue(stop.success(), stop.toString());
        assertEquals("stop api.service", s.canceledBy());
        JobRecord api = s.jobs().stream().filter(j -> j.unit().equals("api.service")).findFirst().orElseThrow();
        assertEquals(Result.CANCELED, api.result());
        assertFalse(world.calls.contains("start api.service"), world.calls.toString());
        assertEquals(ActiveState.INACTIVE, active("api.service"));
    }
}
