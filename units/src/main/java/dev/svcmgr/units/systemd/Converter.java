package dev.svcmgr.units.systemd;

import dev.svcmgr.units.UnitType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts one lexed systemd unit file (or drop-in) to svcmgr unit keys (units.md), following
 * systemd's assignment rules: a repeated list setting appends, an empty assignment resets it,
 * a repeated single-valued setting replaces. Every setting svcmgr cannot carry over becomes a
 * {@link Warning} with its line and what to use instead; the mapping of the {@code [Unit]} and
 * {@code [Install]} sections is here, {@link ServiceKeys} and {@link TriggerKeys} map the
 * type sections.
 */
public final class Converter {
    /** A setting not carried over (or carried over with a difference): {@code file:line: Key= message}. */
    public record Warning(int line, String key, String message) {
        /** The line users see, with {@code file} as they named it. */
        public String format(String file) {
            return file + ":" + line + ": " + key + "= " + message;
        }
    }

    /**
     * The converted keys in the order units.md lists them. {@code resetsFirst}: for a drop-in that
     * empties a list and then adds to it, the emptying, to be merged before {@code keys}
     * (YAML cannot say both under one key); empty otherwise.
     */
    public record Result(Map<String, Object> keys, Map<String, Object> resetsFirst, List<Warning> warnings) {}

    /** A dependency entry before it is known whether the file also orders on it. */
    record DepRef(String unit) {}

    /** Top-level keys in the order of units.md, for readable output. */
    static final List<String> ORDER = List.of("description", "documentation", "requires", "wants", "requisite", "binds-to", "part-of",
            "conflicts", "after", "before", "on-failure", "provides", "aliases", "conditions", "ignore-on-isolate", "allow-isolate",
            "type", "exec", "exec-start-pre", "exec-start-post", "exec-reload", "exec-stop", "stop-signal", "timeout-start",
            "timeout-stop", "restart", "restart-delay", "restart-max-delay", "start-limit", "remain-after-exit", "success-exit-status",
            "pid-file", "ready", "watchdog", "environment", "environment-file", "working-directory", "user", "group",
            "supplementary-groups", "umask", "runtime-directory", "state-directory", "logs-directory", "cache-directory",
            "directory-mode", "limits", "sandbox", "log", "listen", "socket-mode", "socket-user", "socket-group", "backlog",
            "on-calendar", "on-boot", "on-active", "on-unit-active", "on-unit-inactive", "persistent", "randomized-delay", "accuracy",
            "path-exists", "path-changed", "path-modified", "directory-not-empty", "service", "action", "install");

    private static final Map<String, String> DEPS = Map.of("Requires", "requires", "Wants", "wants", "Requisite", "requisite",
            "BindsTo", "binds-to", "PartOf", "part-of", "Conflicts", "conflicts", "After", "after", "Before", "before",
            "OnFailure", "on-failure");
    private static final Set<String> ORDERING_IMPLIED = Set.of("requires", "wants", "requisite", "binds-to");
    private static final Map<String, String> CONDITIONS = Map.of("PathExists", "path-exists", "FileNotEmpty", "file-not-empty",
            "Environment", "env");

    private Converter() {}

    /**
     * Converts {@code ini}, the file of unit {@code name} ({@code nginx.service}, {@code getty@.service}),
     * or a drop-in of it when {@code dropIn}.
     */
    public static Result convert(String name, IniFile ini, boolean dropIn, Specifiers.Host host) {
        UnitType type = UnitType.ofName(name);
        if (type == null) throw new IllegalArgumentException("not a unit type svcmgr has: " + name);
        Specifiers spec = new Specifiers(name, host);
        Acc acc = new Acc();
        ServiceKeys service = new ServiceKeys(acc, spec, dropIn);
        TriggerKeys trigger = new TriggerKeys(acc);
        String typeSection = Character.toUpperCase(type.suffix().charAt(0)) + type.suffix().substring(1);
        for (IniFile.Entry raw : ini.entries()) {
            List<String> notes = new ArrayList<>();
            String v = spec.expand(raw.value(), notes);
            IniFile.Entry e = new IniFile.Entry(raw.section(), raw.key(), v, raw.line());
            for (String n : notes) acc.note(e, n);
            String sec = e.section();
            if (sec.startsWith("X-")) continue; // systemd ignores X- sections too
            try {
                switch (sec) {
                    case "Unit" -> unitKey(acc, e, type);
                    case "Install" -> installKey(acc, e);
                    default -> {
                        if (!sec.equals(typeSection) || type == UnitType.TARGET) {
                            acc.unsupported(e, "a [" + sec + "] section in a ." + type.suffix() + " unit; svcmgr has no such settings");
                        } else if (type == UnitType.SERVICE) {
                            service.key(e);
                        } else {
                            trigger.key(e, type);
                        }
                    }
                }
            } catch (IllegalArgumentException bad) {
                acc.note(e, "ignored: " + bad.getMessage());
            }
        }
        if (type == UnitType.SERVICE) service.finish();
        if (type == UnitType.SOCKET) trigger.finishSocket();
        resolveDeps(acc);
        return assemble(acc, dropIn);
    }

