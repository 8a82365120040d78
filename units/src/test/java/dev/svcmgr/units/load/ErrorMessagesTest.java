package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.LoaderTestSupport.load;
import static dev.svcmgr.units.load.LoaderTestSupport.messages;
import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of load error, each checking the whole message with its position. */
class ErrorMessagesTest {
    @TempDir Path dir;

    private String f(String name) { return dir.resolve(name).toString(); }

    /** Loads one service file and returns its problems, formatted. */
    private List<String> problemsOf(String name, String yaml) {
        write(dir, name, yaml);
        return messages(load(dir));
    }

    @Test
    void unknownKeyIsAnErrorWithADidYouMean() {
        assertEquals(List.of(f("api.service.yaml") + ":2:1: error: unknown key 'restat' (did you mean 'restart'?)"),
                problemsOf("api.service.yaml", "exec: /bin/true\nrestat: always\n"));
    }

    @Test
    void unknownNestedKeyNamesItsMap() {
        assertEquals(List.of(f("a.service.yaml") + ":3:3: error: unknown key 'memroy' in 'limits' (did you mean 'memory'?)"),
                problemsOf("a.service.yaml", "exec: /bin/true\nlimits:\n  memroy: 1M\n"));
    }

    @Test
    void unknownKeyWithoutCloseMatchHasNoSuggestion() {
        assertEquals(List.of(f("a.service.yaml") + ":2:1: error: unknown key 'zzzzzzzz'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nzzzzzzzz: 1\n"));
    }

    @Test
    void topLevelKeyThatBelongsUnderInstallIsPointedThere() {
        assertEquals(List.of(f("a.service.yaml") + ":2:1: error: unknown key 'wanted-by' (did you mean 'install.wanted-by'?)"),
                problemsOf("a.service.yaml", "exec: /bin/true\nwanted-by: [x.target]\n"));
    }

    @Test
    void serviceKeyInATargetSaysWhereItBelongs() {
        assertEquals(List.of(f("t.target.yaml") + ":1:1: error: key 'exec' is only valid in a service, not in a target"),
                problemsOf("t.target.yaml", "exec: /bin/true\n"));
    }

    @Test
    void aBadCalendarEventIsAnErrorAtTheCharacterThatIsWrong() {
        assertEquals(List.of(f("b.timer.yaml") + ":3:11: error: on-calendar: unknown day name 'Fry' (expected Mon..Sun) in 'Mon..Fry 03:00'"),
                problemsOf("b.timer.yaml", "on-calendar:\n  - hourly\n  - \"Mon..Fry 03:00\"\n"));
        // the value starts at column 14 with its quote; '25' is the 7th character of the expression
        assertEquals(List.of(f("c.timer.yaml") + ":1:21: error: on-calendar: hour 25 out of range 0..23 in '*-*-* 25:00'"),
                problemsOf("c.timer.yaml", "on-calendar: \"*-*-* 25:00\"\n").stream().filter(l -> l.contains("c.timer")).toList());
    }

    @Test
    void anUnquotedCalendarEventStartingWithAStarSaysToQuoteIt() {
        assertEquals(List.of(f("s.timer.yaml") + ":1:16: error: YAML syntax error: unexpected character found *(42) (while"
                        + " scanning an alias); a value that starts with '*' must be quoted, e.g. on-calendar: \"*-*-* 03:00\""),
                problemsOf("s.timer.yaml", "on-calendar: *-*-* 03:00\n"));
    }

    @Test
    void aTimerWithoutATriggerOrWithAServiceKeySaysWhatIsMissing() {
        assertEquals(List.of(f("t.timer.yaml") + ": error: timer has no trigger (expected on-calendar, on-boot, on-active,"
                        + " on-unit-active or on-unit-inactive)"),
                problemsOf("t.timer.yaml", "description: nothing\n"));
        assertEquals(List.of(f("u.timer.yaml") + ":2:1: error: key 'exec' is only valid in a service, not in a timer"),
                problemsOf("u.timer.yaml", "on-boot: 1min\nexec: /bin/true\n").stream().filter(l -> l.contains("u.timer")).toList());
        assertEquals(List.of(f("v.timer.yaml") + ":2:10: error: service: expected a unit name like backup.service (not a timer,"
                        + " not a template), got 'v.timer'"),
                problemsOf("v.timer.yaml", "on-boot: 1min\nservice: v.timer\n").stream().filter(l -> l.contains("v.timer.yaml")).toList());
    }

