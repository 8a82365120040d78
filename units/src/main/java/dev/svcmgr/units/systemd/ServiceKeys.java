package dev.svcmgr.units.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code [Service]} section mapped to svcmgr's service keys (units.md "Services", "Keys for packaged daemons"). */
final class ServiceKeys {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\$\\$");
    private static final Map<String, String> DIRS = Map.of("RuntimeDirectory", "runtime-directory", "StateDirectory", "state-directory",
            "LogsDirectory", "logs-directory", "CacheDirectory", "cache-directory");
    private static final Map<String, String> COMMANDS = Map.of("ExecStartPre", "exec-start-pre", "ExecStartPost", "exec-start-post",
            "ExecStop", "exec-stop");
    private static final Set<String> SANDBOX_ONLY = Set.of("ProtectSystem", "ProtectHome", "ReadWritePaths", "ReadWriteDirectories",
            "InaccessiblePaths", "InaccessibleDirectories", "ExecPaths", "NoExecPaths", "PrivateDevices", "PrivateUsers",
            "PrivateIPC", "PrivateMounts", "ProtectClock", "ProtectControlGroups", "ProtectHostname", "ProtectKernelLogs",
            "ProtectKernelModules", "ProtectKernelTunables", "ProtectProc", "ProcSubset", "CapabilityBoundingSet",
            "AmbientCapabilities", "LockPersonality", "MemoryDenyWriteExecute", "RestrictAddressFamilies", "RestrictNamespaces",
            "RestrictRealtime", "RestrictSUIDSGID", "SystemCallArchitectures", "SystemCallFilter", "SystemCallErrorNumber",
            "RemoveIPC", "BindPaths", "BindReadOnlyPaths", "TemporaryFileSystem", "DevicePolicy", "DeviceAllow",
            "IPAddressAllow", "IPAddressDeny", "KeyringMode", "SecureBits", "RestrictFileSystems", "RootImage", "MountAPIVFS",
            "SELinuxContext", "AppArmorProfile", "SmackProcessLabel", "NetworkNamespacePath", "DynamicUser");
    private static final String SANDBOX_HAS = "svcmgr's sandbox has no-new-privileges, private-tmp, private-network, root-directory"
            + " and read-only-paths (units.md); drop it or enforce it inside the service";

    private final Acc acc;
    private final Specifiers spec;
    private final boolean dropIn;
    private String type;
    private boolean restartSet;
    private IniFile.Entry pidFile;
    private int execs;
    private int reloads;
    private boolean permissionsStartOnly;
    private IniFile.Entry first;
    private final Map<String, String> dirModes = new LinkedHashMap<>();

    ServiceKeys(Acc acc, Specifiers spec, boolean dropIn) {
        this.acc = acc;
        this.spec = spec;
        this.dropIn = dropIn;
    }

