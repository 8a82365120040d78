package dev.svcmgr.core.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One finished transition, as {@code analyze} answers it.
 *
 * @param tx       its number
 * @param request  the request, e.g. {@code start web.service}
 * @param boot     the boot transaction
 * @param started  ISO instant
 * @param finished ISO instant
 * @param jobs     every job with its timing
 */
public record Transition(long tx, String request, boolean boot, String started, String finished, List<Job> jobs) {
    public Transition { jobs = List.copyOf(jobs); }

    /**
     * One job of a transition; times in milliseconds from the transition's start.
     *
     * @param startMs null when the job never ran
     * @param endMs   null when it never ended
     * @param after   units whose jobs it was ordered after
     */
    public record Job(String unit, String job, String result, long queuedMs, Long startMs, Long endMs, List<String> after) {
        public Job { after = List.copyOf(after); }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> tm = Fields.object();
        tm.put("tx", tx);
        tm.put("request", request);
        tm.put("boot", boot);
        tm.put("started", started);
        tm.put("finished", finished);
        List<Object> js = new ArrayList<>();
        for (Job j : jobs) {
            Map<String, Object> jm = Fields.object();
            jm.put("unit", j.unit());
            jm.put("job", j.job());
            jm.put("result", j.result());
            jm.put("queued-ms", j.queuedMs());
            jm.put("start-ms", j.startMs());
            jm.put("end-ms", j.endMs());
            jm.put("after", j.after());
            js.add(jm);
        }
        tm.put("jobs", js);
        return tm;
    }

    static Transition read(Fields f) {
        List<Job> jobs = new ArrayList<>();
        for (Fields j : f.objects("jobs")) {
            jobs.add(new Job(j.string("unit"), j.string("job"), j.string("result"), j.number("queued-ms", 0), j.number("start-ms"),
                    j.number("end-ms"), j.strings("after")));
        }
        return new Transition(f.number("tx", 0), f.string("request"), f.flag("boot"), f.string("started"), f.string("finished"),
                jobs);
    }
}
