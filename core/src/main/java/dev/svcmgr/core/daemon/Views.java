package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Event;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.TransitionRecord;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.ResourceUsage;
import dev.svcmgr.core.protocol.EventInfo;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Transition;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.core.supervise.Failure;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The protocol's views of runtime state that replies carry (shapes per cli.md "JSON shapes"). Loop
 * thread only, except {@link #render}, which turns what {@link #capture} copied on the loop into a
 * view elsewhere.
 */
final class Views {
    private Views() {}

    /** {@code enabled}, {@code disabled}, {@code masked} or {@code static}. */
    static String enabled(Unit u, Choices c) {
        if (c.isMasked(u.name())) return "masked";
        if (!u.hasInstall()) return "static";
        return c.isDisabled(u.name()) ? "disabled" : "enabled";
    }

    /**
     * What a unit's view needs, copied on the loop: only in-memory state, the service's pid list and
     * the reader of its figures ({@code usage}), so capturing is cheap; {@link #render} does the file
     * and /proc reads on another thread.
     */
    record Captured(String name, Unit unit, UnitSnapshot snapshot, String load, boolean detail, String enabled,
                    String cause, Integer restarts, List<String> warnings, String tracking, List<Failure> failures,
                    boolean driven, List<Integer> pids, ResourceUsage usage, Boolean changedSinceStart) {}

    /**
     * On the loop: the state of {@code name}. {@code resolved} is its definition when the caller
     * looked it up already (off the loop), else null.
     */
    static Captured capture(Manager m, Choices c, String name, Unit resolved, boolean detail) {
        Unit u = resolved != null && resolved.name().equals(name) ? resolved : m.unit(name);
        UnitSnapshot s = m.snapshot(name);
        String load = c.isMasked(name) ? "masked" : u.load().word();
        if (!detail) return new Captured(name, u, s, load, false, null, null, null, null, null, null, false, null, null, null);
        ServiceDriver d = m.driver(name);
        Integer restarts = null;
        List<String> warnings = null;
        String tracking = null;
        List<Failure> failures = null;
        ResourceUsage usage = ResourceUsage.NONE;
        if (d instanceof dev.svcmgr.core.supervise.SupervisorDriver sd) {
            var sup = sd.supervisor();
            restarts = sup.restarts();
            warnings = new ArrayList<>(sup.warnings());
            tracking = sup.tracking();
            failures = new ArrayList<>(sup.failures());
            usage = sup.usage();
        }
        List<Integer> pids = d == null ? null : d.pids();
        Boolean changed = null;
        if (d != null) {
            Unit running = m.startedWith(name);
            boolean up = s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING;
            changed = up && running != null && !running.equals(u);
        }
        return new Captured(name, u, s, load, true, enabled(u, c), m.cause(name), restarts, warnings, tracking, failures,
                d != null, pids, usage, changed);
    }

    /** Any thread: the protocol's view of a captured unit (reads the service's cgroup or /proc and the unit files' times). */
    static UnitInfo render(Captured k, java.time.Instant loadedAt) {
        Unit u = k.unit();
        UnitSnapshot s = k.snapshot();
        String since = s.since() == null || s.since().equals(java.time.Instant.EPOCH) ? null : s.since().toString();
        Long mainPid = s.mainPid() == null ? null : s.mainPid().longValue();
        UnitInfo.Details details = null;
        if (k.detail()) {
            List<String> problems = new ArrayList<>();
            for (var p : u.problems()) problems.add(p.format());
            UnitInfo.Supervision sup = null;
            if (k.restarts() != null) {
                List<UnitInfo.Failure> failures = new ArrayList<>();
                for (var f : k.failures()) failures.add(new UnitInfo.Failure(f.time().toString(), f.result().word(), f.detail()));
                sup = new UnitInfo.Supervision(k.restarts(), k.warnings(), k.tracking(), failures);
            }
            UnitInfo.Processes proc = null;
            if (k.driven()) {
                List<Long> pids = new ArrayList<>();
                for (Integer p : k.pids()) pids.add(p.longValue());
                long tasks = pids.size();
                Long memoryBytes = null;
                String memory = null;
                Long cpu = null;
                if (!pids.isEmpty()) {
                    cpu = k.usage().cpuNanos(k.pids());
                    ResourceUsage.Sample use = k.usage().sample(k.pids());
                    tasks = use.tasks();
                    if (use.memoryBytes() != null) {
                        memoryBytes = use.memoryBytes();
                        memory = human(use.memoryBytes()) + (use.source() == ResourceUsage.Source.CGROUP ? "" : " (RSS of its processes)");
                    }
                }
                proc = new UnitInfo.Processes(pids, tasks, memoryBytes, memory, k.changedSinceStart(), cpu);
            }
            details = new UnitInfo.Details(u.type().suffix(), s.resultDetail(), s.statusText(), u.dropIns(), k.enabled(), k.cause(),
                    problems, sup, proc, changedOnDisk(u, loadedAt));
        }
        return new UnitInfo(k.name(), k.load(), s.active().word(), s.sub().word(), s.result() == null ? null : s.result().word(),
                mainPid, since, u.description() == null ? "" : u.description(), u.fragmentPath(), details);
    }

    /** {@code 12.5M} style, 1024-based like the unit files' sizes. */
    static String human(long bytes) {
        String[] u = {"B", "K", "M", "G", "T"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", v, u[i]);
    }

    /** True when the unit file or a drop-in was modified after the unit was loaded. */
    private static boolean changedOnDisk(Unit u, java.time.Instant loadedAt) {
        List<String> files = new ArrayList<>();
        if (u.fragmentPath() != null) files.add(u.fragmentPath());
        files.addAll(u.dropIns());
        for (String f : files) {
            try {
                if (Files.getLastModifiedTime(Path.of(f)).toInstant().isAfter(loadedAt)) return true;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    static EventInfo event(Event e) {
        return new EventInfo(e.seq(), e.time().toString(), e.unit(), e.active(), e.sub(), e.result());
    }

    /**
     * {@code why}: the chain from the unit's state back to its origin. A unit that failed because
     * a requirement failed is followed by that requirement ({@link UnitSnapshot#failedDependency}).
     */
    static Reply.Why why(Manager m, String name) {
        List<Reply.Why.Link> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = name;
        while (cur != null && seen.add(cur)) {
            UnitSnapshot s = m.snapshot(cur);
            chain.add(new Reply.Why.Link(cur, s.active().word(), s.result() == null ? null : s.result().word(), s.resultDetail(),
                    m.cause(cur)));
            cur = s.failedDependency();
        }
        return new Reply.Why(name, m.snapshot(name).active().word(), chain);
    }

    /** The kept transitions with per-job timings, oldest first. */
    static List<Transition> transitions(Manager m) {
        List<Transition> out = new ArrayList<>();
        for (TransitionRecord t : m.transitions()) {
            List<Transition.Job> jobs = new ArrayList<>();
            for (JobRecord j : t.jobs()) {
                jobs.add(new Transition.Job(j.unit(), j.type().word(), j.result() == null ? null : j.result().word(), 0,
                        j.started() == null ? null : Duration.between(t.started(), j.started()).toMillis(),
                        j.finished() == null ? null : Duration.between(t.started(), j.finished()).toMillis(),
                        t.after().getOrDefault(j.unit(), List.of())));
            }
            out.add(new Transition(t.tx(), t.request(), t.boot(), t.started().toString(), t.finished().toString(), jobs));
        }
        return out;
    }
}