    void key(IniFile.Entry e) {
        if (first == null) first = e;
        String k = e.key(), v = e.value();
        String cmdKey = COMMANDS.get(k);
        if (cmdKey != null) {
            if (v.isEmpty()) acc.reset(cmdKey);
            else for (Words.Command c : commands(e)) add(cmdKey, e, c, !k.equals("ExecStartPre") && !k.equals("ExecStartPost"));
            return;
        }
        String dirKey = DIRS.get(k);
        if (dirKey != null) {
            if (v.isEmpty()) acc.reset(dirKey);
            else for (String d : Words.split(v)) acc.add(dirKey, d);
            return;
        }
        if (SANDBOX_ONLY.contains(k)) {
            acc.unsupported(e, k.equals("ProtectSystem") && !"no".equals(v) && !"false".equals(v)
                    ? "use sandbox: {read-only-paths: [/usr, /boot, /etc]} for the same effect on those directories" : SANDBOX_HAS);
            return;
        }
        if (k.startsWith("Limit")) {
            limit(e);
            return;
        }
        switch (k) {
            case "Type" -> type(e);
            case "ExecStart" -> execStart(e);
            case "ExecReload" -> execReload(e);
            case "ConfigurationDirectory" ->
                    acc.unsupported(e, "create /etc/" + v + " with the package, or with a privileged: true exec-start-pre");
            case "RuntimeDirectoryPreserve" -> acc.unsupported(e, "runtime directories are always removed when the service stops");
            case "ExecStopPost", "ExecCondition" ->
                    acc.unsupported(e, "svcmgr has exec-start-pre, exec-start-post, exec-reload and exec-stop; run it from one of those");
            case "PIDFile" -> {
                pidFile = e;
                acc.set("pid-file", v);
            }
            case "Restart" -> restart(e);
            case "RestartSec" -> duration(e, "restart-delay", false);
            case "RestartMaxDelaySec" -> duration(e, "restart-max-delay", false);
            case "TimeoutStartSec" -> duration(e, "timeout-start", true);
            case "TimeoutStopSec" -> duration(e, "timeout-stop", true);
            case "TimeoutSec" -> {
                duration(e, "timeout-start", true);
                duration(e, "timeout-stop", true);
            }
            case "WatchdogSec" -> duration(e, "watchdog", false);
            case "StartLimitBurst", "StartLimitIntervalSec", "StartLimitInterval" -> startLimit(acc, e);
            case "RemainAfterExit" -> acc.set("remain-after-exit", Converter.bool(e));
            case "SuccessExitStatus" -> successStatus(e);
            case "KillSignal" -> acc.set("stop-signal", v);
            case "KillMode" -> {
                if (!v.equals("control-group"))
                    acc.unsupported(e, "svcmgr stops every process of the service (control-group); for " + v
                            + " let exec-stop end the main process and accept that the rest is killed after timeout-stop");
            }
            case "Environment" -> environment(e);
            case "EnvironmentFile" -> {
                if (v.isEmpty()) acc.reset("environment-file");
                else acc.add("environment-file", v);
            }
            case "WorkingDirectory" -> workingDirectory(e);
            case "User" -> acc.set("user", v);
            case "Group" -> acc.set("group", v);
            case "SupplementaryGroups" -> {
                if (v.isEmpty()) acc.reset("supplementary-groups");
                else for (String g : Words.split(v)) acc.add("supplementary-groups", g);
            }
            case "UMask" -> {
                String m = SystemdValues.mode(v);
                if (m == null) throw new IllegalArgumentException("expected an octal mode, got '" + IniFile.shown(v) + "'");
                acc.set("umask", m);
            }
            case "RuntimeDirectoryMode", "StateDirectoryMode", "LogsDirectoryMode", "CacheDirectoryMode" -> {
                String m = SystemdValues.mode(v);
                if (m == null) throw new IllegalArgumentException("expected an octal mode, got '" + IniFile.shown(v) + "'");
                dirModes.put(k, m);
                if (dirModes.values().stream().distinct().count() > 1)
                    acc.unsupported(e, "one directory-mode applies to every directory in svcmgr; " + m + " is used for all");
                acc.set("directory-mode", m);
            }
            case "MemoryMax", "MemoryLimit" -> sizeLimit(e, "limits.memory");
            case "CPUQuota" -> {
                if (!v.matches("[0-9]+%")) throw new IllegalArgumentException("expected a percentage like 50%, got '" + IniFile.shown(v) + "'");
                acc.set("limits.cpu", v);
            }
            case "TasksMax" -> {
                if (v.equals("infinity")) acc.remove("limits.pids");
                else if (v.matches("[0-9]+")) acc.set("limits.pids", Long.parseLong(v));
                else acc.unsupported(e, "limits.pids takes a number of tasks, not " + v);
            }
            case "NoNewPrivileges" -> acc.set("sandbox.no-new-privileges", Converter.bool(e));
            case "PrivateTmp" -> acc.set("sandbox.private-tmp", Converter.bool(e));
            case "PrivateNetwork" -> acc.set("sandbox.private-network", Converter.bool(e));
            case "RootDirectory" -> acc.set("sandbox.root-directory", v);
            case "ReadOnlyPaths", "ReadOnlyDirectories" -> readOnly(e);
            case "PermissionsStartOnly" -> permissionsStartOnly = Converter.bool(e);
            case "NotifyAccess" -> {
                if (!v.equals("main") && !v.equals("none"))
                    acc.unsupported(e, "svcmgr accepts notifications from the main process; send them from it (or MAINPID= first)");
            }
            case "StandardOutput", "StandardError", "StandardInput", "SyslogIdentifier", "SyslogFacility", "SyslogLevel",
                    "SyslogLevelPrefix", "LogLevelMax", "LogExtraFields", "TTYPath", "TTYReset", "TTYVHangup" ->
                    acc.unsupported(e, "output goes to the unit's log file (svcmgr logs UNIT; log: {max-size, keep})");
            case "Slice", "Delegate", "CPUWeight", "CPUShares", "IOWeight", "MemoryHigh", "MemoryLow", "MemoryMin", "MemorySwapMax",
                    "Nice", "OOMScoreAdjust", "OOMPolicy", "IOSchedulingClass", "IOSchedulingPriority", "CPUSchedulingPolicy",
                    "CPUSchedulingPriority", "CPUAffinity", "NUMAPolicy", "AllowedCPUs" ->
                    acc.unsupported(e, "svcmgr's limits are memory, cpu, pids, nofile and core; set it in a wrapper (nice, chrt, taskset)");
            default -> acc.unsupported(e, "svcmgr has no such setting (see docs/migrating-from-systemd.md)");
        }
    }