    private static void unitKey(Acc acc, IniFile.Entry e, UnitType type) {
        String k = e.key(), v = e.value();
        String dep = DEPS.get(k);
        if (dep != null) {
            if (v.isEmpty()) {
                acc.reset(dep);
                return;
            }
            for (String u : Words.split(v)) acc.add(dep, ORDERING_IMPLIED.contains(dep) ? new DepRef(u) : u);
            return;
        }
        switch (k) {
            case "Description" -> acc.set("description", v);
            case "Documentation" -> {
                if (v.isEmpty()) acc.reset("documentation");
                else for (String d : Words.split(v)) acc.add("documentation", d);
            }
            case "IgnoreOnIsolate" -> acc.set("ignore-on-isolate", bool(e));
            case "AllowIsolate" -> {
                if (type == UnitType.TARGET) acc.set("allow-isolate", bool(e));
                else if (Boolean.TRUE.equals(bool(e))) acc.unsupported(e, "only targets may be isolated to in svcmgr");
            }
            case "DefaultDependencies" -> {
                // svcmgr adds no implicit dependencies: DefaultDependencies=no is its only behaviour (docs/migrating-from-systemd.md)
            }
            case "StartLimitBurst", "StartLimitIntervalSec", "StartLimitInterval" -> {
                if (type != UnitType.SERVICE) acc.unsupported(e, "svcmgr has start-limit for services only");
                else ServiceKeys.startLimit(acc, e);
            }
            case "RequiresMountsFor", "WantsMountsFor" ->
                    acc.unsupported(e, "svcmgr has no mount units; order the unit after the service that mounts " + v + " (after:)");
            case "ReloadPropagatedFrom", "PropagatesReloadTo" ->
                    acc.unsupported(e, "reloads are not propagated; use part-of: (stop and restart propagate) or reload both units");
            case "OnSuccess" -> acc.unsupported(e, "svcmgr has on-failure only; run the follow-up from exec-start-post or a path unit");
            case "StopWhenUnneeded", "RefuseManualStart", "RefuseManualStop", "CollectMode", "JoinsNamespaceOf",
                    "FailureAction", "SuccessAction", "JobTimeoutSec", "JobRunningTimeoutSec", "JobTimeoutAction",
                    "StartLimitAction", "RebootArgument", "SourcePath", "Upholds", "PropagatesStopTo", "StopPropagatedFrom",
                    "OnFailureJobMode", "SurviveFinalKillSignal" ->
                    acc.unsupported(e, "svcmgr has no such setting (see docs/migrating-from-systemd.md)");
            default -> {
                if (k.startsWith("Condition") || k.startsWith("Assert")) condition(acc, e);
                else acc.unsupported(e, "unknown [Unit] setting");
            }
        }
    }

