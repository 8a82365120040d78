package dev.svcmgr.units.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping of systemd settings to svcmgr keys, and the warnings for what does not carry over. */
class SystemdMappingTest {
    private static final Specifiers.Host ROOT = new Specifiers.Host(true, Map.of());

    private static Converter.Result convert(String name, String text, boolean dropIn) throws IniFile.SyntaxError {
        return Converter.convert(name, IniFile.parse(text), dropIn, ROOT);
    }

    private static String yaml(String name, String text) throws IniFile.SyntaxError {
        return YamlWriter.write(convert(name, text, false).keys());
    }

    private static List<String> warnings(Converter.Result r) {
        return r.warnings().stream().map(w -> w.format("f")).toList();
    }

    @Test
    @DisplayName("repeated list settings append, an empty assignment resets, a repeated single value replaces")
    void repeatsAndResets() throws Exception {
        assertEquals("description: two\nafter: [c, d]\ntype: oneshot\nexec: [/bin/true]\n",
                yaml("a.service", "[Unit]\nDescription=one\nAfter=a b\nAfter=\nAfter=c\nAfter=d\nDescription=two\n"
                        + "[Service]\nType=oneshot\nExecStart=/bin/true\n"));
    }

    @Test
    @DisplayName("a drop-in's empty assignment becomes an explicit empty list, written first when the drop-in adds after it")
    void dropInResets() throws Exception {
        Converter.Result r = convert("a.service", "[Unit]\nWants=\nAfter=\nAfter=x.service\n[Service]\nEnvironment=\n", true);
        assertEquals("after: []\n", YamlWriter.write(r.resetsFirst()));
        assertEquals("wants: []\nafter: [x.service]\nenvironment:\n", YamlWriter.write(r.keys()));
        assertTrue(convert("a.service", "[Unit]\nAfter=x.service\n", true).resetsFirst().isEmpty());
    }

    @Test
    @DisplayName("Requires=/Wants= without After= are unordered, as in systemd; with After= the plain name")
    void orderingOfRequirements() throws Exception {
        assertEquals("requires: [{unit: b.service, ordered: false}]\n", YamlWriter.write(
                Map.of("requires", convert("a.target", "[Unit]\nRequires=b.service\n", false).keys().get("requires")))
                .replace("\n  - unit: b.service\n    ordered: false\n", " [{unit: b.service, ordered: false}]\n"));
        assertEquals("wants: [b.service]\nafter: [b.service]\n", yaml("a.target", "[Unit]\nWants=b.service\nAfter=b.service\n"));
    }

    @Test
    @DisplayName("specifiers: %i %n %N kept in a template with %% as %%; names resolved elsewhere; directories resolved; others warned")
    void specifiers() throws Exception {
        Converter.Result t = convert("web@.service", "[Unit]\nDescription=%i %n %N %p %t %S %C %L %% %I %b\n"
                + "[Service]\nExecStart=/bin/echo %i\n", false);
        assertEquals("%i %n %N web /run /var/lib /var/cache /var/log %% %i %%b", t.keys().get("description"));
        assertEquals(List.of("f:2: Description= %I (the unescaped instance) is written as %i: svcmgr does not unescape instance names",
                "f:2: Description= %b kept as the text %b (svcmgr has no such specifier; write the value itself)"), warnings(t));
        Converter.Result n = convert("web.service", "[Unit]\nDescription=%n %N %i %% %u %h\n[Service]\nExecStart=/bin/true\n", false);
        assertEquals("web.service web  % root /root", n.keys().get("description"));
        Converter.Result u = Converter.convert("web.service", IniFile.parse("[Unit]\nDescription=%t %h\n"), false,
                new Specifiers.Host(false, Map.of("XDG_RUNTIME_DIR", "/run/user/5", "HOME", "/home/u")));
        assertEquals("/run/user/5 /home/u", u.keys().get("description"));
    }

