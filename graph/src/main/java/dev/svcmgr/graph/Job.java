package dev.svcmgr.graph;

import java.util.List;
import java.util.TreeSet;

/**
 * One job of a plan. A restart comes as two jobs of the same unit: a {@code stop} and a
 * {@code start} that waits for it.
 *
 * @param unit     canonical unit name
 * @param type     what to do: start, stop, reload or verify-active (a plan holds no {@code restart} job)
 * @param wave     0-based; a job's wave is greater than the wave of every job it waits for
 * @param reason   one line: the chain of edges from the request to this job,
 *                 e.g. {@code required by api.service, wanted by multi-user.target}
 * @param waitsFor the jobs of this plan that must finish before this one starts, in unit order
 *                 (a unit's start half before its stop half): exactly the edges the executor runs
 */
public record Job(String unit, JobType type, int wave, String reason, List<Ref> waitsFor) {
    /** A job of the same plan, named by its unit and type (a unit has at most one stop and one other job). */
    public record Ref(String unit, JobType type) {
        @Override
        public String toString() { return type.word() + " " + unit; }

        // written out: a record's generated equals and hashCode go through method handles, which C1 (the
        // daemon's only compiler) does not inline; as a map key in the executor they cost ~20 µs a job
        @Override
        public boolean equals(Object o) {
            return o instanceof Ref r && type == r.type && java.util.Objects.equals(unit, r.unit);
        }

        @Override
        public int hashCode() { return 31 * java.util.Objects.hashCode(unit) + java.util.Objects.hashCode(type); }
    }

    public Job {
        waitsFor = List.copyOf(waitsFor);
    }

    /** This job as others' {@link #waitsFor} name it. */
    public Ref ref() { return new Ref(unit, type); }

    /**
     * The units of the jobs it waits for, sorted, each once ({@code after} in {@code plan --json}).
     * A restart's start half names its own unit: it waits for its stop half.
     */
    public List<String> after() {
        TreeSet<String> s = new TreeSet<>();
        for (Ref r : waitsFor) s.add(r.unit());
        return List.copyOf(s);
    }
}
