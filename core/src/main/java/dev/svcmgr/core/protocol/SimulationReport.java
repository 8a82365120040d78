package dev.svcmgr.core.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code simulate} found (the {@link Reply.Simulated} reply, and the report offline): every job on the simulated clock, what failed and why, the final state of
 * each unit involved, the critical chain and the total time. Times are milliseconds from the request.
 *
 * @param request       the request, e.g. {@code start web.service}
 * @param ok            true when the request would succeed
 * @param finished      false when jobs were still running when the simulation gave up (after 24 h of simulated time)
 * @param durationMs    from the request to the end of its last job
 * @param jobs          every job, in the order they ended (unfinished ones last)
 * @param failures      each failed job: unit, result and why
 * @param units         the final state of every unit that had a job
 * @param criticalChain from the job that ended last back through what it waited for
 * @param gaveUp        why the simulation stopped before everything settled, or null when it finished
 */
public record SimulationReport(String request, boolean ok, boolean finished, long durationMs, List<Job> jobs,
                     List<Failure> failures, List<Final> units, List<String> criticalChain, String gaveUp) {

    /** One job: {@code startMs} null when it never ran, {@code endMs} null when it had not ended. */
    public record Job(String unit, String job, Long startMs, Long endMs, String result, String detail) {}

    public record Failure(String unit, String result, String why) {}

    /** A unit's state when the simulation ended ({@code sub}: e.g. {@code auto-restart} for a unit about to be started again). */
    public record Final(String unit, String active, String sub, String result) {}

    /** The {@code simulate --json} object (cli.md). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = Fields.object();
        m.put("request", request);
        m.put("ok", ok);
        m.put("finished", finished);
        m.put("duration-ms", durationMs);
        List<Object> js = new ArrayList<>();
        for (Job j : jobs) {
            Map<String, Object> o = Fields.object();
            o.put("unit", j.unit());
            o.put("job", j.job());
            o.put("start-ms", j.startMs());
            o.put("end-ms", j.endMs());
            o.put("result", j.result());
            o.put("detail", j.detail());
            js.add(o);
        }
        m.put("jobs", js);
        List<Object> fs = new ArrayList<>();
        for (Failure f : failures) {
            Map<String, Object> o = Fields.object();
            o.put("unit", f.unit());
            o.put("result", f.result());
            o.put("why", f.why());
            fs.add(o);
        }
        m.put("failures", fs);
        List<Object> us = new ArrayList<>();
        for (Final u : units) {
            Map<String, Object> o = Fields.object();
            o.put("unit", u.unit());
            o.put("active", u.active());
            o.put("sub", u.sub());
            o.put("result", u.result());
            us.add(o);
        }
        m.put("final", us);
        m.put("critical-chain", List.copyOf(criticalChain));
        m.put("gave-up", gaveUp);
        return m;
    }

    /** The inverse of {@link #toJson()}. */
    static SimulationReport read(Fields f) {
        List<Job> jobs = new ArrayList<>();
        for (Fields o : f.objects("jobs")) {
            jobs.add(new Job(o.string("unit"), o.string("job"), num(o.raw("start-ms")), num(o.raw("end-ms")), o.string("result"),
                    o.string("detail")));
        }
        List<Failure> fs = new ArrayList<>();
        for (Fields o : f.objects("failures")) fs.add(new Failure(o.string("unit"), o.string("result"), o.string("why")));
        List<Final> us = new ArrayList<>();
        for (Fields o : f.objects("final")) us.add(new Final(o.string("unit"), o.string("active"), o.string("sub"), o.string("result")));
        return new SimulationReport(f.string("request"), f.flag("ok"), f.flag("finished", true),
                f.number("duration-ms", 0), jobs, fs, us, f.strings("critical-chain"), f.string("gave-up"));
    }

    private static Long num(Object o) { return o instanceof Number n ? n.longValue() : null; }
}