    @Test
    @DisplayName("command lines: prefixes become {command, privileged, ignore-failure}; variables run through sh -c; $$ is $; ':' keeps $ literal")
    void commands() throws Exception {
        Converter.Result r = convert("a.service", "[Service]\n"
                + "ExecStart=/usr/bin/d --opt=$NOT $OPTS ${ONE} 'it''s'\n"
                + "ExecStartPre=-/bin/check\n"
                + "ExecStartPre=+/bin/mkdir -p /run/a ; /bin/echo $$HOME\n"
                + "ExecStartPost=:/bin/echo $HOME\n"
                + "ExecReload=/bin/kill -HUP $MAINPID\n"
                + "ExecStop=!/bin/stop\n", false);
        Map<String, Object> k = r.keys();
        assertEquals(List.of("/bin/sh", "-c", "exec /usr/bin/d '--opt=$NOT' $OPTS \"${ONE}\" its"), k.get("exec"));
        assertEquals(List.of(Map.of("command", List.of("/bin/check"), "ignore-failure", true),
                Map.of("command", List.of("/bin/mkdir", "-p", "/run/a"), "privileged", true), List.of("/bin/echo", "$HOME")),
                k.get("exec-start-pre"));
        assertEquals(List.of(List.of("/bin/echo", "$HOME")), k.get("exec-start-post"));
        assertEquals(List.of("/bin/kill", "-HUP", "$MAINPID"), k.get("exec-reload"));
        assertEquals(List.of(Map.of("command", List.of("/bin/stop"), "privileged", true)), k.get("exec-stop"));
        assertTrue(warnings(r).contains("f:2: ExecStart= svcmgr does not expand $OPTS, $ONE: the command runs as /bin/sh -c"
                + " 'exec /usr/bin/d '--opt=$NOT' $OPTS \"${ONE}\" its', which does (same main process)"), warnings(r).toString());
        assertTrue(warnings(r).contains("f:7: ExecStop= the '!' prefix is written as privileged: true (the command runs as root)"));
    }

    @Test
    @DisplayName("service settings: type, timeouts (0 = infinity), restart (systemd's default no), environment, user, limits, sandbox")
    void serviceSettings() throws Exception {
        String y = yaml("a.service", "[Service]\nType=forking\nPIDFile=/run/a.pid\nExecStart=/usr/sbin/a\nTimeoutStartSec=0\n"
                + "TimeoutStopSec=1min 30s\nRestartSec=500ms\nKillSignal=SIGQUIT\nEnvironment=A=1 \"B=two words\"\nEnvironment=C=3\n"
                + "EnvironmentFile=-/etc/default/a\nUser=a\nGroup=a\nSupplementaryGroups=x y\nUMask=027\nWorkingDirectory=/var/lib/a\n"
                + "LimitNOFILE=1024\nMemoryMax=1G\nTasksMax=64\nCPUQuota=50%\nPrivateTmp=yes\nNoNewPrivileges=true\n"
                + "ReadOnlyPaths=/etc /usr\nRuntimeDirectory=a a/sub\nStateDirectory=a\nRuntimeDirectoryMode=0750\n"
                + "SuccessExitStatus=0 143\nRemainAfterExit=no\nWatchdogSec=30\n");
        assertEquals("""
                type: forking
                exec: [/usr/sbin/a]
                stop-signal: SIGQUIT
                timeout-start: infinity
                timeout-stop: "1min 30s"
                restart: "no"
                restart-delay: 500ms
                remain-after-exit: false
                success-exit-status: [0, 143]
                pid-file: /run/a.pid
                watchdog: 30s
                environment:
                  A: "1"
                  B: "two words"
                  C: "3"
                environment-file: ["-/etc/default/a"]
                working-directory: /var/lib/a
                user: a
                group: a
                supplementary-groups: [x, "y"]
                umask: "0027"
                runtime-directory: [a, a/sub]
                state-directory: [a]
                directory-mode: "0750"
                limits:
                  nofile: 1024
                  memory: "1G"
                  pids: 64
                  cpu: "50%"
                sandbox:
                  private-tmp: true
                  no-new-privileges: true
                  read-only-paths: [/etc, /usr]
                """, y);
    }

