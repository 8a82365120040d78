package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart is executed exactly as {@code svcmgr plan restart} prints it: the resolver's stop and
 * start halves, each run only after every job it waits for has finished.
 */
class RestartPlanTest extends EngineHarness {
    /** Driver calls ("start x.service") and job ends ("done stop x.service") in the order they happened. */
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Plan planAndRun(String unit) throws Exception {
        onLoopRun(() -> manager.addObserver(new Manager.Observer() {
            @Override
            public void jobFinished(JobRecord r) { log.add("done " + r.type().word() + " " + r.unit()); }
        }));
        Plan p = assertInstanceOf(Plan.class, onLoop(() -> manager.plan(Request.of(Request.Verb.RESTART, unit))));
        world.calls.clear();
        log.clear();
        world.beforeReturn = log::add; // every driver call, as it returns (what it reported is still queued then)
        Outcome o = run(Request.Verb.RESTART, unit);
        assertTrue(o.success(), o.toString());
        // the same jobs, in plan order
        assertEquals(p.jobs().stream().map(j -> j.ref().toString()).toList(),
                o.jobs().stream().map(j -> j.type().word() + " " + j.unit()).toList());
        // each job acted only after every job it waits for had finished
        for (Job j : p.jobs()) {
            int acted = log.indexOf(j.ref().toString());
            assertTrue(acted >= 0, j + " never acted: " + log);
            for (Job.Ref w : j.waitsFor()) {
                int done = log.indexOf("done " + w);
                assertTrue(done >= 0 && done < acted, j.ref() + " acted before " + w + " had finished: " + log);
            }
        }
        return p;
    }

    @Test
    @DisplayName("restart runs the printed plan: dependents' stop halves first, then the start halves in order")
    void restartRunsThePrintedPlan() throws Exception {
        unit("c.service.yaml", "exec: [/bin/true]\n");
        unit("b.service.yaml", "exec: [/bin/true]\nrequires: [c.service]\n");
        unit("a.service.yaml", "exec: [/bin/true]\nrequires: [b.service]\n");
        unit("loose.service.yaml", "exec: [/bin/true]\nbinds-to: [{unit: c.service, ordered: false}]\n");
        boot();
        assertTrue(run(Request.Verb.START, "a.service", "loose.service").success());
        Plan p = planAndRun("c.service");
        assertEquals("""
                wave 0
                  stop         a.service      requires b.service, requires c.service
                  stop         loose.service  binds to c.service
                wave 1
                  stop         b.service      requires c.service
                  start        loose.service  binds to c.service
                wave 2
                  stop         c.service      requested
                wave 3
                  start        c.service      requested
                wave 4
                  start        b.service      requires c.service
                wave 5
                  start        a.service      requires b.service, requires c.service
                """, p.render());
        assertEquals(List.of("a.service", "b.service", "c.service", "loose.service"), p.restarted());
        for (String u : p.restarted()) assertEquals(ActiveState.ACTIVE, active(u));
        assertEquals(List.of("stop a.service", "stop loose.service", "stop b.service", "start loose.service",
                "stop c.service", "start c.service", "start b.service", "start a.service"), world.calls);
        assertEquals("started by restart c.service -> requires b.service, requires c.service",
                onLoop(() -> manager.cause("a.service")));
    }

    @Test
    @DisplayName("restart of a unit whose requirement is down: its stop half, then the requirement's start, then its start half")
    void restartStartsAMissingRequirementAfterTheStop() throws Exception {
        unit("db.service.yaml", "exec: [/bin/true]\n");
        unit("api.service.yaml", "exec: [/bin/true]\nrequires: [db.service]\n");
        boot();
        assertTrue(run(Request.Verb.START, "api.service").success());
        onLoopRun(() -> world.drivers.get("db.service").exitCleanly()); // requires does not follow a clean exit
        assertEquals(ActiveState.ACTIVE, active("api.service"));
        assertEquals(ActiveState.INACTIVE, active("db.service"));
        Plan p = planAndRun("api.service");
        assertEquals("""
                wave 0
                  stop         api.service  requested
                wave 1
                  start        db.service   required by api.service
                wave 2
                  start        api.service  requested
                """, p.render());
        assertEquals(List.of("stop api.service", "start db.service", "start api.service"), world.calls);
        assertEquals(ActiveState.ACTIVE, active("api.service"));
        assertEquals(ActiveState.ACTIVE, active("db.service"));
    }
}
