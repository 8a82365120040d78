package dev.svcmgr.core.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One unit as {@code units} answers it: the fields of cli.md's {@code status UNIT --json} first,
 * then, for units asked for by name, the details {@code status} shows. The JSON form is the one
 * {@code status --json} prints, so its keys and their order are part of the contract.
 *
 * @param mainPid null when none
 * @param since   ISO instant the active state last changed, null when never
 * @param details null in a plain listing and for a name no unit has
 */
public record UnitInfo(String unit, String load, String active, String sub, String result, Long mainPid, String since,
                       String description, String fragmentPath, Details details) {
    public UnitInfo {
        if (description == null) description = "";
    }

    /** The stand-in for a name no unit has ({@code load: not-found}). */
    public static UnitInfo notFound(String name) {
        return new UnitInfo(name, "not-found", "inactive", "dead", null, null, null, "", null, null);
    }

    public boolean isNotFound() { return "not-found".equals(load); }

    /** {@code enabled}, {@code disabled}, {@code masked}, {@code static}; {@code not-found} for a missing unit; null without details. */
    public String enabled() {
        if (details != null) return details.enabled();
        return isNotFound() ? "not-found" : null;
    }

    /** This unit with {@code problems} in place of the ones it had (the view an unprivileged peer may see). */
    public UnitInfo withProblems(List<String> problems) {
        if (details == null) return this;
        Details d = details;
        return new UnitInfo(unit, load, active, sub, result, mainPid, since, description, fragmentPath,
                new Details(d.type(), d.resultDetail(), d.statusText(), d.dropIns(), d.enabled(), d.cause(), problems,
                        d.supervision(), d.processes(), d.needsDaemonReload()));
    }

    /**
     * What {@code status} shows of a unit asked for by name.
     *
     * @param type              {@code service}, {@code target}, ...
     * @param enabled           {@code enabled}, {@code disabled}, {@code masked} or {@code static}
     * @param cause             the request or dependency that put the unit in its state, or null
     * @param problems          the definition's problems, one formatted line each
     * @param supervision       for a supervised service, else null
     * @param processes         for a unit that has a driver (a service), else null
     * @param needsDaemonReload a unit file changed on disk after it was loaded
     */
    public record Details(String type, String resultDetail, String statusText, List<String> dropIns, String enabled,
                          String cause, List<String> problems, Supervision supervision, Processes processes,
                          boolean needsDaemonReload) {
        public Details {
            dropIns = List.copyOf(dropIns);
            problems = List.copyOf(problems);
        }
    }

    /** A supervised service's restarts (since the last reset-failed), warnings, how it is tracked and its past failures. */
    public record Supervision(long restarts, List<String> warnings, String tracking, List<Failure> failures) {
        public Supervision {
            warnings = List.copyOf(warnings);
            failures = List.copyOf(failures);
        }
    }

    /** One past failure: when (ISO), the result word, the words for it. */
    public record Failure(String time, String result, String detail) {}

    /**
     * A driven unit's processes.
     *
     * @param memoryBytes null when unknown; then {@code memory} is null too
     * @param memory      e.g. {@code 12.5M}, with {@code (RSS of its processes)} when not from a cgroup
     * @param changedSinceStart it runs with a definition that has changed since it started
     */
    public record Processes(List<Long> pids, long tasks, Long memoryBytes, String memory, boolean changedSinceStart, Long cpuNanos) {
        public Processes { pids = List.copyOf(pids); }

        public Processes(List<Long> pids, long tasks, Long memoryBytes, String memory, boolean changedSinceStart) {
            this(pids, tasks, memoryBytes, memory, changedSinceStart, null);
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> r = Fields.object();
        r.put("unit", unit);
        r.put("load", load);
        r.put("active", active);
        r.put("sub", sub);
        r.put("result", result);
        r.put("main-pid", mainPid);
        r.put("since", since);
        r.put("description", description);
        r.put("fragment-path", fragmentPath);
        if (details == null) {
            if (isNotFound()) r.put("enabled", "not-found");
            return r;
        }
        Details d = details;
        r.put("type", d.type());
        r.put("result-detail", d.resultDetail());
        r.put("status-text", d.statusText());
        r.put("drop-ins", d.dropIns());
        r.put("enabled", d.enabled());
        r.put("cause", d.cause());
        r.put("problems", d.problems());
        if (d.supervision() != null) {
            Supervision s = d.supervision();
            r.put("restarts", s.restarts());
            r.put("warnings", s.warnings());
            r.put("tracking", s.tracking());
            List<Object> failures = new ArrayList<>();
            for (Failure f : s.failures()) {
                Map<String, Object> fm = Fields.object();
                fm.put("time", f.time());
                fm.put("result", f.result());
                fm.put("detail", f.detail());
                failures.add(fm);
            }
            r.put("failures", failures);
        }
        if (d.processes() != null) {
            Processes p = d.processes();
            r.put("pids", p.pids());
            r.put("tasks", p.tasks());
            if (p.memoryBytes() != null) {
                r.put("memory-bytes", p.memoryBytes());
                r.put("memory", p.memory());
            }
            r.put("changed-since-start", p.changedSinceStart());
            if (p.cpuNanos() != null) r.put("cpu-nsec", p.cpuNanos());
        }
        r.put("needs-daemon-reload", d.needsDaemonReload());
        return r;
    }

    public static UnitInfo fromJson(Map<String, Object> m) { return read(new Fields(m)); }

    static UnitInfo read(Fields f) {
        Details details = null;
        if (f.has("type")) {
            Supervision sup = null;
            if (f.has("restarts")) {
                List<Failure> failures = new ArrayList<>();
                for (Fields x : f.objects("failures")) failures.add(new Failure(x.string("time"), x.string("result"), x.string("detail")));
                sup = new Supervision(f.number("restarts", 0), f.strings("warnings"), f.string("tracking"), failures);
            }
            Processes proc = null;
            if (f.has("pids")) {
                List<Long> pids = new ArrayList<>();
                Object l = f.raw("pids");
                if (l instanceof List<?> list) for (Object o : list) if (o instanceof Long n) pids.add(n);
                proc = new Processes(pids, f.number("tasks", 0), f.number("memory-bytes"), f.string("memory"),
                        f.flag("changed-since-start"), f.number("cpu-nsec"));
            }
            details = new Details(f.string("type"), f.string("result-detail"), f.string("status-text"), f.strings("drop-ins"),
                    f.string("enabled"), f.string("cause"), f.strings("problems"), sup, proc, f.flag("needs-daemon-reload"));
        }
        return new UnitInfo(f.required("unit"), f.string("load"), f.string("active"), f.string("sub"), f.string("result"),
                f.number("main-pid"), f.string("since"), f.string("description"), f.string("fragment-path"), details);
    }
}
