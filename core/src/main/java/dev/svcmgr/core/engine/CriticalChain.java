package dev.svcmgr.core.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chain of waits that decided when a unit's job was done: from that job, at each step the job it
 * was ordered after that finished last ({@code analyze critical-chain}, {@code simulate}). Pure.
 */
public final class CriticalChain {
    private CriticalChain() {}

    /**
     * One job of a transition.
     *
     * @param unit    the unit
     * @param startMs when it began acting, in ms from the transition's start (null when it never ran)
     * @param endMs   when it ended (null while it has not)
     * @param after   the units whose jobs it was ordered after
     */
    public record Job(String unit, Long startMs, Long endMs, List<String> after) {}

    /** One step of a chain: the unit, when its job ended and how long it took. */
    public record Link(String unit, long atMs, long tookMs) {}

    /** The unit whose job ended last (ties: the later one in {@code jobs}), or null when none ended. */
    public static String last(List<Job> jobs) {
        String last = null;
        long end = -1;
        for (Job j : jobs) {
            if (j.endMs() != null && j.endMs() >= end) {
                end = j.endMs();
                last = j.unit();
            }
        }
        return last;
    }

    /** The chain from {@code unit}'s job back to the first job it waited for; empty when it had no job. */
    public static List<Link> from(String unit, List<Job> jobs) {
        Map<String, Job> byUnit = new java.util.HashMap<>();
        for (Job j : jobs) byUnit.put(j.unit(), j);
        List<Link> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = unit;
        while (cur != null && byUnit.containsKey(cur) && seen.add(cur)) {
            Job j = byUnit.get(cur);
            long end = j.endMs() == null ? 0 : j.endMs();
            long start = j.startMs() == null ? end : j.startMs();
            chain.add(new Link(cur, end, end - start));
            String next = null;
            long best = -1;
            for (String a : j.after()) {
                Job p = byUnit.get(a);
                if (p != null && p.endMs() != null && p.endMs() > best) {
                    best = p.endMs();
                    next = a;
                }
            }
            cur = next;
        }
        return chain;
    }
}