    private void type(IniFile.Entry e) {
        String v = e.value();
        type = v;
        switch (v) {
            case "simple", "exec", "forking", "oneshot", "notify" -> acc.set("type", v);
            case "notify-reload" -> {
                acc.set("type", "notify");
                acc.unsupported(e, "notify-reload: a reload is exec-reload in svcmgr (type: notify is used)");
            }
            case "dbus" -> {
                acc.set("type", "simple");
                acc.unsupported(e, "svcmgr does not watch the bus: add ready: {exec: [...]} that checks the bus name (type: simple is used)");
            }
            case "idle" -> {
                acc.set("type", "simple");
                acc.unsupported(e, "idle: svcmgr starts it at once (type: simple is used)");
            }
            default -> throw new IllegalArgumentException("unknown Type=" + v);
        }
    }

    private List<Words.Command> commands(IniFile.Entry e) {
        try {
            return Words.commands(e.value());
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("bad command line: " + bad.getMessage());
        }
    }

    private void execStart(IniFile.Entry e) {
        if (e.value().isEmpty()) {
            acc.remove("exec");
            execs = 0;
            return;
        }
        for (Words.Command c : commands(e)) {
            if (++execs > 1) {
                acc.unsupported(e, "svcmgr takes one exec command; run the others from exec-start-post or put them in a script");
                continue;
            }
            if (c.ignoreFailure()) acc.unsupported(e, "the '-' prefix on ExecStart: list the exit statuses in success-exit-status");
            if (c.privileged() || c.elevated())
                acc.unsupported(e, "the '" + (c.privileged() ? "+" : "!") + "' prefix on ExecStart: the command runs as user:; drop user: to run as root");
            acc.set("exec", argv(e, c, false));
        }
    }

    private void execReload(IniFile.Entry e) {
        if (e.value().isEmpty()) {
            acc.remove("exec-reload");
            reloads = 0;
            return;
        }
        for (Words.Command c : commands(e)) {
            Object cmd = command(e, c, true);
            if (++reloads > 1) {
                Object prev = acc.get("exec-reload");
                if (prev instanceof List<?> p && cmd instanceof List<?> n) {
                    acc.set("exec-reload", List.of("/bin/sh", "-c", script(p) + " && " + script(n)));
                    acc.note(e, "exec-reload takes one command: the commands are chained with && in /bin/sh -c");
                } else {
                    acc.unsupported(e, "exec-reload takes one command; put the reload steps in a script");
                }
                continue;
            }
            acc.set("exec-reload", cmd);
        }
    }

    private void add(String key, IniFile.Entry e, Words.Command c, boolean mainPid) {
        acc.add(key, command(e, c, mainPid));
    }

    /** A command in svcmgr's form: argv, or {command, privileged, ignore-failure} for the prefixes. */
    private Object command(IniFile.Entry e, Words.Command c, boolean mainPid) {
        List<String> argv = argv(e, c, mainPid);
        boolean priv = c.privileged() || c.elevated();
        if (c.elevated()) acc.note(e, "the '!' prefix is written as privileged: true (the command runs as root)");
        if (!priv && !c.ignoreFailure()) return argv;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", argv);
        if (priv) m.put("privileged", true);
        if (c.ignoreFailure()) m.put("ignore-failure", true);
        return m;
    }