    @Test
    void aPathUnitWithoutPathsOrWithABadActionOrARelativePath() {
        assertEquals(List.of(f("p.path.yaml") + ": error: path unit watches nothing (expected path-exists, path-changed,"
                        + " path-modified or directory-not-empty)"),
                problemsOf("p.path.yaml", "action: start\n"));
        assertEquals(List.of(f("q.path.yaml") + ":2:9: error: action: expected one of start, restart, reload, got 'kick'"),
                problemsOf("q.path.yaml", "path-changed: /etc/x\naction: kick\n").stream().filter(l -> l.contains("q.path")).toList());
        assertEquals(List.of(f("r.path.yaml") + ":1:15: error: path-changed: expected an absolute path, got 'etc/x'"),
                problemsOf("r.path.yaml", "path-changed: etc/x\n").stream().filter(l -> l.contains("r.path")).toList());
    }

    @Test
    void badListenEntriesSayWhatWasExpected() {
        List<String> ps = problemsOf("s.socket.yaml", """
                listen:
                  - tcp: "localhost:80"
                  - unix: run/app.sock
                  - tcp: "127.0.0.1:70000"
                  - {tcp: "127.0.0.1:1", udp: "127.0.0.1:2"}
                  - http: "x"
                  - just a string
                """);
        assertEquals(List.of(
                f("s.socket.yaml") + ":2:10: error: listen.tcp: expected an address like \"127.0.0.1:8080\", \"[::1]:8080\" or"
                        + " \":8080\" (every address; port 0 picks a free one), got 'localhost:80'",
                f("s.socket.yaml") + ":3:11: error: listen.unix: expected an absolute path of at most 107 bytes, got 'run/app.sock'",
                f("s.socket.yaml") + ":4:10: error: listen.tcp: expected an address like \"127.0.0.1:8080\", \"[::1]:8080\" or"
                        + " \":8080\" (every address; port 0 picks a free one), got '127.0.0.1:70000'",
                f("s.socket.yaml") + ":5:26: error: listen: an entry has one of tcp, unix, udp, fifo, not two",
                f("s.socket.yaml") + ":6:5: error: listen: unknown key 'http' (expected one of tcp, unix, udp, fifo, and name)",
                f("s.socket.yaml") + ":7:5: error: listen: expected an entry like {tcp|unix|udp|fifo: ADDRESS, name: NAME}, got 'just a string'"),
                ps);
        assertEquals(List.of(f("e.socket.yaml") + ": error: socket unit listens on nothing (expected listen: [{tcp: \"127.0.0.1:8080\"}]"
                        + " or unix, udp, fifo entries)"),
                problemsOf("e.socket.yaml", "backlog: 5\n").stream().filter(l -> l.contains("e.socket")).toList());
    }

    @Test
    void duplicateKeyIsAnErrorNamingTheFirst() {
        assertEquals(List.of(f("a.service.yaml") + ":3:1: error: duplicate key 'restart' (first at line 2, column 1)"),
                problemsOf("a.service.yaml", "exec: /bin/true\nrestart: always\nrestart: no\n"));
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        assertEquals(List.of(f("a.service.yaml") + ":2:14: error: description: expected a one-line string, got a list"),
                problemsOf("a.service.yaml", "exec: /bin/true\ndescription: [a, b]\n"));
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        assertEquals(List.of(f("a.service.yaml") + ":2:10: error: restart: expected one of no, on-failure, on-abnormal, always, got 'sometimes'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nrestart: sometimes\n"));
    }

    @Test
    void booleansAreOnlyTrueAndFalse() {
        assertEquals(List.of(f("a.service.yaml") + ":2:20: error: remain-after-exit: expected true or false, got 'yes'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nremain-after-exit: yes\n"));
    }

    @Test
    void badDurationSizeSignalAndPercentAreLocated() {
        assertEquals(List.of(
                        f("a.service.yaml") + ":2:16: error: timeout-start: expected a duration like 100ms, 90s, 1min 30s or infinity, got '5 parsecs'",
                        f("a.service.yaml") + ":3:14: error: stop-signal: expected a signal name like SIGTERM or a number from 1 to 64, got 'SIGFOO'",
                        f("a.service.yaml") + ":5:11: error: limits.memory: expected a size like 512M, got 'lots'",
                        f("a.service.yaml") + ":6:8: error: limits.cpu: expected a percentage like 50% (1% or more), got 'half'"),
                problemsOf("a.service.yaml", "exec: /bin/true\ntimeout-start: 5 parsecs\nstop-signal: SIGFOO\nlimits:\n  memory: lots\n  cpu: half\n"));
    }