    @Test
    @DisplayName("types: notify, dbus and idle with warnings; PIDFile= outside forking is warned and dropped")
    void types() throws Exception {
        Converter.Result r = convert("a.service", "[Service]\nType=dbus\nBusName=a.b\nPIDFile=/run/a.pid\nExecStart=/bin/a\n"
                + "Restart=on-abort\nKillMode=process\nProtectSystem=full\nLimitAS=1G\n", false);
        assertEquals("simple", r.keys().get("type"));
        assertEquals("on-abnormal", r.keys().get("restart"));
        assertEquals(null, r.keys().get("pid-file"));
        assertEquals(List.of(
                "f:2: Type= not supported: svcmgr does not watch the bus: add ready: {exec: [...]} that checks the bus name (type: simple is used)",
                "f:3: BusName= not supported: svcmgr has no such setting (see docs/migrating-from-systemd.md)",
                "f:4: PIDFile= not supported: svcmgr reads pid-file for type: forking only; type: dbus finds its main process itself",
                "f:6: Restart= not supported: on-abort: on-abnormal is used (it also covers timeouts and signals)",
                "f:7: KillMode= not supported: svcmgr stops every process of the service (control-group); for process let exec-stop"
                        + " end the main process and accept that the rest is killed after timeout-stop",
                "f:8: ProtectSystem= not supported: use sandbox: {read-only-paths: [/usr, /boot, /etc]} for the same effect on those directories",
                "f:9: LimitAS= not supported: svcmgr's limits are memory, cpu, pids, nofile and core; set it with prlimit in a wrapper script"),
                warnings(r));
        assertEquals("notify", convert("a.service", "[Service]\nType=notify\nExecStart=/bin/a\n", false).keys().get("type"));
        assertEquals(null, convert("a.service", "[Service]\nType=oneshot\nExecStart=/bin/a\n", false).keys().get("restart"),
                "a oneshot's default is no in both");
        Converter.Result stopOnly = convert("a.service", "[Service]\nRemainAfterExit=yes\nExecStop=/bin/stop\n", false);
        assertEquals("oneshot", stopOnly.keys().get("type"));
        assertEquals(List.of("/bin/true"), stopOnly.keys().get("exec"));
        assertEquals(List.of("f:2: ExecStart= none: written as exec: [/bin/true] (svcmgr needs a command; the oneshot does nothing when"
                + " started)"), warnings(stopOnly));
    }

    @Test
    @DisplayName("PermissionsStartOnly=yes makes every helper command privileged; an empty Condition*= resets every condition")
    void permissionsStartOnlyAndConditionReset() throws Exception {
        Converter.Result r = convert("a.service", "[Unit]\nConditionPathExists=/a\nConditionPathExists=\nConditionPathExists=/b\n"
                + "[Service]\nPermissionsStartOnly=true\nUser=a\nExecStartPre=/bin/mkdir -p /run/a\nExecStart=/usr/bin/a\n"
                + "ExecReload=/bin/kill -HUP $MAINPID\nExecStop=-/bin/a-stop\n", false);
        assertEquals(Map.of("path-exists", List.of("/b")), r.keys().get("conditions"));
        assertEquals(List.of(Map.of("command", List.of("/bin/mkdir", "-p", "/run/a"), "privileged", true)), r.keys().get("exec-start-pre"));
        assertEquals(Map.of("command", List.of("/bin/kill", "-HUP", "$MAINPID"), "privileged", true), r.keys().get("exec-reload"));
        assertEquals(List.of(Map.of("command", List.of("/bin/a-stop"), "ignore-failure", true, "privileged", true)), r.keys().get("exec-stop"));
        assertEquals(List.of("/usr/bin/a"), r.keys().get("exec"), "the main command keeps user:");
        assertEquals(List.of(), r.warnings());
    }

    @Test
    @DisplayName("[Unit] conditions and asserts, [Install] edges and aliases; Also= and unknown settings warned")
    void unitAndInstall() throws Exception {
        Converter.Result r = convert("a.service", "[Unit]\nConditionPathExists=/etc/a\nConditionPathExists=!/etc/a.off\n"
                + "AssertFileNotEmpty=/etc/a.conf\nConditionVirtualization=no\nConditionEnvironment=A_ON\nOnFailure=alert.service\n"
                + "[Service]\nExecStart=/bin/a\n[Install]\nWantedBy=multi-user.target\nRequiredBy=x.target\nAlias=b.service\nAlso=c.socket\n"
                + "[X-Vendor]\nAnything=goes\n", false);
        assertEquals(Map.of("path-exists", List.of("/etc/a"), "path-exists-not", List.of("/etc/a.off"), "file-not-empty",
                List.of("/etc/a.conf"), "env", List.of("A_ON")), r.keys().get("conditions"));
        assertEquals(Map.of("wanted-by", List.of("multi-user.target"), "required-by", List.of("x.target")), r.keys().get("install"));
        assertEquals(List.of("b.service"), r.keys().get("aliases"));
        assertEquals(List.of("alert.service"), r.keys().get("on-failure"));
        assertEquals(List.of(
                "f:4: AssertFileNotEmpty= mapped to conditions.file-not-empty: svcmgr has no assertions, so the unit is skipped (not failed)"
                        + " when it does not hold",
                "f:5: ConditionVirtualization= not supported: svcmgr's conditions are path-exists, path-exists-not, file-not-empty and env;"
                        + " check it in an exec-start-pre command instead",
                "f:14: Also= not supported: import c.socket as well (svcmgr's install edges are in force without enable)"), warnings(r));
    }