    /** The argv; a command that uses environment variables runs through /bin/sh -c, which expands them. */
    private List<String> argv(IniFile.Entry e, Words.Command c, boolean mainPid) {
        if (c.argv0() != null) acc.unsupported(e, "the '@' prefix: argv[0] is the program's path in svcmgr (" + c.argv0() + " dropped)");
        if (c.noExpand()) return c.argv();
        List<String> vars = new ArrayList<>();
        boolean dollars = false;
        for (String w : c.argv()) {
            Matcher m = VAR.matcher(w);
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                if (name == null) dollars = true;
                else if (m.group(2) != null && !m.group().equals(w)) continue; // $NAME inside a word is not expanded by systemd
                else if (!(mainPid && name.equals("MAINPID"))) vars.add(name);
            }
        }
        if (vars.isEmpty()) return dollars ? c.argv().stream().map(w -> w.replace("$$", "$")).toList() : c.argv();
        StringBuilder s = new StringBuilder("exec");
        for (String w : c.argv()) s.append(' ').append(shellWord(w));
        acc.note(e, "svcmgr does not expand $" + String.join(", $", vars.stream().distinct().toList())
                + ": the command runs as /bin/sh -c '" + s + "', which does (same main process)");
        return List.of("/bin/sh", "-c", s.toString());
    }

    /** A word for sh: literal text single-quoted, {@code ${X}} as one word, a whole-word {@code $X} split as systemd splits it. */
    private static String shellWord(String w) {
        if (w.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) return w;
        StringBuilder b = new StringBuilder();
        Matcher m = VAR.matcher(w);
        int at = 0;
        while (m.find()) {
            if (m.group(2) != null) continue; // not a variable inside a word
            b.append(quote(w.substring(at, m.start())));
            b.append(m.group(1) != null ? "\"${" + m.group(1) + "}\"" : "'$'");
            at = m.end();
        }
        b.append(quote(w.substring(at)));
        return b.length() == 0 ? "''" : b.toString();
    }

    private static String quote(String s) {
        if (s.isEmpty()) return "";
        if (s.equals("$MAINPID") || s.equals("${MAINPID}")) return s; // replaced by svcmgr before the shell runs
        if (s.matches("[A-Za-z0-9_./=:,+@%-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String script(List<?> argv) {
        if (argv.size() == 3 && "/bin/sh".equals(argv.get(0)) && "-c".equals(argv.get(1))) return "{ " + argv.get(2) + "; }";
        StringBuilder b = new StringBuilder();
        for (Object w : argv) b.append(b.length() > 0 ? " " : "").append(quote(String.valueOf(w)).isEmpty() ? "''" : quote(String.valueOf(w)));
        return b.toString();
    }

    private void restart(IniFile.Entry e) {
        restartSet = true;
        switch (e.value()) {
            case "no", "on-failure", "on-abnormal", "always" -> acc.set("restart", e.value());
            case "on-abort", "on-watchdog" -> {
                acc.set("restart", "on-abnormal");
                acc.unsupported(e, e.value() + ": on-abnormal is used (it also covers timeouts and signals)");
            }
            case "on-success" -> {
                acc.set("restart", "always");
                acc.unsupported(e, "on-success: always is used (svcmgr also restarts after a failure)");
            }
            default -> throw new IllegalArgumentException("unknown Restart=" + e.value());
        }
    }

    private void duration(IniFile.Entry e, String key, boolean zeroIsInfinity) {
        String d = SystemdValues.timespan(e.value(), zeroIsInfinity);
        if (d == null) throw new IllegalArgumentException("expected a time span like 5s or 1min 30s, got '" + IniFile.shown(e.value()) + "'");
        acc.set(key, d);
    }

    static void startLimit(Acc acc, IniFile.Entry e) {
        if (e.key().equals("StartLimitBurst")) {
            if (!e.value().matches("[0-9]+")) throw new IllegalArgumentException("expected a number, got '" + IniFile.shown(e.value()) + "'");
            acc.set("start-limit.burst", Long.parseLong(e.value()));
            return;
        }
        String d = SystemdValues.timespan(e.value(), false);
        if (d == null) throw new IllegalArgumentException("expected a time span, got '" + IniFile.shown(e.value()) + "'");
        if (d.equals("0")) acc.unsupported(e, "0 (no start limit): use start-limit: {burst: 1000000, interval: 1s}");
        else acc.set("start-limit.interval", d);
    }

    private void successStatus(IniFile.Entry e) {
        if (e.value().isEmpty()) {
            acc.reset("success-exit-status");
            return;
        }
        for (String s : Words.split(e.value())) {
            if (s.matches("[0-9]{1,3}") && Integer.parseInt(s) <= 255) acc.add("success-exit-status", Integer.parseInt(s));
            else acc.unsupported(e, "exit status " + s + ": svcmgr's success-exit-status lists exit codes 0 to 255, not signals");
        }
    }

    private void environment(IniFile.Entry e) {
        if (e.value().isEmpty()) {
            acc.reset("environment");
            return;
        }
        for (String a : Words.split(e.value())) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                acc.unsupported(e, "'" + a + "' is not NAME=value");
                continue;
            }
            acc.set("environment." + a.substring(0, eq), a.substring(eq + 1));
        }
    }

    private void workingDirectory(IniFile.Entry e) {
        String v = e.value();
        if (v.startsWith("-")) {
            v = v.substring(1);
            acc.unsupported(e, "the '-' prefix (a missing directory is no error): svcmgr needs the directory to exist");
        }
        if (v.equals("~")) {
            v = "/root";
            acc.note(e, "~ (the user's home) is written as /root: write the home of user: if it is another");
        }
        acc.set("working-directory", v);
    }

    private void limit(IniFile.Entry e) {
        String k = e.key(), v = e.value();
        String key = switch (k) {
            case "LimitNOFILE" -> "limits.nofile";
            case "LimitCORE" -> "limits.core";
            default -> null;
        };
        if (key == null) {
            acc.unsupported(e, "svcmgr's limits are memory, cpu, pids, nofile and core; set it with prlimit in a wrapper script");
            return;
        }
        if (v.contains(":")) {
            acc.unsupported(e, "separate soft and hard limits: svcmgr sets both to the hard one (" + v.substring(v.indexOf(':') + 1) + ")");
            v = v.substring(v.indexOf(':') + 1);
        }
        if (v.equals("infinity")) {
            acc.unsupported(e, "infinity: svcmgr's limits take a number; the limit is left as the manager's");
            return;
        }
        if (key.equals("limits.nofile")) {
            if (!v.matches("[0-9]+")) throw new IllegalArgumentException("expected a number, got '" + IniFile.shown(v) + "'");
            acc.set(key, Long.parseLong(v));
        } else {
            sizeLimit(new IniFile.Entry(e.section(), k, v, e.line()), key);
        }
    }

    private void sizeLimit(IniFile.Entry e, String key) {
        if (e.value().equals("infinity")) {
            acc.remove(key);
            return;
        }
        String s = SystemdValues.size(e.value());
        if (s == null) {
            acc.unsupported(e, "'" + e.value() + "': " + key + " takes a size like 512M");
            return;
        }
        acc.set(key, s);
    }

    private void readOnly(IniFile.Entry e) {
        if (e.value().isEmpty()) {
            acc.reset("sandbox.read-only-paths");
            return;
        }
        for (String p : Words.split(e.value())) {
            if (p.startsWith("-") || p.startsWith("+")) {
                acc.unsupported(e, "the '" + p.charAt(0) + "' prefix on " + p.substring(1) + ": svcmgr's read-only-paths take plain paths");
                p = p.substring(1);
            }
            acc.add("sandbox.read-only-paths", p);
        }
    }

    /** What needs the whole file: the type's defaults that differ between systemd and svcmgr. */
    void finish() {
        if (!dropIn && acc.get("exec") == null && (type == null || type.equals("oneshot"))) {
            // systemd: a service without ExecStart= is a oneshot (RemainAfterExit= with ExecStop= only); svcmgr needs a command
            type = "oneshot";
            acc.set("type", "oneshot");
            acc.set("exec", List.of("/bin/true"));
            if (first != null) acc.note(new IniFile.Entry(first.section(), "ExecStart", "", first.line()),
                    "none: written as exec: [/bin/true] (svcmgr needs a command; the oneshot does nothing when started)");
        }
        String t = type != null ? type : "simple";
        if (!dropIn && !restartSet && !t.equals("oneshot")) acc.set("restart", "no"); // systemd's default; svcmgr's is on-failure
        if (pidFile != null && !t.equals("forking") && (type != null || !dropIn)) {
            acc.remove("pid-file");
            acc.unsupported(pidFile, "svcmgr reads pid-file for type: forking only; type: " + t + " finds its main process itself");
        }
        if (permissionsStartOnly) privilegeHelpers();
    }

    /** PermissionsStartOnly=yes: the helper commands run as root, which is privileged: true on each. */
    @SuppressWarnings("unchecked")
    private void privilegeHelpers() {
        for (String k : List.of("exec-start-pre", "exec-start-post", "exec-stop")) {
            if (!(acc.get(k) instanceof List<?> l)) continue;
            List<Object> out = new ArrayList<>();
            for (Object c : l) {
                Map<String, Object> m = c instanceof Map<?, ?> mm ? new LinkedHashMap<>((Map<String, Object>) mm) : new LinkedHashMap<>();
                if (!(c instanceof Map<?, ?>)) m.put("command", c);
                m.put("privileged", true);
                out.add(m);
            }
            ((List<Object>) l).clear();
            ((List<Object>) l).addAll(out);
        }
        Object r = acc.get("exec-reload");
        if (r instanceof List<?> l) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", l);
            m.put("privileged", true);
            acc.set("exec-reload", m);
        }
    }
}