    @Test
    void invalidUtf8IsLocated() throws Exception {
        Files.write(dir.resolve("a.service.yaml"), new byte[] {'e', 'x', 'e', 'c', ':', ' ', 'x', '\n', 'd', ':', ' ', (byte) 0xff, '\n'});
        assertEquals(List.of(f("a.service.yaml") + ":2:4: error: invalid UTF-8 (byte 0xff at offset 11); unit files must be UTF-8"),
                messages(load(dir)));
    }

    @Test
    void fileLargerThanOneMebibyteIsRefusedUnread() throws Exception {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) '#');
        Files.write(dir.resolve("big.service.yaml"), big);
        long t0 = System.nanoTime();
        UnitSet set = load(dir);
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertEquals(List.of(f("big.service.yaml") + ": error: file is 1048577 bytes, larger than the 1 MiB limit for unit files; refused unread"),
                messages(set));
        assertEquals(LoadState.BAD_SETTING, set.lookup("big.service").load());
    }

    @Test
    void aHundredMegabyteFileIsRefusedInMilliseconds() throws Exception {
        try (var f = new java.io.RandomAccessFile(dir.resolve("huge.service.yaml").toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse: costs nothing to make, would cost a lot to read
        }
        long t0 = System.nanoTime();
        List<String> m = messages(load(dir));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "took " + ms + " ms (reading and parsing 100 MB would take far longer)");
        assertEquals(List.of(f("huge.service.yaml") + ": error: file is 104857600 bytes, larger than the 1 MiB limit for unit files; refused unread"), m);
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe.service.yaml").toString()).start();
        assertEquals(0, p.waitFor());
        assertEquals(List.of(f("pipe.service.yaml") + ": error: not a regular file (a unit file must be a regular file or a symlink to one)"),
                messages(load(dir)));
    }

    @Test
    void namesStartingWithADotOrTooLongAreRefused() {
        write(dir, ".hidden.service.yaml", "exec: /bin/true\n");
        String longName = "x".repeat(248) + ".service"; // 256 characters: no file system holds such a file name
        write(dir, "a.service.yaml", "exec: /bin/true\nrequires: [" + longName + "]\n");
        assertEquals(List.of(
                f(".hidden.service.yaml") + ": error: invalid unit file name: unit name '.hidden.service' starts with '.'",
                f("a.service.yaml") + ":2:12: error: requires: unit name longer than 255 characters"), messages(load(dir)));
    }

    @Test
    void yamlSyntaxErrorIsLocated() {
        assertEquals(List.of(f("a.service.yaml") + ":2:15: error: YAML syntax error: mapping values are not allowed here"),
                problemsOf("a.service.yaml", "exec: /bin/true\ndescription: a: b\n"));
    }

    @Test
    void moreThanOneDocumentIsRefused() {
        assertEquals(List.of(f("a.service.yaml") + ":2:1: error: YAML syntax error: more than one YAML document; a unit file holds exactly one"),
                problemsOf("a.service.yaml", "exec: /bin/true\n---\nexec: /bin/false\n"));
    }

    @Test
    void topLevelMustBeAMapping() {
        assertEquals(List.of(f("a.service.yaml") + ":1:1: error: expected a mapping of keys (like 'description: ...') at the top of the unit file, got a list"),
                problemsOf("a.service.yaml", "- exec\n"));
    }

    @Test
    void applicationTagsAreRefused() {
        assertEquals(List.of(f("a.service.yaml") + ":2:14: error: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in unit files"),
                problemsOf("a.service.yaml", "exec: /bin/true\ndescription: !!python/object:os.system x\n"));
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder b = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            b.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) b.append(i == 0 ? "" : ",").append('*').append(p);
            b.append("]\n");
        }
        long t0 = System.nanoTime();
        List<String> m = problemsOf("lol.service.yaml", b.toString());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertEquals(List.of(f("lol.service.yaml") + ": error: too many YAML aliases (more than 20 to collections); refused"), m);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "exec: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertEquals(List.of(f("a.service.yaml") + ": error: YAML nested deeper than 32 levels; refused"), problemsOf("a.service.yaml", deep));
    }

    @Test
    void invalidUnitFileNameIsRefused() {
        assertEquals(List.of(f("bad name.service.yaml") + ": error: invalid unit file name: unit name 'bad name.service' has characters outside [A-Za-z0-9:_.@-]"),
                problemsOf("bad name.service.yaml", "exec: /bin/true\n"));
    }

    @Test
    void fileWithoutTypeSuffixIsRefused() {
        assertEquals(List.of(f("foo.yaml") + ": error: invalid unit file name: unit name 'foo' has no type suffix (expected .service or .target)"),
                problemsOf("foo.yaml", "exec: /bin/true\n"));
    }

    @Test
    void badNameInARelationIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":2:12: error: requires: expected a unit name like foo.service or a provided name, got '../etc/passwd'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nrequires: [../etc/passwd]\n"));
    }

    @Test
    void templateNameInARelationIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":2:9: error: wants: 'getty@.service' is a template; name an instance such as getty@foo.service"),
                problemsOf("a.service.yaml", "exec: /bin/true\nwants: [getty@.service]\n"));
    }

    @Test
    @DisplayName("a relation to the unit itself that orders it is kept (the graph reports the 1-unit cycle); others are a warning")
    void relationToItselfIsKeptWhenItOrdersAndIgnoredOtherwise() {
        write(dir, "a.service.yaml", "exec: /bin/true\nafter: [a.service]\nbefore: [a.service]\nrequires: [a.service]\n"
                + "wants: [{unit: a.service, ordered: false}]\npart-of: [a.service]\nconflicts: [a.service]\n"
                + "on-failure: [a.service]\n");
        UnitSet set = load(dir);
        assertEquals(List.of(
                f("a.service.yaml") + ":5:16: warning: wants: 'a.service' is this unit itself; ignored",
                f("a.service.yaml") + ":6:11: warning: part-of: 'a.service' is this unit itself; ignored",
                f("a.service.yaml") + ":7:13: warning: conflicts: 'a.service' is this unit itself; ignored",
                f("a.service.yaml") + ":8:14: warning: on-failure: 'a.service' is this unit itself; ignored"), messages(set));
        assertEquals(List.of("requires a.service", "after a.service", "before a.service"),
                set.lookup("a.service").dependencies().stream().map(d -> d.kind().key() + " " + d.to()).toList());
        assertEquals("a.service.yaml:2:9 (after)", set.lookup("a.service").dependencies().get(1).origin().toString()
                .replace(dir + "/", ""));
    }

    @Test
    void unresolvedRequirementIsAnErrorAndUnresolvedWantIsAWarning() {
        UnitSet set;
        write(dir, "a.service.yaml", "exec: /bin/true\nrequires: [gone.service]\nwants: [maybe.service]\nafter: [kv-store]\n");
        set = load(dir);
        assertEquals(List.of(
                f("a.service.yaml") + ":2:12: error: requires: unit 'gone.service' not found (no unit file defines it and no unit provides it)",
                f("a.service.yaml") + ":3:9: warning: wants: unit 'maybe.service' not found (no unit file defines it and no unit provides it); ignored",
                f("a.service.yaml") + ":4:9: warning: after: no unit provides 'kv-store'; ignored"), messages(set));
        assertEquals(LoadState.LOADED, set.lookup("a.service").load(), "the requirer itself loads; starting it is refused");
        assertEquals(LoadState.NOT_FOUND, set.units().get("gone.service").load());
        assertEquals(LoadState.NOT_FOUND, set.units().get("maybe.service").load());
    }

    @Test
    void unknownSpecifierInATemplateIsAnError() {
        write(dir, "t@.service.yaml", "exec: /bin/echo %i %x\n");
        write(dir, "a.service.yaml", "exec: /bin/echo 100%x\nwants: [t@one.service]\n");
        UnitSet set = load(dir);
        assertEquals(List.of(f("t@.service.yaml") + ":1:7: error: exec: unknown specifier '%x' (expected %i, %n, %N or %% in a template)"),
                messages(set));
        assertEquals(LoadState.BAD_SETTING, set.lookup("t@one.service").load());
        assertEquals(List.of("/bin/echo", "100%x"), set.lookup("a.service").service().exec(), "% is ordinary outside templates");
    }

    @Test
    void readinessTakesExactlyOneKind() {
        assertEquals(List.of(f("a.service.yaml") + ":2:1: error: ready: expected exactly one of notify, fd, tcp, http, exec, path; got fd and tcp"),
                problemsOf("a.service.yaml", "exec: /bin/true\nready: {fd: 3, tcp: \"127.0.0.1:1\"}\n"));
    }

    @Test
    void serviceWithoutExecIsAnError() {
        assertEquals(List.of(f("a.service.yaml")
                        + ": error: service has no 'exec' (expected the command that runs the service, e.g. exec: [\"/usr/bin/foo\", \"--bar\"])"),
                problemsOf("a.service.yaml", "description: nothing to run\n"));
    }

    @Test
    void unterminatedQuoteInACommandIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":1:7: error: exec: unterminated single quote at character 9 of the command"),
                problemsOf("a.service.yaml", "exec: /bin/sh 'oops\n"));
    }

    @Test
    void relativePathIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":2:20: error: working-directory: expected an absolute path, got 'var/lib'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nworking-directory: var/lib\n"));
    }

    @Test
    void watchdogWithoutNotifyIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":2:1: error: watchdog: needs the notify protocol (expected type: notify or ready: {notify: true} with it)"),
                problemsOf("a.service.yaml", "exec: /bin/true\nwatchdog: 30s\n"));
    }

    @Test
    void badEnvironmentNameIsAnError() {
        assertEquals(List.of(f("a.service.yaml") + ":2:15: error: environment: expected a variable name like MY_VAR, got 'BAD-NAME'"),
                problemsOf("a.service.yaml", "exec: /bin/true\nenvironment: {BAD-NAME: x}\n"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "type: daemon | 1:7 | type: expected one of simple, exec, notify, oneshot, forking, got 'daemon'",
        "umask: 0999 | 1:8 | umask: expected an octal mode from 0000 to 0777 like \"0027\", got '0999'",
        "ready: {fd: 1} | 1:13 | ready.fd: expected a file descriptor number from 3 to 1023, got '1'",
        "ready: {tcp: localhost} | 1:14 | ready.tcp: expected host:port like 127.0.0.1:6379, got 'localhost'",
        "ready: {http: ftp://x/y} | 1:15 | ready.http: expected an http:// URL like http://127.0.0.1:8080/healthz, got 'ftp://x/y'",
        "success-exit-status: [256] | 1:23 | success-exit-status: expected an exit status from 0 to 255, got '256'",
        "start-limit: {burst: 0} | 1:22 | start-limit.burst: expected a whole number from 1 to 1000000, got '0'",
        "log: {keep: many} | 1:13 | log.keep: expected a whole number from 0 to 1000, got 'many'",
        "user: 'a b' | 1:7 | user: expected a user name or number, got 'a b'",
        "requires: [{unit: b.service, ordered: maybe}] | 1:39 | requires.ordered: expected true or false, got 'maybe'",
        "requires: [{unit: b.service, order: false}] | 1:30 | unknown key 'order' in a requires entry (expected unit and ordered; did you mean 'ordered'?)",
        "requires: [{ordered: false}] | 1:12 | requires: an entry written as a mapping needs 'unit: <name>'",
        "wants: [[a.service]] | 1:9 | wants: expected a unit name or {unit: name, ordered: false}, got a list",
        "environment-file: [etc/env] | 1:20 | environment-file: expected an absolute path (optional with a leading '-'), got 'etc/env'",
        "conditions: {env: [1X]} | 1:20 | conditions.env: expected an environment variable name, got '1X'",
        "exec-start-pre: [{a: b}] | 1:19 | exec-start-pre: unknown key 'a' in a command entry (expected command, privileged, ignore-failure)",
        "limits: [1] | 1:9 | limits: expected a mapping with keys memory, cpu, pids, nofile, core, got a list",
        "install: {wanted-by: [x]} | 1:23 | install.wanted-by: unit name 'x' has no type suffix (expected .service or .target)",
    })
    void eachBadValueSaysWhatWasExpected(String yaml, String position, String message) {
        List<String> m = problemsOf("a.service.yaml", yaml + "\nexec: /bin/true\n");
        assertEquals(List.of(f("a.service.yaml") + ":" + position + ": error: " + message), m);
    }

    @Test
    void everyProblemOfAFileIsReportedNotJustTheFirst() {
        List<String> m = problemsOf("a.service.yaml", "exec: /bin/true\nrestat: x\nrestart: sometimes\ntype: daemon\numask: 999\n");
        assertEquals(4, m.size(), String.join("\n", m));
    }

    @Test
    @DisplayName("one bad unit never stops the others, and is kept with its problems")
    void oneBadUnitNeverStopsTheOthers() {
        write(dir, "bad.service.yaml", "exec: /bin/true\nrestart: sometimes\n");
        write(dir, "good.service.yaml", "exec: /bin/true\nrequires: [bad.service]\n");
        UnitSet set = load(dir);
        Unit bad = set.lookup("bad.service");
        assertEquals(LoadState.BAD_SETTING, bad.load());
        assertNull(bad.service());
        assertEquals("restart: expected one of no, on-failure, on-abnormal, always, got 'sometimes'", bad.firstError());
        Unit good = set.lookup("good.service");
        assertEquals(LoadState.LOADED, good.load());
        assertNotNull(good.service());
        Problem p = set.problems().get(0);
        assertEquals(Severity.ERROR, p.severity());
        assertEquals("bad.service", p.unit());
        assertEquals("restart", p.key());
    }
}
