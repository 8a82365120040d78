package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.LoaderTestSupport.load;
import static dev.svcmgr.units.load.LoaderTestSupport.messages;
import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.EnvFile;
import dev.svcmgr.units.Limits;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.LogConfig;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceDirectories;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.StartLimit;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key of units.md, written once with a non-default value, comes back in the model. */
class RoundTripTest {
    @TempDir Path dir;

    static final String SERVICE = """
            description: Redis key-value store
            documentation: [https://redis.io/docs, man:redis-server(1)]
            requires: [network.target, {unit: data.service, ordered: false}]
            wants: [syslog.service]
            requisite: [mnt.service]
            binds-to: [bound.service]
            part-of: [group.target]
            conflicts: [old.service]
            after: [early.service]
            before: [late.service]
            on-failure: [alert.service]
            provides: [kv-store]
            aliases: [kv.service]
            conditions:
              path-exists: /etc/redis/redis.conf
              path-exists-not: [/etc/redis/disabled]
              file-not-empty: /etc/redis/redis.conf
              env: [REDIS_ENABLED]
            ignore-on-isolate: true
            install:
              wanted-by: [multi-user.target]
              required-by: [graphical.target]
            type: notify
            exec: ["/usr/bin/redis-server", "/etc/redis/redis.conf"]
            exec-start-pre: [["/bin/mkdir", "-p", "/run/redis"], "/bin/echo 'two words'"]
            exec-start-post: ["/bin/echo started"]
            exec-reload: ["/bin/kill", "-HUP", "$MAINPID"]
            exec-stop: [/bin/redis-cli shutdown, {command: [/bin/rm, -f, /run/redis.flag], privileged: true, ignore-failure: true}]
            stop-signal: SIGINT
            timeout-start: 1min 30s
            timeout-stop: infinity
            restart: always
            restart-delay: 250ms
            restart-max-delay: 1m
            restart-reset-after: 2h
            start-limit: {burst: 7, interval: 20s}
            remain-after-exit: true
            success-exit-status: [0, 143]
            pid-file: /run/foo.pid
            ready:
              notify: true
            watchdog: 30s
            environment: {LANG: C.UTF-8, N: 5}
            environment-file: [/etc/default/redis, -/etc/default/redis-local]
            working-directory: /var/lib/redis
            user: redis
            group: redis
            supplementary-groups: [adm, "1001"]
            umask: 0027
            limits:
              memory: 512M
              cpu: 150%
              pids: 256
              nofile: 65536
              core: 0
            sandbox:
              required: true
              no-new-privileges: true
              private-tmp: true
              private-network: true
              root-directory: /srv/jail
              read-only-paths: [/etc, /usr]
            log:
              max-size: 10K
              keep: 2
            runtime-directory: [redis, redis/sub]
            state-directory: redis
            logs-directory: [redis]
            cache-directory: [redis]
            directory-mode: "0750"
            """;

    static final String TARGET = """
            description: Multi-user
            allow-isolate: true
            """;