    /** {@code ConditionPathExists=[!]P}, {@code ConditionFileNotEmpty=P}, {@code ConditionEnvironment=NAME}; Assert* as conditions. */
    private static void condition(Acc acc, IniFile.Entry e) {
        boolean assertion = e.key().startsWith("Assert");
        String what = e.key().substring(assertion ? "Assert".length() : "Condition".length());
        String v = e.value();
        if (v.isEmpty()) { // systemd: an empty condition resets every condition
            acc.reset("conditions");
            return;
        }
        String key = CONDITIONS.get(what);
        if (key == null) {
            acc.unsupported(e, "svcmgr's conditions are path-exists, path-exists-not, file-not-empty and env;"
                    + " check it in an exec-start-pre command instead");
            return;
        }
        if (v.startsWith("|")) {
            acc.unsupported(e, "triggering ('|') conditions: svcmgr's conditions must all hold; check it in an exec-start-pre command");
            return;
        }
        boolean negated = v.startsWith("!");
        String arg = negated ? v.substring(1) : v;
        if (key.equals("env")) {
            if (negated || arg.contains("=")) {
                acc.unsupported(e, "svcmgr's env condition checks that a variable is set and not empty; check a value in exec-start-pre");
                return;
            }
        } else if (negated) {
            if (!key.equals("path-exists")) {
                acc.unsupported(e, "negated " + what + ": svcmgr has path-exists-not only; check it in an exec-start-pre command");
                return;
            }
            key = "path-exists-not";
        }
        acc.add("conditions." + key, arg);
        if (assertion)
            acc.note(e, "mapped to conditions." + key + ": svcmgr has no assertions, so the unit is skipped (not failed) when it does not hold");
    }

    private static void installKey(Acc acc, IniFile.Entry e) {
        String v = e.value();
        String path = switch (e.key()) {
            case "WantedBy" -> "install.wanted-by";
            case "RequiredBy" -> "install.required-by";
            case "Alias" -> "aliases";
            default -> null;
        };
        if (path != null) {
            if (v.isEmpty()) acc.reset(path);
            else for (String u : Words.split(v)) acc.add(path, u);
            return;
        }
        switch (e.key()) {
            case "Also" -> acc.unsupported(e, "import " + v + " as well (svcmgr's install edges are in force without enable)");
            case "DefaultInstance" -> acc.unsupported(e, "name the instance where the template is wanted (wants: [name@" + v + ".service])");
            case "UpheldBy" -> acc.unsupported(e, "svcmgr has no Upholds; the units's restart policy keeps it up");
            default -> acc.unsupported(e, "unknown [Install] setting");
        }
    }

    static Boolean bool(IniFile.Entry e) {
        Boolean b = SystemdValues.bool(e.value());
        if (b == null) throw new IllegalArgumentException("expected a boolean (yes/no), got '" + IniFile.shown(e.value()) + "'");
        return b;
    }

    /** A {@code requires}-like entry is ordered in svcmgr; systemd orders only with {@code After=}, so other entries say ordered: false. */
    @SuppressWarnings("unchecked")
    private static void resolveDeps(Acc acc) {
        Object after = acc.get("after");
        Set<Object> ordered = after instanceof List<?> l ? Set.copyOf(l) : Set.of();
        for (String k : ORDERING_IMPLIED) {
            if (!(acc.get(k) instanceof List<?> l)) continue;
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                String u = ((DepRef) o).unit();
                if (ordered.contains(u)) {
                    out.add(u);
                } else {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("unit", u);
                    m.put("ordered", false);
                    out.add(m);
                }
            }
            ((List<Object>) l).clear();
            ((List<Object>) l).addAll(out);
        }
    }

    private static Result assemble(Acc acc, boolean dropIn) {
        Map<String, Object> resets = new LinkedHashMap<>();
        if (dropIn) {
            for (String p : acc.resets) {
                boolean map = p.equals("environment") || p.equals("conditions");
                Object empty = map ? null : new ArrayList<>();
                if (acc.get(p) != null) put(resets, p, empty);
                else acc.set(p, empty);
            }
        }
        List<Warning> ws = new ArrayList<>(new java.util.LinkedHashSet<>(acc.warnings));
        ws.sort(java.util.Comparator.comparingInt(Warning::line));
        return new Result(ordered(acc.top), ordered(resets), List.copyOf(ws));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> m, String path, Object v) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            m.put(path, v);
            return;
        }
        ((Map<String, Object>) m.computeIfAbsent(path.substring(0, dot), x -> new LinkedHashMap<String, Object>())).put(path.substring(dot + 1), v);
    }

    private static Map<String, Object> ordered(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : ORDER) if (m.containsKey(k)) out.put(k, m.get(k));
        for (var e : m.entrySet()) out.putIfAbsent(e.getKey(), e.getValue());
        return out;
    }
}
