package dev.svcmgr.cli.commands;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.cli.client.CommonOptions;
import dev.svcmgr.cli.client.DirectCommand;
import dev.svcmgr.cli.client.Writers;
import java.io.PrintWriter;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.EnvFile;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitType;
import dev.svcmgr.units.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code svcmgr show UNIT...}: every property as {@code Key=value} lines (a blank line
 * between units); with {@code --json} an object with {@code unit, load, active, sub,
 * result, main-pid, since, description, fragment-path} and every other property under
 * its kebab-case name (an array when several units are named). With {@code --units} it
 * reads those directories offline (every unit {@code inactive}/{@code dead}); otherwise it
 * reads the running daemon's unit directories and takes the live state from the daemon,
 * and without a daemon it reads the default directories offline.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print every property of the unit as Key=value lines.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error", "4:no such unit"})
public final class ShowCommand implements Callable<Integer>, DirectCommand {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "UNIT", description = "Unit name (a bare name means a service).")
    List<String> names;

    @Option(names = "--units", paramLabel = "DIR", description = "Read these unit directories offline (repeatable) instead of asking the daemon.")
    List<Path> units;

    @Mixin
    CommonOptions common;

    @Option(names = {"-p", "--property"}, paramLabel = "NAME", split = ",",
            description = "Only these properties (e.g. -p MainPID,ActiveState; repeatable), in the order the unit has them."
                    + " With --json the JSON keys (main-pid) are accepted too.")
    List<String> only = new ArrayList<>();

    @Option(names = "--value", description = "Print only the values, one per line, without the Key= part (with --property, as systemctl show -p X --value).")
    boolean valueOnly;

    /** One property: its {@code show} key, its JSON key and its value (JSON-ready). */
    public record Property(String key, String jsonKey, Object value) {}

    private final Writers writers = new Writers();

    /** {@code show NAME...} with at most {@code --runtime-dir}, configured as picocli would (for the fast path). */
    public static ShowCommand of(List<String> names, Path runtimeDir) {
        ShowCommand c = new ShowCommand();
        c.names = new ArrayList<>(names);
        c.common = new CommonOptions();
        c.common.runtimeDir = runtimeDir;
        return c;
    }

    @Override
    public int callDirect(PrintWriter out, PrintWriter err) {
        writers.given(out, err);
        return call();
    }

    @Override
    public void colour(boolean on) {
        // nothing of show is coloured
    }

    @Override
    public Integer call() {
        CommandLine cmd = writers.given() ? null : spec.commandLine();
        PrintWriter out = writers.out(spec), err = writers.err(spec);
        boolean json = common.json;
        try {
            OfflineUnits.View view = OfflineUnits.view(units, common.runtimeDir(), names, cmd);
            List<List<Property>> all = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                Unit u = OfflineUnits.find(view.set(), n);
                UnitInfo live = view.live() == null ? null : view.live().get(i);
                if (u == null || (live != null && live.isNotFound())) {
                    err.println("svcmgr: " + OfflineUnits.noSuchUnit(n));
                    err.flush();
                    return OfflineUnits.NO_SUCH_UNIT;
                }
                if (live == null) {
                    all.add(properties(u, "inactive", "dead", null, null, null));
                } else {
                    List<Property> ps = properties(u, str(live.active(), "inactive"), str(live.sub(), "dead"), live.result(),
                            live.mainPid(), live.since());
                    if (live.load() != null) ps.set(1, new Property("LoadState", "load", live.load()));
                    all.add(ps);
                }
            }
            if (!only.isEmpty()) {
                java.util.Set<String> known = new java.util.HashSet<>();
                for (Property p : all.get(0)) {
                    known.add(p.key());
                    known.add(p.jsonKey());
                }
                for (String o : only) {
                    if (!known.contains(o)) {
                        err.println("svcmgr: --property: unknown property '" + o + "' (see 'svcmgr show UNIT' for the names)");
                        err.flush();
                        return OfflineUnits.USAGE;
                    }
                }
                List<List<Property>> picked = new ArrayList<>();
                for (List<Property> ps : all) {
                    picked.add(ps.stream().filter(p -> only.contains(p.key()) || only.contains(p.jsonKey())).toList());
                }
                all = picked;
            }
            if (json) {
                List<Object> docs = all.stream().map(ShowCommand::toJson).map(m -> (Object) m).toList();
                out.println(Json.write(docs.size() == 1 ? docs.get(0) : docs));
            } else {
                boolean first = true;
                for (List<Property> ps : all) {
                    if (!first) out.println();
                    first = false;
                    for (Property p : ps) out.println(valueOnly ? text(p.value()) : p.key() + "=" + text(p.value()));
                }
            }
            out.flush();
            return OfflineUnits.OK;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(err, "show", e, common.debug);
        }
    }

    private static String str(Object o, String dflt) { return o instanceof String s ? s : dflt; }

    /** A list element: quoted like a shell word when it holds blanks or quotes, so lists stay readable. */
    private static String word(String w) {
        if (!w.isEmpty() && w.chars().noneMatch(ch -> ch == ' ' || ch == '\'' || ch == '"' || ch == '\t')) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }

    /** The properties as a JSON object (kebab-case keys, in order). */
    public static Map<String, Object> toJson(List<Property> ps) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Property p : ps) m.put(p.jsonKey(), p.value());
        return m;
    }

    /** The {@code Key=value} text of a value: lists space-separated, null empty. */
    static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            for (Object o : c) parts.add(o instanceof Collection<?> ? "{ " + text(o) + " }" : word(text(o)));
            return String.join(" ", parts);
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + "=" + text(x)));
            return String.join(" ", parts);
        }
        return v.toString().replace("\\", "\\\\").replace("\n", "\\n");
    }

    /**
     * Every property of {@code u}, with the runtime fields given (offline: inactive, dead, null...).
     * The first nine are the fields cli.md requires for {@code show --json}.
     */
    public static List<Property> properties(Unit u, String active, String sub, String result, Long mainPid, String since) {
        List<Property> p = new ArrayList<>();
        p.add(new Property("Id", "unit", u.name()));
        p.add(new Property("LoadState", "load", u.load().word()));
        p.add(new Property("ActiveState", "active", active));
        p.add(new Property("SubState", "sub", sub));
        p.add(new Property("Result", "result", result));
        p.add(new Property("MainPID", "main-pid", mainPid));
        p.add(new Property("ActiveEnterTimestamp", "since", since));
        p.add(new Property("Description", "description", u.description()));
        p.add(new Property("FragmentPath", "fragment-path", u.fragmentPath()));
        p.add(new Property("DropInPaths", "drop-in-paths", u.dropIns()));
        p.add(new Property("UnitType", "unit-type", u.type().suffix()));
        p.add(new Property("Names", "names", names(u)));
        p.add(new Property("Documentation", "documentation", u.documentation()));
        for (DepKind k : DepKind.values()) p.add(new Property(camel(k.key()), k.key(), deps(u, k)));
        p.add(new Property("Provides", "provides", u.provides()));
        p.add(new Property("WantedBy", "wanted-by", u.wantedBy()));
        p.add(new Property("RequiredBy", "required-by", u.requiredBy()));
        p.add(new Property("ConditionPathExists", "condition-path-exists", u.conditions().pathExists()));
        p.add(new Property("ConditionPathExistsNot", "condition-path-exists-not", u.conditions().pathExistsNot()));
        p.add(new Property("ConditionFileNotEmpty", "condition-file-not-empty", u.conditions().fileNotEmpty()));
        p.add(new Property("ConditionEnvironment", "condition-env", u.conditions().env()));
        p.add(new Property("IgnoreOnIsolate", "ignore-on-isolate", u.ignoreOnIsolate()));
        if (u.type() == UnitType.TARGET) p.add(new Property("AllowIsolate", "allow-isolate", u.allowIsolate()));
        String err = u.firstError();
        p.add(new Property("LoadError", "load-error", u.isLoaded() ? null : err));
        ServiceConfig s = u.service();
        if (s != null) {
            p.add(new Property("Type", "type", s.type().word()));
            p.add(new Property("ExecStart", "exec", s.exec()));
            p.add(new Property("ExecStartPre", "exec-start-pre", commands(s.execStartPre())));
            p.add(new Property("ExecStartPost", "exec-start-post", commands(s.execStartPost())));
            p.add(new Property("ExecReload", "exec-reload", s.execReload() == null ? List.of() : command(s.execReload())));
            p.add(new Property("ExecStop", "exec-stop", commands(s.execStop())));
            p.add(new Property("KillSignal", "stop-signal", Values.signalName(s.stopSignal())));
            p.add(new Property("TimeoutStartSec", "timeout-start", Durations.format(s.timeoutStart())));
            p.add(new Property("TimeoutStopSec", "timeout-stop", Durations.format(s.timeoutStop())));
            p.add(new Property("Restart", "restart", s.restart().word()));
            p.add(new Property("RestartSec", "restart-delay", Durations.format(s.restartDelay())));
            p.add(new Property("RestartMaxDelaySec", "restart-max-delay", Durations.format(s.restartMaxDelay())));
            p.add(new Property("RestartResetAfterSec", "restart-reset-after", Durations.format(s.restartResetAfter())));
            p.add(new Property("StartLimitBurst", "start-limit-burst", s.startLimit().burst()));
            p.add(new Property("StartLimitIntervalSec", "start-limit-interval", Durations.format(s.startLimit().interval())));
            p.add(new Property("RemainAfterExit", "remain-after-exit", s.remainAfterExit()));
            p.add(new Property("SuccessExitStatus", "success-exit-status", List.copyOf(s.successExitStatus())));
            p.add(new Property("PIDFile", "pid-file", s.pidFile()));
            p.add(new Property("Ready", "ready", s.ready().describe()));
            p.add(new Property("WatchdogSec", "watchdog", s.watchdog() == null ? null : Durations.format(s.watchdog())));
            p.add(new Property("Environment", "environment", new LinkedHashMap<>(s.environment())));
            p.add(new Property("EnvironmentFiles", "environment-file",
                    s.environmentFiles().stream().map(ShowCommand::envFile).toList()));
            p.add(new Property("WorkingDirectory", "working-directory", s.workingDirectory()));
            p.add(new Property("User", "user", s.user()));
            p.add(new Property("Group", "group", s.group()));
            p.add(new Property("SupplementaryGroups", "supplementary-groups", s.supplementaryGroups()));
            p.add(new Property("UMask", "umask", s.umask() == null ? null : String.format("%04o", s.umask())));
            p.add(new Property("MemoryMax", "limits-memory", s.limits().memory()));
            p.add(new Property("CPUQuotaPercent", "limits-cpu", s.limits().cpuPercent()));
            p.add(new Property("TasksMax", "limits-pids", s.limits().pids()));
            p.add(new Property("LimitNOFILE", "limits-nofile", s.limits().nofile()));
            p.add(new Property("LimitCORE", "limits-core", s.limits().core()));
            p.add(new Property("SandboxRequired", "sandbox-required", s.sandbox().required()));
            p.add(new Property("NoNewPrivileges", "sandbox-no-new-privileges", s.sandbox().noNewPrivileges()));
            p.add(new Property("PrivateTmp", "sandbox-private-tmp", s.sandbox().privateTmp()));
            p.add(new Property("PrivateNetwork", "sandbox-private-network", s.sandbox().privateNetwork()));
            p.add(new Property("RootDirectory", "sandbox-root-directory", s.sandbox().rootDirectory()));
            p.add(new Property("ReadOnlyPaths", "sandbox-read-only-paths", s.sandbox().readOnlyPaths()));
            p.add(new Property("LogMaxSize", "log-max-size", s.log().maxSize()));
            p.add(new Property("LogKeep", "log-keep", s.log().keep()));
            p.add(new Property("RuntimeDirectory", "runtime-directory", s.directories().runtime()));
            p.add(new Property("StateDirectory", "state-directory", s.directories().state()));
            p.add(new Property("LogsDirectory", "logs-directory", s.directories().logs()));
            p.add(new Property("CacheDirectory", "cache-directory", s.directories().cache()));
            p.add(new Property("DirectoryMode", "directory-mode", String.format("%04o", s.directories().mode())));
        }
        return p;
    }

    private static String envFile(EnvFile f) { return (f.optional() ? "-" : "") + f.path(); }

    /** A command's argv, its first word prefixed as systemd writes it: {@code +} privileged, {@code -} ignore-failure. */
    private static List<String> command(ExecCommand c) {
        String prefix = (c.privileged() ? "+" : "") + (c.ignoreFailure() ? "-" : "");
        if (prefix.isEmpty()) return c.argv();
        List<String> out = new java.util.ArrayList<>(c.argv());
        out.set(0, prefix + out.get(0));
        return out;
    }

    private static List<List<String>> commands(List<ExecCommand> cs) { return cs.stream().map(ShowCommand::command).toList(); }

    private static List<String> names(Unit u) {
        List<String> n = new ArrayList<>();
        n.add(u.name());
        n.addAll(u.aliases());
        return n;
    }

    private static List<String> deps(Unit u, DepKind k) {
        return u.dependencies(k).stream().map(Dependency::to).toList();
    }

    private static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("-")) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return b.toString();
    }

    static String duration(Duration d) { return Durations.format(d); }
}
