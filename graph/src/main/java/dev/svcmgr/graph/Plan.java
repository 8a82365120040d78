package dev.svcmgr.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction the resolver accepted: jobs sorted by (wave, unit). Data only: it
 * can be printed, compared with a golden file and executed (STYLE habit 3).
 *
 * @param request the request it answers
 * @param jobs    every job, ordered by wave then unit name; a restarted unit has a stop job and a
 *                later start job
 * @param skipped units the request pulled in only softly ({@code wants}) that cannot start
 *                (missing, bad, masked, requisite not active, or requiring such a unit), one line
 *                each: {@code x.service: not found (wanted by a.service)}; sorted. Never silent.
 */
public record Plan(Request request, List<Job> jobs, List<String> skipped) implements Resolution {
    public Plan {
        jobs = List.copyOf(jobs);
        skipped = List.copyOf(skipped);
    }

    /** A plan with nothing skipped. */
    public Plan(Request request, List<Job> jobs) {
        this(request, jobs, List.of());
    }

    /** The first job of a unit (a restarted unit has two: its stop half, then its start half), or null. */
    public Job job(String unit) {
        for (Job j : jobs) if (j.unit().equals(unit)) return j;
        return null;
    }

    /** The unit's job of that type, or null. */
    public Job job(String unit, JobType type) {
        for (Job j : jobs) if (j.unit().equals(unit) && j.type() == type) return j;
        return null;
    }

    /** The job a {@link Job.Ref} names, or null. */
    public Job job(Job.Ref ref) { return job(ref.unit(), ref.type()); }

    /** Every job of a unit, in plan order (two for a restarted unit). */
    public List<Job> jobs(String unit) {
        return jobs.stream().filter(j -> j.unit().equals(unit)).toList();
    }

    /** Units this plan restarts (a stop job and a start job of the same unit), sorted. */
    public List<String> restarted() {
        java.util.Set<String> stops = new java.util.HashSet<>();
        for (Job j : jobs) if (j.type() == JobType.STOP) stops.add(j.unit());
        return jobs.stream().filter(j -> j.type() != JobType.STOP && stops.contains(j.unit()))
                .map(Job::unit).sorted().toList();
    }

    /** Number of waves (0 for an empty plan). */
    public int waves() {
        return jobs.isEmpty() ? 0 : jobs.get(jobs.size() - 1).wave() + 1;
    }

    /** The jobs of one wave, by unit name. */
    public List<Job> wave(int w) {
        List<Job> l = new ArrayList<>();
        for (Job j : jobs) if (j.wave() == w) l.add(j);
        return l;
    }

    /** Units this plan leaves stopped (a stop job and no start half), sorted. */
    public List<String> stopped() {
        java.util.Set<String> restarted = new java.util.HashSet<>(restarted());
        return jobs.stream().filter(j -> j.type() == JobType.STOP && !restarted.contains(j.unit()))
                .map(Job::unit).sorted().toList();
    }

    /**
     * The plan as text, the form golden files and {@code svcmgr plan} show:
     * <pre>
     * wave 0
     *   start  db.service  required by api.service, wanted by multi-user.target
     * wave 1
     *   ...
     * </pre>
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        int width = 0;
        for (Job j : jobs) width = Math.max(width, j.unit().length());
        int w = -1;
        for (Job j : jobs) {
            if (j.wave() != w) {
                w = j.wave();
                b.append("wave ").append(w).append('\n');
            }
            b.append("  ").append(pad(j.type().word(), 13)).append(pad(j.unit(), width + 2)).append(j.reason()).append('\n');
        }
        if (jobs.isEmpty()) b.append("nothing to do\n");
        for (String s : skipped) b.append("skipped ").append(s).append('\n');
        return b.toString();
    }

    private static String pad(String s, int n) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < n) b.append(' ');
        return b.toString();
    }
}
