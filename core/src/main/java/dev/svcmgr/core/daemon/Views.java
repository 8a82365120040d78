package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Event;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.ServiceDriver;
import dev.svcmgr.core.engine.TransitionRecord;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.supervise.Failure;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON views of runtime state that replies carry (shapes per cli.md "JSON shapes"). Loop thread
 * only, except {@link #render}, which turns what {@link #capture} copied on the loop into JSON elsewhere.
 */
final class Views {
    private Views() {}

    /** {@code enabled}, {@code disabled}, {@code masked} or {@code static}. */
    static String enabled(Unit u, Choices c) {
        if (c.isMasked(u.name())) return "masked";
        if (!u.hasInstall()) return "static";
        return c.isDisabled(u.name()) ? "disabled" : "enabled";
    }

    /** One unit: the contract's fields, then details for {@code status} (loop thread: captures and renders at once). */
    static Map<String, Object> unit(Manager m, Choices c, java.time.Instant loadedAt, String name, boolean detail) {
        return render(capture(m, c, name, null, detail), loadedAt);
    }

    /**
     * What a unit's view needs, copied on the loop: only in-memory state and the service's pid
     * list, so capturing is cheap; {@link #render} does the file and /proc reads on another thread.
     */
    record Captured(String name, Unit unit, UnitSnapshot snapshot, String load, boolean detail, String enabled,
                    String cause, Integer restarts, List<String> warnings, String tracking, List<Failure> failures,
                    boolean driven, List<Integer> pids, Boolean changedSinceStart) {}

    /**
     * On the loop: the state of {@code name}. {@code resolved} is its definition when the caller
     * looked it up already (off the loop), else null.
     */
    static Captured capture(Manager m, Choices c, String name, Unit resolved, boolean detail) {
        Unit u = resolved != null && resolved.name().equals(name) ? resolved : m.unit(name);
        UnitSnapshot s = m.snapshot(name);
        String load = c.isMasked(name) ? "masked" : u.load().word();
        if (!detail) return new Captured(name, u, s, load, false, null, null, null, null, null, null, false, null, null);
        ServiceDriver d = m.driver(name);
        Integer restarts = null;
        List<String> warnings = null;
        String tracking = null;
        List<Failure> failures = null;
        if (d instanceof Supervisors.Driver sd) {
            var sup = sd.supervisor();
            restarts = sup.restarts();
            warnings = new ArrayList<>(sup.warnings());
            tracking = sup.tracking();
            failures = new ArrayList<>(sup.failures());
        }
        List<Integer> pids = d == null ? null : d.pids();
        Boolean changed = null;
        if (d != null) {
            Unit running = m.startedWith(name);
            boolean up = s.active() == ActiveState.ACTIVE || s.active() == ActiveState.STARTING;
            changed = up && running != null && !running.equals(u);
        }
        return new Captured(name, u, s, load, true, enabled(u, c), m.cause(name), restarts, warnings, tracking, failures,
                d != null, pids, changed);
    }

    /** Any thread: the JSON view of a captured unit (reads the service's cgroup or /proc and the unit files' times). */
    static Map<String, Object> render(Captured k, java.time.Instant loadedAt) {
        Unit u = k.unit();
        UnitSnapshot s = k.snapshot();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("unit", k.name());
        r.put("load", k.load());
        r.put("active", s.active().word());
        r.put("sub", s.sub().word());
        r.put("result", s.result() == null ? null : s.result().word());
        r.put("main-pid", s.mainPid());
        r.put("since", s.since() == null || s.since().equals(java.time.Instant.EPOCH) ? null : s.since().toString());
        r.put("description", u.description() == null ? "" : u.description());
        r.put("fragment-path", u.fragmentPath());
        if (!k.detail()) return r;
        r.put("type", u.type().suffix());
        r.put("result-detail", s.resultDetail());
        r.put("status-text", s.statusText());
        r.put("drop-ins", u.dropIns());
        r.put("enabled", k.enabled());
        r.put("cause", k.cause());
        List<String> problems = new ArrayList<>();
        for (var p : u.problems()) problems.add(p.format());
        r.put("problems", problems);
        if (k.restarts() != null) {
            r.put("restarts", k.restarts());
            r.put("warnings", k.warnings());
            r.put("tracking", k.tracking());
            List<Object> failures = new ArrayList<>();
            for (var f : k.failures()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("time", f.time().toString());
                fm.put("result", f.result().word());
                fm.put("detail", f.detail());
                failures.add(fm);
            }
            r.put("failures", failures);
        }
        if (k.driven()) {
            List<Integer> pids = k.pids();
            r.put("pids", pids);
            r.put("tasks", pids.size());
            if (!pids.isEmpty()) {
                Usage use = Usage.of(k.tracking(), pids);
                r.put("tasks", use.tasks());
                if (use.memoryBytes() != null) {
                    r.put("memory-bytes", use.memoryBytes());
                    r.put("memory", Usage.human(use.memoryBytes()) + (use.source().equals("cgroup") ? "" : " (RSS of its processes)"));
                }
            }
            r.put("changed-since-start", k.changedSinceStart());
        }
        r.put("needs-daemon-reload", changedOnDisk(u, loadedAt));
        return r;
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

    static Map<String, Object> event(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("time", e.time().toString());
        m.put("unit", e.unit());
        m.put("active", e.active());
        m.put("sub", e.sub());
        m.put("result", e.result());
        return m;
    }

    /** {@code why}: the chain from the unit's state back to its origin. */
    static Map<String, Object> why(Manager m, String name) {
        List<Object> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = name;
        while (cur != null && seen.add(cur)) {
            UnitSnapshot s = m.snapshot(cur);
            String next = null;
            String reason;
            String active = s.active().word();
            if (s.result() == Result.DEPENDENCY && s.resultDetail() != null) {
                reason = active + ": " + s.resultDetail();
                next = dependencyOf(s.resultDetail());
            } else if (s.result() == Result.CONDITION) {
                reason = active + ": " + (s.resultDetail() == null ? "condition not met" : s.resultDetail());
            } else if (s.active() == ActiveState.FAILED || (s.result() != null && s.result().isFailure())) {
                reason = active + ": " + (s.result() == null ? "failed" : s.result().word())
                        + (s.resultDetail() == null ? "" : " (" + s.resultDetail() + ")");
                String cause = m.cause(cur);
                if (cause != null) reason += "; " + cause;
            } else {
                String cause = m.cause(cur);
                reason = active + ": " + (cause == null
                        ? (s.active() == ActiveState.INACTIVE ? "never started" : "no recorded cause")
                        : cause);
            }
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("unit", cur);
            link.put("reason", reason);
            chain.add(link);
            cur = next;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("unit", name);
        r.put("active", m.snapshot(name).active().word());
        r.put("chain", chain);
        return r;
    }

    /** The unit named in {@code dependency db.service failed: ...}. */
    private static String dependencyOf(String detail) {
        String d = detail.startsWith("dependency ") ? detail.substring("dependency ".length()) : detail;
        int sp = d.indexOf(' ');
        return sp < 0 ? null : d.substring(0, sp);
    }

    /** The kept transitions with per-job timings, newest last. */
    static List<Object> transitions(Manager m) {
        List<Object> out = new ArrayList<>();
        for (TransitionRecord t : m.transitions()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("tx", t.tx());
            tm.put("request", t.request());
            tm.put("boot", t.boot());
            tm.put("started", t.started().toString());
            tm.put("finished", t.finished().toString());
            List<Object> jobs = new ArrayList<>();
            for (JobRecord j : t.jobs()) {
                Map<String, Object> jm = new LinkedHashMap<>();
                jm.put("unit", j.unit());
                jm.put("job", j.type().word());
                jm.put("result", j.result() == null ? null : j.result().word());
                jm.put("queued-ms", 0);
                jm.put("start-ms", j.started() == null ? null : Duration.between(t.started(), j.started()).toMillis());
                jm.put("end-ms", j.finished() == null ? null : Duration.between(t.started(), j.finished()).toMillis());
                jm.put("after", t.after().getOrDefault(j.unit(), List.of()));
                jobs.add(jm);
            }
            tm.put("jobs", jobs);
            out.add(tm);
        }
        return out;
    }
}