    @Test
    @DisplayName("sockets, timers and paths: listen entries, Accept=yes warned; calendar and monotonic timers; path watches")
    void triggers() throws Exception {
        Converter.Result s = convert("a.socket", "[Socket]\nListenStream=22\nListenStream=127.0.0.1:8080\nListenStream=/run/a.sock\n"
                + "ListenDatagram=[::1]:53\nListenFIFO=/run/a.fifo\nListenDatagram=/run/dgram\nSocketMode=0660\nService=b.service\n"
                + "FileDescriptorName=ctl\nAccept=yes\nBacklog=64\n", false);
        assertEquals(List.of(Map.of("tcp", ":22", "name", "ctl"), Map.of("tcp", "127.0.0.1:8080", "name", "ctl"),
                Map.of("unix", "/run/a.sock", "name", "ctl"), Map.of("udp", "[::1]:53", "name", "ctl"),
                Map.of("fifo", "/run/a.fifo", "name", "ctl")), s.keys().get("listen"));
        assertEquals("0660", s.keys().get("socket-mode"));
        assertEquals("b.service", s.keys().get("service"));
        assertEquals(64L, s.keys().get("backlog"));
        assertEquals(2, s.warnings().size(), warnings(s).toString());
        assertTrue(warnings(s).get(1).startsWith("f:11: Accept= not supported: yes: svcmgr passes the listening socket"), warnings(s).toString());

        Converter.Result t = convert("a.timer", "[Timer]\nOnCalendar=daily\nOnCalendar=Mon *-*-* 03:00\nOnStartupSec=5min\n"
                + "OnUnitActiveSec=1h\nPersistent=true\nRandomizedDelaySec=30\nUnit=b.service\nWakeSystem=yes\n", false);
        assertEquals("on-calendar: [daily, \"Mon *-*-* 03:00\"]\non-boot: 5min\non-unit-active: 1h\npersistent: true\n"
                + "randomized-delay: 30s\nservice: b.service\n", YamlWriter.write(t.keys()));
        assertEquals(1, t.warnings().size(), warnings(t).toString());

        Converter.Result p = convert("a.path", "[Path]\nPathChanged=/etc/a.conf\nDirectoryNotEmpty=/var/spool/a\nUnit=b.service\n"
                + "MakeDirectory=yes\n", false);
        assertEquals("path-changed: [/etc/a.conf]\ndirectory-not-empty: [/var/spool/a]\nservice: b.service\n", YamlWriter.write(p.keys()));
        assertEquals(1, p.warnings().size());
    }

    @Test
    @DisplayName("the files import writes load through the same loader as verify with no error: unit, drop-ins, template")
    void outputLoads(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/web.service.d"));
        Path out = tmp.resolve("out");
        Files.writeString(tmp.resolve("in/web.service"), "[Unit]\nDescription=Web \"server\": %n\nRequires=db.service\nAfter=db.service\n"
                + "[Service]\nType=notify\nExecStart=/usr/bin/web --name='a b' \\\n  --flag\nExecStartPre=-/bin/true\nUMask=0027\n"
                + "Environment=\"GREETING=hello: world\"\n[Install]\nWantedBy=multi-user.target\n");
        Files.writeString(in.resolve("override.conf"), "[Unit]\nAfter=\nAfter=db.service\n[Service]\nExecStart=\nExecStart=/usr/bin/web2\n");
        Files.writeString(tmp.resolve("in/w@.service"), "[Service]\nExecStart=/bin/echo %i %I\n");
        Files.writeString(tmp.resolve("in/db.service"), "[Service]\nExecStart=/bin/sleep 1000\n");
        Files.writeString(tmp.resolve("in/multi-user.target"), "[Unit]\nDescription=Multi-user\n");
        Importer.Outcome o = Importer.run(List.of(tmp.resolve("in/web.service").toString(), in.toString(),
                tmp.resolve("in/w@.service").toString(), tmp.resolve("in/db.service").toString(),
                tmp.resolve("in/multi-user.target").toString()), out, ROOT);
        assertEquals(List.of(), o.errors());
        assertEquals(List.of("web.service.yaml", "web.service.d/override-reset.yaml", "web.service.d/override.yaml", "w@.service.yaml",
                "db.service.yaml", "multi-user.target.yaml"), o.outputs().stream().map(f -> out.relativize(f.path()).toString()).toList());
        for (Importer.Output f : o.outputs()) {
            Files.createDirectories(f.path().getParent());
            Files.writeString(f.path(), f.text());
        }
        UnitSet set = UnitLoader.load(List.of(out));
        List<Problem> errors = set.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
        assertEquals(List.of(), errors);
        assertEquals("Web \"server\": web.service", set.lookup("web.service").description());
        assertEquals(List.of("/usr/bin/web2"), set.lookup("web.service").service().exec());
        assertEquals(List.of("/bin/echo", "x", "x"), set.lookup("w@x.service").service().exec());
        assertEquals(List.of(tmp.resolve("in/w@.service") + ":2: ExecStart= %I (the unescaped instance) is written as %i: svcmgr does not"
                + " unescape instance names"), o.warnings());
    }