    @Test
    void everyServiceKeyRoundTrips() {
        write(dir, "redis.service.yaml", SERVICE);
        write(dir, "multi-user.target.yaml", TARGET);
        for (String n : List.of("network", "group", "graphical"))
            write(dir, n + ".target.yaml", "description: " + n + "\n");
        for (String n : List.of("data", "syslog", "mnt", "bound", "old", "early", "late", "alert"))
            write(dir, n + ".service.yaml", "exec: /bin/true\n");
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set).stream().filter(m -> !m.contains("pid-file")).toList());
        Unit u = set.lookup("redis.service");
        assertEquals(LoadState.LOADED, u.load());
        assertEquals("Redis key-value store", u.description());
        assertEquals(List.of("https://redis.io/docs", "man:redis-server(1)"), u.documentation());
        assertEquals(List.of("network.target", "data.service"), u.dependencies(DepKind.REQUIRES).stream().map(Dependency::to).toList());
        assertTrue(u.dependencies(DepKind.REQUIRES).get(0).ordered());
        assertFalse(u.dependencies(DepKind.REQUIRES).get(1).ordered());
        assertEquals(3, u.dependencies(DepKind.REQUIRES).get(0).origin().line());
        assertEquals("requires", u.dependencies(DepKind.REQUIRES).get(0).origin().key());
        Map<DepKind, String> single = Map.of(DepKind.WANTS, "syslog.service", DepKind.REQUISITE, "mnt.service", DepKind.BINDS_TO, "bound.service",
                DepKind.PART_OF, "group.target", DepKind.CONFLICTS, "old.service", DepKind.AFTER, "early.service",
                DepKind.BEFORE, "late.service", DepKind.ON_FAILURE, "alert.service");
        single.forEach((k, v) -> assertEquals(List.of(v), u.dependencies(k).stream().map(Dependency::to).toList(), k.key()));
        assertEquals(List.of("kv-store"), u.provides());
        assertEquals(List.of("kv.service"), u.aliases());
        assertEquals("redis.service", set.canonical("kv.service"));
        assertEquals("redis.service", set.canonical("kv-store"));
        assertEquals(new Conditions(List.of("/etc/redis/redis.conf"), List.of("/etc/redis/disabled"), List.of("/etc/redis/redis.conf"),
                List.of("REDIS_ENABLED")), u.conditions());
        assertTrue(u.ignoreOnIsolate());
        assertEquals(List.of("multi-user.target"), u.wantedBy());
        assertEquals(List.of("graphical.target"), u.requiredBy());
        assertEquals(2, u.installOrigins().size());
        ServiceConfig s = u.service();
        assertEquals(ServiceType.NOTIFY, s.type());
        assertEquals(List.of("/usr/bin/redis-server", "/etc/redis/redis.conf"), s.exec());
        assertEquals(List.of(ExecCommand.of(List.of("/bin/mkdir", "-p", "/run/redis")), ExecCommand.of(List.of("/bin/echo", "two words"))),
                s.execStartPre());
        assertEquals(List.of(ExecCommand.of(List.of("/bin/echo", "started"))), s.execStartPost());
        assertEquals(ExecCommand.of(List.of("/bin/kill", "-HUP", "$MAINPID")), s.execReload());
        assertEquals(List.of(ExecCommand.of(List.of("/bin/redis-cli", "shutdown")),
                new ExecCommand(List.of("/bin/rm", "-f", "/run/redis.flag"), true, true)), s.execStop());
        assertEquals(2, s.stopSignal());
        assertEquals(Duration.ofSeconds(90), s.timeoutStart());
        assertTrue(Durations.isInfinite(s.timeoutStop()));
        assertEquals(RestartPolicy.ALWAYS, s.restart());
        assertEquals(Duration.ofMillis(250), s.restartDelay());
        assertEquals(Duration.ofMinutes(1), s.restartMaxDelay());
        assertEquals(Duration.ofHours(2), s.restartResetAfter());
        assertEquals(new StartLimit(7, Duration.ofSeconds(20)), s.startLimit());
        assertTrue(s.remainAfterExit());
        assertEquals(Set.of(0, 143), s.successExitStatus());
        assertEquals("/run/foo.pid", s.pidFile());
        assertEquals(Readiness.Kind.NOTIFY, s.ready().kind());
        assertEquals(Duration.ofSeconds(30), s.watchdog());
        assertEquals(Map.of("LANG", "C.UTF-8", "N", "5"), s.environment());
        assertEquals(List.of(new EnvFile("/etc/default/redis", false), new EnvFile("/etc/default/redis-local", true)), s.environmentFiles());
        assertEquals("/var/lib/redis", s.workingDirectory());
        assertEquals("redis", s.user());
        assertEquals("redis", s.group());
        assertEquals(List.of("adm", "1001"), s.supplementaryGroups());
        assertEquals(027, s.umask());
        assertEquals(new Limits(512L << 20, 150, 256L, 65536L, 0L), s.limits());
        assertEquals(new Sandbox(true, true, true, true, "/srv/jail", List.of("/etc", "/usr")), s.sandbox());
        assertEquals(new LogConfig(10 * 1024, 2), s.log());
        assertEquals(new ServiceDirectories(List.of("redis", "redis/sub"), List.of("redis"), List.of("redis"), List.of("redis"), 0750),
                s.directories());
        Unit t = set.lookup("multi-user.target");
        assertTrue(t.allowIsolate());
        assertNull(t.service());
    }

    static final String TIMER = """
            description: nightly backup
            on-calendar: ["Mon..Fri *-*-* 03:00:00", hourly]
            on-boot: 5min
            on-active: 1h
            on-unit-active: 2h
            on-unit-inactive: 15min
            persistent: true
            randomized-delay: 30s
            accuracy: 1min
            service: backup-job.service
            install:
              wanted-by: [timers.target]
            """;

    @Test
    void aTimerRoundTripsWithEveryKey() throws Exception {
        write(dir, "backup.timer.yaml", TIMER);
        write(dir, "plain.timer.yaml", "on-calendar: daily\n");
        write(dir, "timers.target.yaml", "description: timers\n");
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set));
        dev.svcmgr.units.TimerConfig t = set.lookup("backup.timer").timer();
        assertEquals(List.of(dev.svcmgr.units.CalendarEvent.parse("Mon..Fri *-*-* 03:00:00"),
                dev.svcmgr.units.CalendarEvent.parse("hourly")), t.calendar());
        assertEquals(Duration.ofMinutes(5), t.onBoot());
        assertEquals(Duration.ofHours(1), t.onActive());
        assertEquals(Duration.ofHours(2), t.onUnitActive());
        assertEquals(Duration.ofMinutes(15), t.onUnitInactive());
        assertTrue(t.persistent());
        assertEquals(Duration.ofSeconds(30), t.randomizedDelay());
        assertEquals(Duration.ofMinutes(1), t.accuracy());
        assertEquals("backup-job.service", t.service());
        assertEquals(List.of("timers.target"), set.lookup("backup.timer").wantedBy());
        assertNull(set.lookup("backup.timer").service());
        dev.svcmgr.units.TimerConfig p = set.lookup("plain.timer").timer();
        assertEquals("plain.service", p.service(), "the service with the timer's name");
        assertEquals(dev.svcmgr.units.TimerConfig.DEFAULT_ACCURACY, p.accuracy());
        assertEquals(Duration.ZERO, p.randomizedDelay());
        assertNull(p.onBoot());
        assertTrue(!p.persistent());
    }

    static final String PATH = """
            path-exists: /run/app/trigger
            path-changed: [/etc/app/app.conf, /etc/app/extra.conf]
            path-modified: /etc/app/
            directory-not-empty: /var/spool/app
            service: app-worker.service
            action: restart
            """;

    @Test
    void aPathUnitRoundTripsWithEveryKey() {
        write(dir, "app.path.yaml", PATH);
        write(dir, "plain.path.yaml", "path-changed: /etc/plain.conf\n");
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set));
        dev.svcmgr.units.PathConfig p = set.lookup("app.path").paths();
        assertEquals(List.of("/run/app/trigger"), p.pathExists());
        assertEquals(List.of("/etc/app/app.conf", "/etc/app/extra.conf"), p.pathChanged());
        assertEquals(List.of("/etc/app/"), p.pathModified());
        assertEquals(List.of("/var/spool/app"), p.directoryNotEmpty());
        assertEquals("app-worker.service", p.service());
        assertEquals(dev.svcmgr.units.PathConfig.Action.RESTART, p.action());
        dev.svcmgr.units.PathConfig q = set.lookup("plain.path").paths();
        assertEquals("plain.service", q.service());
        assertEquals(dev.svcmgr.units.PathConfig.Action.START, q.action());
    }

    static final String SOCKET = """
            listen:
              - tcp: "127.0.0.1:8080"
              - tcp: "[::1]:0"
              - tcp: ":9090"
              - unix: /run/app.sock
              - udp: "127.0.0.1:5353"
              - fifo: /run/app.fifo
                name: control
            socket-mode: "0660"
            socket-user: app
            socket-group: app
            backlog: 64
            service: app-server.service
            """;

    @Test
    void aSocketUnitRoundTripsWithEveryKey() {
        write(dir, "app.socket.yaml", SOCKET);
        write(dir, "app-server.service.yaml", "exec: /bin/true\n");
        write(dir, "plain.socket.yaml", "listen: [{unix: /run/plain.sock}]\n");
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set));
        dev.svcmgr.units.SocketConfig s = set.lookup("app.socket").socket();
        assertEquals(List.of(
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.TCP, "127.0.0.1", 8080, null, "app.socket"),
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.TCP, "::1", 0, null, "app.socket"),
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.TCP, null, 9090, null, "app.socket"),
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.UNIX, null, 0, "/run/app.sock", "app.socket"),
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.UDP, "127.0.0.1", 5353, null, "app.socket"),
                new dev.svcmgr.units.SocketConfig.Listen(dev.svcmgr.units.SocketConfig.Kind.FIFO, null, 0, "/run/app.fifo", "control")),
                s.listen());
        assertEquals(0660, s.socketMode());
        assertEquals("app", s.socketUser());
        assertEquals("app", s.socketGroup());
        assertEquals(64, s.backlog());
        assertEquals("app-server.service", s.service());
        dev.svcmgr.units.SocketConfig p = set.lookup("plain.socket").socket();
        assertEquals("plain.service", p.service());
        assertEquals(0666, p.socketMode());
        assertEquals(dev.svcmgr.units.SocketConfig.DEFAULT_BACKLOG, p.backlog());
    }

    static final Map<String, Readiness> READY_CASES = Map.of(
                "{fd: 3}", Readiness.fd(3),
                "{tcp: \"127.0.0.1:6379\"}", Readiness.tcp("127.0.0.1", 6379),
                "{tcp: \"[::1]:80\"}", Readiness.tcp("::1", 80),
                "{http: \"http://127.0.0.1:8080/healthz\"}", Readiness.http("http://127.0.0.1:8080/healthz"),
                "{exec: [redis-cli, ping]}", Readiness.exec(List.of("redis-cli", "ping")),
                "{exec: redis-cli ping}", Readiness.exec(List.of("redis-cli", "ping")),
                "{path: /run/foo/ready}", Readiness.path("/run/foo/ready"),
                "{notify: false}", Readiness.STARTED);

    @Test
    void everyReadinessKindRoundTrips() {
        int i = 0;
        for (var e : READY_CASES.entrySet()) {
            String name = "r" + (i++) + ".service";
            write(dir, name + ".yaml", "exec: /bin/true\nready: " + e.getKey() + "\n");
            UnitSet set = load(dir);
            assertEquals(List.of(), messages(set), e.getKey());
            assertEquals(e.getValue(), set.lookup(name).service().ready(), e.getKey());
        }
    }

    /** Guards the test itself: a key added to the schema without a round trip here fails. */
    @Test
    void theRoundTripDocumentsUseEveryKeyOfTheSchema() {
        String all = SERVICE + TARGET + TIMER + PATH + SOCKET + String.join("\n", READY_CASES.keySet());
        for (String path : Schema.allKeyPaths()) {
            String leaf = path.contains(".") ? path.substring(path.indexOf('.') + 1) : path;
            Matcher m = Pattern.compile("(^|[\\s{,])" + Pattern.quote(leaf) + ":", Pattern.MULTILINE).matcher(all);
            assertTrue(m.find(), "key " + path + " has no round trip");
        }
    }

    @Test
    void valuesAreReadByTheSchemaNotByYamlGuessing() {
        write(dir, "a.service.yaml", """
                exec: [/bin/echo, yes, 'on', 0x10, 1e3, ~, null]
                description: on
                restart: no
                umask: 0027
                user: yes
                environment: {A: off, B: 010, C: 1.50}
                """);
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set));
        ServiceConfig s = set.lookup("a.service").service();
        assertEquals(List.of("/bin/echo", "yes", "on", "0x10", "1e3", "~", "null"), s.exec());
        assertEquals("on", set.lookup("a.service").description());
        assertEquals(RestartPolicy.NO, s.restart());
        assertEquals(027, s.umask());
        assertEquals("yes", s.user());
        assertEquals(Map.of("A", "off", "B", "010", "C", "1.50"), s.environment());
    }

    @Test
    void defaultsFollowTheSpec() {
        write(dir, "s.service.yaml", "exec: /bin/true\n");
        write(dir, "o.service.yaml", "type: oneshot\nexec: /bin/true\n");
        UnitSet set = load(dir);
        ServiceConfig s = set.lookup("s.service").service();
        assertEquals(ServiceType.SIMPLE, s.type());
        assertEquals(RestartPolicy.ON_FAILURE, s.restart());
        assertEquals(Duration.ofMillis(100), s.restartDelay());
        assertEquals(Duration.ofSeconds(30), s.restartMaxDelay());
        assertEquals(Duration.ofSeconds(60), s.restartResetAfter());
        assertEquals(StartLimit.DEFAULT, s.startLimit());
        assertEquals(Duration.ofSeconds(90), s.timeoutStart());
        assertEquals(Duration.ofSeconds(10), s.timeoutStop());
        assertEquals(LogConfig.DEFAULT, s.log());
        assertEquals(15, s.stopSignal());
        assertEquals(Set.of(0), s.successExitStatus());
        assertEquals(Readiness.STARTED, s.ready());
        assertEquals("/", s.workingDirectory());
        assertNull(s.umask());
        assertEquals(Limits.NONE, s.limits());
        assertEquals(Sandbox.NONE, s.sandbox());
        assertEquals(RestartPolicy.NO, set.lookup("o.service").service().restart());
        assertFalse(set.lookup("o.service").service().remainAfterExit());
    }
}
