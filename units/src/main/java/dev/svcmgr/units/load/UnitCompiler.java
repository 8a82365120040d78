package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.ValueReader.all;
import static dev.svcmgr.units.load.ValueReader.last;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.EnvFile;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.Limits;
import dev.svcmgr.units.LogConfig;
import dev.svcmgr.units.Origin;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.CalendarEvent;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceDirectories;
import dev.svcmgr.units.TimerConfig;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.StartLimit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitType;
import dev.svcmgr.units.Values;
import dev.svcmgr.units.load.Schema.Tree;
import dev.svcmgr.units.load.Schema.Val;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Turns a merged {@link Tree} into typed settings: the unit's description, relations, provides, aliases,
 * conditions and install section, and for services the {@link ServiceConfig} (type, commands, restart,
 * readiness, environment, credentials, limits, sandbox, log). It owns the checks that span keys (a
 * missing exec, watchdog without notify, exactly one readiness, names that must be unit names) and
 * applies the defaults; each single value is read by a {@link ValueReader}, which reads every scalar by
 * the schema (never by YAML's type guessing) and reports each bad value with its position, key and what
 * was expected.
 */
final class UnitCompiler {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern WORD_NAME = Pattern.compile("[A-Za-z0-9:_.@-]{1,255}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})");

    /** The settings of one unit, before names are resolved against the other units. */
    // the defaults, one object each for every unit that leaves them (five Durations a unit otherwise)
    private static final Duration DEFAULT_TIMEOUT_START = Duration.ofSeconds(90);
    private static final Duration DEFAULT_TIMEOUT_STOP = Duration.ofSeconds(10);
    private static final Duration DEFAULT_RESTART_DELAY = Duration.ofMillis(100);
    private static final Duration DEFAULT_RESTART_MAX = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RESTART_RESET = Duration.ofSeconds(60);

    static final class Compiled {
        String description = "";
        List<String> documentation = List.of();
        List<Dependency> dependencies = List.of();
        List<String> provides = List.of();
        List<Origin> providesOrigins = List.of();
        List<String> aliases = List.of();
        List<Origin> aliasOrigins = List.of();
        Conditions conditions = Conditions.NONE;
        boolean ignoreOnIsolate;
        boolean allowIsolate;
        List<String> wantedBy = List.of();
        List<String> requiredBy = List.of();
        List<Origin> installOrigins = List.of();
        ServiceConfig service;
        TimerConfig timer;
        dev.svcmgr.units.PathConfig paths;
        dev.svcmgr.units.SocketConfig socket;
    }

    private final String name;
    private final UnitType type;
    private final Report report;
    private final String mainFile;
    private final ValueReader read;

    private UnitCompiler(String name, UnitType type, String instance, Report report, String mainFile) {
        this.mainFile = mainFile;
        this.name = name;
        this.type = type;
        this.report = report;
        this.read = new ValueReader(report, name, instance);
    }

    /**
     * Compiles a merged tree.
     *
     * @param instance the instance string when compiling a template instance (enables %i, %n, %N, %%), else null
     */
    static Compiled compile(String name, UnitType type, String instance, Tree tree, Report report, String mainFile) {
        return new UnitCompiler(name, type, instance, report, mainFile).run(tree);
    }

    private Compiled run(Tree t) {
        Compiled c = new Compiled();
        c.description = read.str(t, "description", "", true);
        c.documentation = read.strings(t, "documentation", "documentation", s -> s.isEmpty() ? "expected a non-empty string" : null);
        List<Dependency> deps = new ArrayList<>();
        for (DepKind k : DepKind.values()) deps.addAll(dependencies(t, k));
        c.dependencies = List.copyOf(deps);
        List<String> provides = new ArrayList<>();
        List<Origin> providesOrigins = new ArrayList<>();
        for (Val v : t.lists.getOrDefault("provides", List.of())) {
            String p = read.scalarText(v, "provides", "a name");
            if (p == null) continue;
            if (!WORD_NAME.matcher(p).matches() || p.startsWith(".")) {
                report.error(v.file(), v.node(), "provides", "provides: expected a name of the characters [A-Za-z0-9:_.@-], got '"
                        + Schema.abbreviate(p) + "'");
                continue;
            }
            provides.add(p);
            providesOrigins.add(origin(v, "provides"));
        }
        c.provides = List.copyOf(provides);
        c.providesOrigins = List.copyOf(providesOrigins);
        List<String> aliases = new ArrayList<>();
        List<Origin> aliasOrigins = new ArrayList<>();
        for (Val v : t.lists.getOrDefault("aliases", List.of())) {
            String a = read.scalarText(v, "aliases", "a unit name");
            if (a == null) continue;
            String why = UnitNames.problem(a);
            if (why == null && UnitType.ofName(a) != type) why = "an alias must have the same type as the unit (." + type.suffix() + ")";
            if (why == null && (UnitNames.isTemplate(a) || a.equals(name))) why = "expected another name for this unit";
            if (why != null) {
                report.error(v.file(), v.node(), "aliases", "aliases: " + why + ", got '" + Schema.abbreviate(a) + "'");
                continue;
            }
            aliases.add(a);
            aliasOrigins.add(origin(v, "aliases"));
        }
        c.aliases = List.copyOf(aliases);
        c.aliasOrigins = List.copyOf(aliasOrigins);
        Tree cond = t.maps.get("conditions");
        if (cond != null) {
            Function<String, String> abs = s -> s.startsWith("/") ? null : "expected an absolute path";
            c.conditions = new Conditions(
                    read.strings(cond, "path-exists", "conditions.path-exists", abs),
                    read.strings(cond, "path-exists-not", "conditions.path-exists-not", abs),
                    read.strings(cond, "file-not-empty", "conditions.file-not-empty", abs),
                    read.strings(cond, "env", "conditions.env", s -> ENV_NAME.matcher(s).matches() ? null : "expected an environment variable name"));
        }
        c.ignoreOnIsolate = read.bool(t, "ignore-on-isolate", false);
        Tree install = t.maps.get("install");
        if (install != null) {
            List<String> wb = new ArrayList<>();
            List<String> rb = new ArrayList<>();
            List<Origin> origins = new ArrayList<>();
            for (String k : List.of("wanted-by", "required-by")) {
                for (Val v : install.lists.getOrDefault(k, List.of())) {
                    String n = read.scalarText(v, "install." + k, "a unit name");
                    if (n == null) continue;
                    String why = UnitNames.problem(n);
                    if (why == null && UnitNames.isTemplate(n)) why = "unit name '" + n + "' is a template; name an instance";
                    if (why != null) {
                        report.error(v.file(), v.node(), "install." + k, "install." + k + ": " + why);
                        continue;
                    }
                    (k.equals("wanted-by") ? wb : rb).add(n);
                    origins.add(origin(v, "install." + k));
                }
            }
            // installOrigins is parallel to wantedBy then requiredBy
            List<Origin> ordered = new ArrayList<>(origins.stream().filter(o -> o.key().equals("install.wanted-by")).toList());
            ordered.addAll(origins.stream().filter(o -> o.key().equals("install.required-by")).toList());
            c.wantedBy = List.copyOf(wb);
            c.requiredBy = List.copyOf(rb);
            c.installOrigins = List.copyOf(ordered);
        }
        switch (type) {
            case TARGET -> c.allowIsolate = read.bool(t, "allow-isolate", false);
            case SERVICE -> c.service = service(t);
            case TIMER -> c.timer = timer(t);
            case PATH -> c.paths = paths(t);
            case SOCKET -> c.socket = socket(t);
        }
        return c;
    }

    // ---- sockets --------------------------------------------------------------------------


    private dev.svcmgr.units.SocketConfig socket(Tree t) {
        List<dev.svcmgr.units.SocketConfig.Listen> listen = new ArrayList<>();
        String expect = "{tcp|unix|udp|fifo: ADDRESS, name: NAME}";
        for (Val v : t.lists.getOrDefault("listen", List.of())) {
            if (!(v.node() instanceof MappingNode m)) {
                report.error(v.file(), v.node(), "listen", "listen: expected an entry like " + expect + ", got " + Schema.kindOf(v.node()));
                continue;
            }
            dev.svcmgr.units.SocketConfig.Kind kind = null;
            String value = null, entryName = null;
            Node at = v.node();
            boolean bad = false;
            for (NodeTuple nt : m.getValue()) {
                String k = nt.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "";
                if (!(nt.getValueNode() instanceof ScalarNode vs)) {
                    report.error(v.file(), nt.getValueNode(), "listen", "listen." + k + ": expected a string, got " + Schema.kindOf(nt.getValueNode()));
                    bad = true;
                    continue;
                }
                if (k.equals("name")) {
                    entryName = vs.getValue();
                    if (!WORD_NAME.matcher(entryName).matches()) {
                        report.error(v.file(), vs, "listen", "listen.name: expected a name of the characters [A-Za-z0-9:_.@-], got '"
                                + Schema.abbreviate(entryName) + "'");
                        bad = true;
                    }
                    continue;
                }
                dev.svcmgr.units.SocketConfig.Kind kk = null;
                for (var x : dev.svcmgr.units.SocketConfig.Kind.values()) if (x.word().equals(k)) kk = x;
                if (kk == null || kind != null) {
                    report.error(v.file(), nt.getKeyNode(), "listen", kk == null
                            ? "listen: unknown key '" + Schema.abbreviate(k) + "' (expected one of tcp, unix, udp, fifo, and name)"
                            : "listen: an entry has one of tcp, unix, udp, fifo, not two");
                    bad = true;
                    continue;
                }
                kind = kk;
                value = vs.getValue();
                at = vs;
            }
            if (bad) continue;
            if (kind == null) {
                report.error(v.file(), v.node(), "listen", "listen: an entry needs one of tcp, unix, udp, fifo");
                continue;
            }
            String nm = entryName == null ? name : entryName;
            if (kind == dev.svcmgr.units.SocketConfig.Kind.UNIX || kind == dev.svcmgr.units.SocketConfig.Kind.FIFO) {
                if (!value.startsWith("/") || value.length() > 107) {
                    report.error(v.file(), at, "listen", "listen." + kind.word() + ": expected an absolute path of at most 107 bytes, got '"
                            + Schema.abbreviate(value) + "'");
                    continue;
                }
                listen.add(new dev.svcmgr.units.SocketConfig.Listen(kind, null, 0, value, nm));
                continue;
            }
            dev.svcmgr.units.Values.HostPort address = dev.svcmgr.units.Values.parseHostPort(value);
            if (address == null) {
                report.error(v.file(), at, "listen", "listen." + kind.word() + ": expected an address like \"127.0.0.1:8080\", \"[::1]:8080\""
                        + " or \":8080\" (every address; port 0 picks a free one), got '" + Schema.abbreviate(value) + "'");
                continue;
            }
            listen.add(new dev.svcmgr.units.SocketConfig.Listen(kind, address.host(), address.port(), null, nm));
        }
        if (listen.isEmpty() && !hasProblemAt("listen")) {
            report.error(mainFile, null, "listen", "socket unit listens on nothing (expected listen: [{tcp: \"127.0.0.1:8080\"}] or"
                    + " unix, udp, fifo entries)");
        }
        Integer mode = read.scalar(t, "socket-mode", 0666, s -> {
            if (!s.matches("0?[0-7]{3,4}")) throw new IllegalArgumentException();
            return Integer.parseInt(s, 8);
        }, "an octal mode like \"0660\"");
        String user = read.scalar(t, "socket-user", null, s -> {
            if (!USER.matcher(s).matches()) throw new IllegalArgumentException();
            return s;
        }, "a user name or number");
        String group = read.scalar(t, "socket-group", null, s -> {
            if (!USER.matcher(s).matches()) throw new IllegalArgumentException();
            return s;
        }, "a group name or number");
        Integer backlog = read.scalar(t, "backlog", dev.svcmgr.units.SocketConfig.DEFAULT_BACKLOG, s -> intIn(s, 1, 65535),
                "a whole number of pending connections (1 to 65535)");
        String service = read.scalar(t, "service", UnitNames.stem(name) + ".service", s -> {
            if (UnitNames.problem(s) != null || UnitType.ofName(s) != UnitType.SERVICE || UnitNames.isTemplate(s)) {
                throw new IllegalArgumentException();
            }
            return s;
        }, "a service name like app.service (not a template)");
        return new dev.svcmgr.units.SocketConfig(listen, mode, user, group, backlog, service);
    }

    // ---- paths ----------------------------------------------------------------------------

    private dev.svcmgr.units.PathConfig paths(Tree t) {
        Function<String, String> abs = s -> s.startsWith("/") ? null : "expected an absolute path";
        List<String> exists = read.strings(t, "path-exists", "path-exists", abs);
        List<String> changed = read.strings(t, "path-changed", "path-changed", abs);
        List<String> modified = read.strings(t, "path-modified", "path-modified", abs);
        List<String> notEmpty = read.strings(t, "directory-not-empty", "directory-not-empty", abs);
        String service = read.scalar(t, "service", UnitNames.stem(name) + ".service", s -> {
            if (UnitNames.problem(s) != null || UnitType.ofName(s) == null || UnitType.ofName(s) == UnitType.PATH
                    || UnitNames.isTemplate(s)) throw new IllegalArgumentException();
            return s;
        }, "a unit name like app.service (not a path unit, not a template)");
        dev.svcmgr.units.PathConfig.Action action = read.scalar(t, "action", dev.svcmgr.units.PathConfig.Action.START, s -> {
            for (var a : dev.svcmgr.units.PathConfig.Action.values()) if (a.word().equals(s)) return a;
            throw new IllegalArgumentException();
        }, "one of start, restart, reload");
        boolean none = exists.isEmpty() && changed.isEmpty() && modified.isEmpty() && notEmpty.isEmpty();
        if (none && !hasProblemAt("path-exists") && !hasProblemAt("path-changed") && !hasProblemAt("path-modified")
                && !hasProblemAt("directory-not-empty")) {
            report.error(mainFile, null, "path-changed", "path unit watches nothing (expected path-exists, path-changed,"
                    + " path-modified or directory-not-empty)");
        }
        return new dev.svcmgr.units.PathConfig(exists, changed, modified, notEmpty, service, action);
    }

    // ---- timers ---------------------------------------------------------------------------

    private static final String CALENDAR = "a calendar event like \"Mon..Fri *-*-* 03:00:00\" or \"hourly\"";

    private TimerConfig timer(Tree t) {
        List<CalendarEvent> calendar = new ArrayList<>();
        for (Val v : t.lists.getOrDefault("on-calendar", List.of())) {
            String s = read.scalarText(v, "on-calendar", CALENDAR);
            if (s == null) continue;
            try {
                calendar.add(CalendarEvent.parse(s));
            } catch (CalendarEvent.ParseException e) {
                // at the character of the expression, not the start of the value (a quoted one starts after its quote)
                Node n = v.node();
                boolean quoted = n instanceof ScalarNode sn && sn.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
                int column = col(n) + (quoted ? 1 : 0) + Math.max(0, e.column() - 1);
                report.add(dev.svcmgr.units.Severity.ERROR, v.file(), line(n), column, "on-calendar",
                        "on-calendar: " + e.getMessage() + " in '" + Schema.abbreviate(s) + "'");
            }
        }
        Duration onBoot = read.duration(t, "on-boot", null);
        Duration onActive = read.duration(t, "on-active", null);
        Duration onUnitActive = read.duration(t, "on-unit-active", null);
        Duration onUnitInactive = read.duration(t, "on-unit-inactive", null);
        boolean persistent = read.bool(t, "persistent", false);
        Duration delay = read.duration(t, "randomized-delay", Duration.ZERO);
        Duration accuracy = read.duration(t, "accuracy", TimerConfig.DEFAULT_ACCURACY);
        String service = read.scalar(t, "service", UnitNames.stem(name) + ".service", s -> {
            if (UnitNames.problem(s) != null || UnitType.ofName(s) == null || UnitType.ofName(s) == UnitType.TIMER
                    || UnitNames.isTemplate(s)) throw new IllegalArgumentException();
            return s;
        }, "a unit name like backup.service (not a timer, not a template)");
        if (calendar.isEmpty() && onBoot == null && onActive == null && onUnitActive == null && onUnitInactive == null
                && !hasProblemAt("on-calendar")) {
            report.error(mainFile, null, "on-calendar", "timer has no trigger (expected on-calendar, on-boot, on-active,"
                    + " on-unit-active or on-unit-inactive)");
        }
        for (Duration d : new Duration[] {onBoot, onActive, onUnitActive, onUnitInactive}) {
            if (d != null && Durations.isInfinite(d)) {
                report.error(mainFile, null, "on-boot", "timer: a trigger of infinity never elapses (expected a finite duration)");
                break;
            }
        }
        return new TimerConfig(calendar, onBoot, onActive, onUnitActive, onUnitInactive, persistent, delay, accuracy, service);
    }

    // ---- services -------------------------------------------------------------------------

    private ServiceConfig service(Tree t) {
        ServiceType st = ServiceType.SIMPLE;
        Val tv = last(t, "type");
        for (Val v : all(t, "type")) {
            String s = read.scalarText(v, "type", "one of simple, exec, notify, oneshot, forking");
            if (s == null) continue;
            ServiceType parsed = null;
            for (ServiceType x : ServiceType.values()) if (x.word().equals(s)) parsed = x;
            if (parsed == null) read.bad(v, "type", "one of simple, exec, notify, oneshot, forking", s);
            else if (v == tv) st = parsed;
        }
        List<String> exec = read.command(t, "exec");
        if (exec == null || exec.isEmpty()) {
            if (exec == null && !hasProblemAt("exec")) report.error(mainFile, null, "exec",
                    "service has no 'exec' (expected the command that runs the service, e.g. exec: [\"/usr/bin/foo\", \"--bar\"])");
            exec = List.of();
        }
        List<ExecCommand> pre = read.execCommands(t, "exec-start-pre");
        List<ExecCommand> post = read.execCommands(t, "exec-start-post");
        ExecCommand reload = read.execCommand(t, "exec-reload");
        List<ExecCommand> stop = read.execCommands(t, "exec-stop");
        int stopSignal = read.scalar(t, "stop-signal", ServiceConfig.SIGTERM, Values::parseSignal, "a signal name like SIGTERM or a number from 1 to 64");
        Duration timeoutStart = read.duration(t, "timeout-start", DEFAULT_TIMEOUT_START);
        Duration timeoutStop = read.duration(t, "timeout-stop", DEFAULT_TIMEOUT_STOP);
        RestartPolicy restart = read.scalar(t, "restart", st == ServiceType.ONESHOT ? RestartPolicy.NO : RestartPolicy.ON_FAILURE, s -> {
            RestartPolicy p = RestartPolicy.ofWord(s);
            if (p == null) throw new IllegalArgumentException();
            return p;
        }, "one of no, on-failure, on-abnormal, always");
        Duration restartDelay = read.duration(t, "restart-delay", DEFAULT_RESTART_DELAY);
        Duration restartMax = read.duration(t, "restart-max-delay", DEFAULT_RESTART_MAX);
        Duration restartReset = read.duration(t, "restart-reset-after", DEFAULT_RESTART_RESET);
        if (restartMax.compareTo(restartDelay) < 0 && last(t, "restart-max-delay") != null)
            report.warning(fileOf(t), last(t, "restart-max-delay").node(), "restart-max-delay",
                    "restart-max-delay (" + Durations.format(restartMax) + ") is shorter than restart-delay (" + Durations.format(restartDelay)
                            + "); restart-delay is used");
        StartLimit startLimit = StartLimit.DEFAULT;
        Tree sl = t.maps.get("start-limit");
        if (sl != null) {
            int burst = read.scalar(sl, "burst", StartLimit.DEFAULT.burst(), s -> intIn(s, 1, 1_000_000), "a whole number from 1 to 1000000", "start-limit.burst");
            Duration interval = read.scalar(sl, "interval", StartLimit.DEFAULT.interval(), Values::parseDuration, "a duration like 10s", "start-limit.interval");
            startLimit = new StartLimit(burst, interval);
        }
        boolean remain = read.bool(t, "remain-after-exit", false);
        Set<Integer> success = new TreeSet<>();
        success.add(0);
        for (Val v : t.lists.getOrDefault("success-exit-status", List.of())) {
            String s = read.scalarText(v, "success-exit-status", "an exit status from 0 to 255");
            if (s == null) continue;
            try {
                success.add(intIn(s, 0, 255));
            } catch (IllegalArgumentException e) {
                read.bad(v, "success-exit-status", "an exit status from 0 to 255", s);
            }
        }
        String pidFile = read.path(t, "pid-file", null);
        if (pidFile != null && st != ServiceType.FORKING)
            report.warning(fileOf(t), last(t, "pid-file").keyNode(), "pid-file", "pid-file is only used by type: forking services; ignored");
        Readiness ready = readiness(t, st);
        Duration watchdog = null;
        if (last(t, "watchdog") != null) {
            watchdog = read.duration(t, "watchdog", null);
            if (watchdog != null && ready.kind() != Readiness.Kind.NOTIFY)
                report.error(fileOf(t), last(t, "watchdog").keyNode(), "watchdog",
                        "watchdog: needs the notify protocol (expected type: notify or ready: {notify: true} with it)");
        }
        Map<String, String> env = new TreeMap<>();
        Tree envTree = t.maps.get("environment");
        if (envTree != null) {
            for (var e : envTree.scalars.entrySet()) {
                Val v = e.getValue().get(e.getValue().size() - 1);
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    report.error(v.file(), v.keyNode(), "environment", "environment: expected a variable name like MY_VAR, got '"
                            + Schema.abbreviate(e.getKey()) + "'");
                    continue;
                }
                String val = read.scalarText(v, "environment." + Schema.abbreviate(e.getKey()), "a string");
                if (val != null) env.put(e.getKey(), val);
            }
        }
        List<EnvFile> envFiles = new ArrayList<>();
        for (Val v : t.lists.getOrDefault("environment-file", List.of())) {
            String s = read.scalarText(v, "environment-file", "an absolute path");
            if (s == null) continue;
            boolean optional = s.startsWith("-");
            String p = optional ? s.substring(1) : s;
            if (!p.startsWith("/")) {
                read.bad(v, "environment-file", "an absolute path (optional with a leading '-')", s);
                continue;
            }
            envFiles.add(new EnvFile(p, optional));
        }
        String wd = read.path(t, "working-directory", "/");
        String user = read.scalar(t, "user", null, UnitCompiler::userName, "a user name or number");
        String group = read.scalar(t, "group", null, UnitCompiler::userName, "a group name or number");
        List<String> groups = read.strings(t, "supplementary-groups", "supplementary-groups",
                s -> USER.matcher(s).matches() ? null : "expected a group name or number");
        Integer umask = read.scalar(t, "umask", null, s -> {
            if (!s.matches("[0-7]{1,4}")) throw new IllegalArgumentException();
            int v = Integer.parseInt(s, 8);
            if (v > 0777) throw new IllegalArgumentException();
            return v;
        }, "an octal mode from 0000 to 0777 like \"0027\"");
        Limits limits = Limits.NONE;
        Tree lt = t.maps.get("limits");
        if (lt != null) {
            Long mem = read.scalar(lt, "memory", null, Values::parseSize, "a size like 512M", "limits.memory");
            Integer cpu = read.scalar(lt, "cpu", null, s -> {
                int p = Values.parsePercent(s);
                if (p < 1 || p > 100_000) throw new IllegalArgumentException();
                return p;
            }, "a percentage like 50% (1% or more)", "limits.cpu");
            Long pids = read.scalar(lt, "pids", null, s -> (long) intIn(s, 1, Integer.MAX_VALUE), "a whole number (1 or more)", "limits.pids");
            Long nofile = read.scalar(lt, "nofile", null, s -> (long) intIn(s, 1, Integer.MAX_VALUE), "a whole number (1 or more)", "limits.nofile");
            Long core = read.scalar(lt, "core", null, Values::parseSize, "a size like 0 or 1G", "limits.core");
            limits = new Limits(mem, cpu, pids, nofile, core);
        }
        Sandbox sandbox = Sandbox.NONE;
        Tree sb = t.maps.get("sandbox");
        if (sb != null) {
            sandbox = new Sandbox(read.bool(sb, "required", false, "sandbox.required"), read.bool(sb, "no-new-privileges", false, "sandbox.no-new-privileges"),
                    read.bool(sb, "private-tmp", false, "sandbox.private-tmp"), read.bool(sb, "private-network", false, "sandbox.private-network"),
                    read.scalar(sb, "root-directory", null, ValueReader::absolute, "an absolute path", "sandbox.root-directory"),
                    read.strings(sb, "read-only-paths", "sandbox.read-only-paths", s -> s.startsWith("/") ? null : "expected an absolute path"));
        }
        LogConfig log = LogConfig.DEFAULT;
        Tree lg = t.maps.get("log");
        if (lg != null) {
            long max = read.scalar(lg, "max-size", LogConfig.DEFAULT.maxSize(), s -> {
                long v = Values.parseSize(s);
                if (v < 1) throw new IllegalArgumentException();
                return v;
            }, "a size like 10M (more than 0)", "log.max-size");
            int keep = read.scalar(lg, "keep", LogConfig.DEFAULT.keep(), s -> intIn(s, 0, 1000), "a whole number from 0 to 1000", "log.keep");
            log = new LogConfig(max, keep);
        }
        ServiceDirectories dirs = directories(t);
        return new ServiceConfig(st, List.copyOf(exec), pre, post, reload, stop, stopSignal,
                timeoutStart, timeoutStop, restart, restartDelay, restartMax, restartReset, startLimit, remain,
                Collections.unmodifiableSet(success), pidFile, ready, watchdog, Collections.unmodifiableMap(env), List.copyOf(envFiles),
                wd, user, group, groups, umask, limits, sandbox, log, dirs);
    }

    /** runtime-, state-, logs- and cache-directory (names checked by systemd's rule) and directory-mode. */
    private ServiceDirectories directories(Tree t) {
        List<List<String>> names = new ArrayList<>();
        for (String k : List.of("runtime-directory", "state-directory", "logs-directory", "cache-directory"))
            names.add(read.strings(t, k, k, ServiceDirectories::problem));
        int mode = read.scalar(t, "directory-mode", ServiceDirectories.DEFAULT_MODE, s -> {
            if (!s.matches("[0-7]{1,4}")) throw new IllegalArgumentException();
            return Integer.parseInt(s, 8);
        }, "an octal mode from 0000 to 7777 like \"0755\"");
        return new ServiceDirectories(names.get(0), names.get(1), names.get(2), names.get(3), mode);
    }

    private Readiness readiness(Tree t, ServiceType st) {
        Readiness dflt = st == ServiceType.NOTIFY ? Readiness.notifyReady() : Readiness.STARTED;
        Tree r = t.maps.get("ready");
        if (r == null) return dflt;
        List<Readiness> kinds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (read.bool(r, "notify", false, "ready.notify")) { kinds.add(Readiness.notifyReady()); names.add("notify"); }
        Integer fd = read.scalar(r, "fd", null, s -> intIn(s, 3, 1023), "a file descriptor number from 3 to 1023", "ready.fd");
        if (fd != null) { kinds.add(Readiness.fd(fd)); names.add("fd"); }
        Readiness tcp = read.scalar(r, "tcp", null, s -> {
            var m = HOST_PORT.matcher(s);
            if (!m.matches()) throw new IllegalArgumentException();
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) throw new IllegalArgumentException();
            String host = m.group(1);
            if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
            return Readiness.tcp(host, port);
        }, "host:port like 127.0.0.1:6379", "ready.tcp");
        if (tcp != null) { kinds.add(tcp); names.add("tcp"); }
        String http = read.scalar(r, "http", null, s -> {
            if (!(s.startsWith("http://") || s.startsWith("https://")) || s.length() < 10 || s.contains(" ")) throw new IllegalArgumentException();
            return s;
        }, "an http:// URL like http://127.0.0.1:8080/healthz", "ready.http");
        if (http != null) { kinds.add(Readiness.http(http)); names.add("http"); }
        List<String> exec = read.commandIn(r, "exec", "ready.exec");
        if (exec != null && !exec.isEmpty()) { kinds.add(Readiness.exec(exec)); names.add("exec"); }
        String path = read.scalar(r, "path", null, ValueReader::absolute, "an absolute path", "ready.path");
        if (path != null) { kinds.add(Readiness.path(path)); names.add("path"); }
        Val at = t.mapKeys.get("ready");
        if (kinds.size() > 1) {
            report.error(at.file(), at.keyNode(), "ready", "ready: expected exactly one of notify, fd, tcp, http, exec, path; got "
                    + String.join(" and ", names));
            return dflt;
        }
        if (kinds.isEmpty()) return dflt;
        Readiness chosen = kinds.get(0);
        if (st == ServiceType.NOTIFY && chosen.kind() != Readiness.Kind.NOTIFY) {
            report.error(at.file(), at.keyNode(), "ready", "ready: type: notify services are ready by the notify protocol; expected ready: {notify: true} or another type, got "
                    + names.get(0));
            return dflt;
        }
        if (st == ServiceType.ONESHOT || st == ServiceType.FORKING)
            report.warning(at.file(), at.keyNode(), "ready", "ready: " + names.get(0) + " readiness also applies to a " + st.word()
                    + " service once it has " + (st == ServiceType.ONESHOT ? "exited" : "forked"));
        return chosen;
    }

    // ---- relations --------------------------------------------------------------------------

    private List<Dependency> dependencies(Tree t, DepKind kind) {
        List<Dependency> out = new ArrayList<>();
        String key = kind.key();
        for (Val v : t.lists.getOrDefault(key, List.of())) {
            Node n = v.node();
            String target;
            boolean ordered = true;
            Node at = n;
            if (n instanceof ScalarNode) {
                target = read.scalarText(v, key, "a unit name");
                if (target == null) continue;
            } else if (n instanceof MappingNode m) {
                target = null;
                boolean ok = true;
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (NodeTuple tu : m.getValue()) {
                    String k = tu.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : null;
                    if (k != null && !seen.add(k)) {
                        report.error(v.file(), tu.getKeyNode(), key, "duplicate key '" + Schema.abbreviate(k) + "' in a " + key + " entry");
                        ok = false;
                    } else if ("unit".equals(k)) {
                        target = read.scalarText(new Val(tu.getValueNode(), v.file(), tu.getKeyNode()), key + ".unit", "a unit name");
                        if (target == null) ok = false;
                        at = tu.getValueNode();
                    } else if ("ordered".equals(k)) {
                        String b = read.scalarText(new Val(tu.getValueNode(), v.file(), tu.getKeyNode()), key + ".ordered", "true or false");
                        if ("true".equals(b)) ordered = true;
                        else if ("false".equals(b)) ordered = false;
                        else {
                            if (b != null) read.bad(new Val(tu.getValueNode(), v.file(), tu.getKeyNode()), key + ".ordered", "true or false", b);
                            ok = false;
                        }
                    } else {
                        String s = k == null ? null : Schema.suggest(k, List.of("unit", "ordered"));
                        report.error(v.file(), tu.getKeyNode(), key, "unknown key '" + (k == null ? "?" : Schema.abbreviate(k)) + "' in a " + key
                                + " entry (expected unit and ordered" + (s == null ? "" : "; did you mean '" + s + "'?") + ")");
                        ok = false;
                    }
                }
                if (target == null && ok) {
                    report.error(v.file(), n, key, key + ": an entry written as a mapping needs 'unit: <name>'");
                    continue;
                }
                if (!ok) continue;
            } else {
                report.error(v.file(), n, key, key + ": expected a unit name or {unit: name, ordered: false}, got a list");
                continue;
            }
            String why = relationNameProblem(target);
            if (why != null) {
                report.error(v.file(), at, key, key + ": " + why);
                continue;
            }
            if (target.equals(name) && !ordersOnItself(kind, ordered)) {
                // no ordering meaning (part-of, conflicts, on-failure, an unordered requirement): nothing to do
                report.warning(v.file(), at, key, key + ": '" + target + "' is this unit itself; ignored");
                continue;
            }
            // A relation to itself that orders (after, before, or an ordered requirement) is kept: it is the
            // smallest ordering cycle, reported by verify and refused by plans like any other cycle.
            out.add(new Dependency(kind, target, ordered, Origin.at(v.file(), line(at), col(at), key)));
        }
        return out;
    }

    /**
     * True when a relation of this kind on the unit itself orders the unit after itself: {@code after},
     * {@code before}, and {@code requires}/{@code wants}/{@code requisite}/{@code binds-to} unless
     * {@code ordered: false} (the graph module derives the implied ordering).
     */
    static boolean ordersOnItself(DepKind kind, boolean ordered) {
        return switch (kind) {
            case AFTER, BEFORE -> true;
            case REQUIRES, WANTS, REQUISITE, BINDS_TO -> ordered;
            case PART_OF, CONFLICTS, ON_FAILURE -> false;
        };
    }

    /** Null when {@code n} may stand in a relation: a full unit name, or a bare word naming something {@code provides}. */
    static String relationNameProblem(String n) {
        if (UnitType.ofName(n) == null) {
            if (n.isEmpty()) return "empty unit name";
            if (!WORD_NAME.matcher(n).matches() || n.startsWith("."))
                return "expected a unit name like foo.service or a provided name, got '" + Schema.abbreviate(n) + "'";
            return null; // a virtual name (provides); resolved later
        }
        String why = UnitNames.problem(n);
        if (why != null) return why;
        if (UnitNames.isTemplate(n)) return "'" + n + "' is a template; name an instance such as " + UnitNames.stem(n) + "foo." + UnitType.ofName(n).suffix();
        return null;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String userName(String s) {
        if (!USER.matcher(s).matches()) throw new IllegalArgumentException();
        return s;
    }

    static int intIn(String s, int min, int max) {
        if (!s.matches("[0-9]{1,10}")) throw new IllegalArgumentException();
        long v = Long.parseLong(s);
        if (v < min || v > max) throw new IllegalArgumentException();
        return (int) v;
    }

    private boolean hasProblemAt(String key) {
        return report.problems().stream().anyMatch(p -> key.equals(p.key()));
    }

    private static String fileOf(Tree t) {
        for (List<Val> l : t.scalars.values()) if (!l.isEmpty()) return l.get(0).file();
        for (Val v : t.listKeys.values()) return v.file();
        for (Val v : t.mapKeys.values()) return v.file();
        return null;
    }

    private static Origin origin(Val v, String key) { return Origin.at(v.file(), line(v.node()), col(v.node()), key); }

    private static int line(Node n) { return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1; }

    private static int col(Node n) { return n.getStartMark() == null ? 0 : n.getStartMark().getColumn() + 1; }
}