    @Test
    @DisplayName("unreadable, unparsable and unconvertible files are errors naming the file as given; the others still convert")
    void errors(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("bad.service"), "[Service]\nExecStart\n");
        Files.writeString(tmp.resolve("a.mount"), "[Mount]\nWhat=/dev/sda\n");
        Files.writeString(tmp.resolve("ok.service"), "[Service]\nExecStart=/bin/true\n");
        Importer.Outcome o = Importer.run(List.of(tmp + "/bad.service", tmp + "/missing.service", tmp + "/a.mount", tmp + "/ok.service",
                tmp.toString()), tmp.resolve("out"), ROOT);
        assertEquals(List.of(tmp + "/bad.service:2: expected Key=Value or [Section], got 'ExecStart'",
                tmp + "/missing.service: cannot read: no such file",
                tmp + "/a.mount: cannot convert 'a.mount': svcmgr has no .mount units (it converts .service, .target, .socket, .timer and .path)",
                tmp + ": a directory; give unit files or a NAME.d drop-in directory"), o.errors());
        assertEquals(1, o.outputs().size());

        Files.createSymbolicLink(tmp.resolve("alias.service"), tmp.resolve("ok.service"));
        Files.createSymbolicLink(tmp.resolve("masked.service"), Path.of("/dev/null"));
        Importer.Outcome links = Importer.run(List.of(tmp + "/alias.service", tmp + "/masked.service"), tmp.resolve("out"), ROOT);
        assertEquals(List.of(), links.errors());
        assertEquals(List.of(), links.outputs(), "an alias or a mask is not a unit of its own");
        assertEquals(List.of(tmp + "/alias.service: an alias of " + tmp.toRealPath() + "/ok.service: not converted; import "
                        + tmp.toRealPath() + "/ok.service and add alias.service to its aliases: (its Alias= does that)",
                tmp + "/masked.service: masked (a symlink to /dev/null): not converted; run 'svcmgr mask masked.service' instead"),
                links.warnings());
    }

    @Test
    @DisplayName("verify's loader warns about systemd unit files and .conf drop-ins in a unit directory, naming svcmgr import")
    void systemdFilesInUnitDirectories(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("cron.service"), "[Service]\nExecStart=/usr/sbin/cron -f\n");
        Files.writeString(tmp.resolve("web.service.yaml"), "exec: [/bin/true]\n");
        Files.createDirectories(tmp.resolve("web.service.d"));
        Files.writeString(tmp.resolve("web.service.d/override.conf"), "[Service]\nUser=x\n");
        Files.writeString(tmp.resolve("notes.txt"), "not a unit\n");
        List<String> ms = UnitLoader.load(List.of(tmp)).problems().stream().map(Problem::format).toList();
        assertEquals(List.of(tmp + "/cron.service: warning: a systemd unit file, not read (svcmgr reads NAME.yaml); convert it with"
                        + " 'svcmgr import " + tmp + "/cron.service --output " + tmp + "'",
                tmp + "/web.service.d/override.conf: warning: a systemd drop-in, not read (svcmgr reads *.yaml); convert it with"
                        + " 'svcmgr import " + tmp + "/web.service.d/override.conf --output " + tmp + "'"), ms);
    }
}
