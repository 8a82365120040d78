package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.LoaderTestSupport.load;
import static dev.svcmgr.units.load.LoaderTestSupport.messages;
import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceDirectories;
import dev.svcmgr.units.UnitSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** units.md "Keys for packaged daemons": the directory keys and the mapping form of each command key. */
class PackagedDaemonKeysTest {
    @TempDir Path dir;

    private String f(String name) { return dir.resolve(name).toString(); }

    private ServiceConfig loadService(String yaml) {
        write(dir, "a.service.yaml", yaml);
        UnitSet set = load(dir);
        assertEquals(List.of(), messages(set));
        return set.lookup("a.service").service();
    }

    private List<String> problemsOf(String yaml) {
        write(dir, "a.service.yaml", yaml);
        return messages(load(dir));
    }

    @Test
    void theSpecExampleLoads() {
        ServiceConfig s = loadService("""
                exec: /usr/bin/redis-server
                runtime-directory: [redis]
                state-directory: [redis]
                logs-directory: [redis]
                cache-directory: [redis]
                directory-mode: "0755"
                exec-start-pre:
                  - command: ["/usr/bin/install", "-d", "/srv/x"]
                    privileged: true
                  - command: ["/usr/bin/check-config"]
                    ignore-failure: true
                """);
        assertEquals(new ServiceDirectories(List.of("redis"), List.of("redis"), List.of("redis"), List.of("redis"), 0755), s.directories());
        assertEquals(List.of(new ExecCommand(List.of("/usr/bin/install", "-d", "/srv/x"), true, false),
                new ExecCommand(List.of("/usr/bin/check-config"), false, true)), s.execStartPre());
    }

    @Test
    void everyCommandKeyTakesEachFormAndTheFlagsDefaultToFalse() {
        ServiceConfig s = loadService("""
                exec: /bin/true
                exec-start-pre: [[/bin/a, x], "/bin/b 'y z'", {command: /bin/c -v}, {command: [/bin/d], privileged: false, ignore-failure: false}]
                exec-start-post: [{command: /bin/e, privileged: true, ignore-failure: true}]
                exec-reload: {command: [/bin/kill, -HUP, $MAINPID], ignore-failure: true}
                exec-stop: {command: /bin/f, privileged: true}
                """);
        assertEquals(List.of(ExecCommand.of(List.of("/bin/a", "x")), ExecCommand.of(List.of("/bin/b", "y z")),
                ExecCommand.of(List.of("/bin/c", "-v")), ExecCommand.of(List.of("/bin/d"))), s.execStartPre());
        assertEquals(List.of(new ExecCommand(List.of("/bin/e"), true, true)), s.execStartPost());
        assertEquals(new ExecCommand(List.of("/bin/kill", "-HUP", "$MAINPID"), false, true), s.execReload());
        assertEquals(List.of(new ExecCommand(List.of("/bin/f"), true, false)), s.execStop());
    }

    @Test
    void withoutTheKeysNothingIsAskedFor() {
        ServiceConfig s = loadService("exec: /bin/true\n");
        assertEquals(ServiceDirectories.NONE, s.directories());
        assertNull(s.execReload());
        assertEquals(List.of(), s.execStartPre());
    }

    @Test
    void directoryListsAppendInDropInsAndNestedNamesAreAccepted() {
        write(dir, "a.service.d/more.yaml", "runtime-directory: [b/c]\ndirectory-mode: 0700\n");
        ServiceConfig s = loadService("exec: /bin/true\nruntime-directory: a\n");
        assertEquals(List.of("a", "b/c"), s.directories().runtime());
        assertEquals(0700, s.directories().mode());
    }

    @Test
    void aDirectoryNameMustBeRelativeWithoutDotDot() {
        assertEquals(List.of(
                f("a.service.yaml") + ":2:21: error: runtime-directory: expected a relative directory name like redis or redis/sub"
                        + " (no leading '/'), got '/run/x'",
                f("a.service.yaml") + ":3:19: error: state-directory: expected a directory name without '.' or '..' parts, got 'a/../b'",
                f("a.service.yaml") + ":4:18: error: logs-directory: expected a directory name without empty parts ('//'), got 'a//b'",
                f("a.service.yaml") + ":5:18: error: cache-directory: expected a directory name without a trailing '/', got 'x/'"),
                problemsOf("""
                        exec: /bin/true
                        runtime-directory: [/run/x]
                        state-directory: [a/../b]
                        logs-directory: [a//b]
                        cache-directory: x/
                        """));
    }

    @Test
    void aBadDirectoryModeSaysWhatWasExpected() {
        assertEquals(List.of(f("a.service.yaml") + ":2:17: error: directory-mode: expected an octal mode from 0000 to 7777 like \"0755\", got '0855'"),
                problemsOf("exec: /bin/true\ndirectory-mode: \"0855\"\n"));
    }

    @Test
    void aCommandMappingWithABadKeyOrFlagOrNoCommandIsLocated() {
        assertEquals(List.of(
                f("a.service.yaml") + ":3:5: error: exec-start-pre: unknown key 'privilegd' in a command entry"
                        + " (expected command, privileged, ignore-failure; did you mean 'privileged'?)",
                f("a.service.yaml") + ":5:39: error: exec-start-pre.ignore-failure: expected true or false, got 'yes'",
                f("a.service.yaml") + ":6:5: error: exec-start-pre: an entry written as a mapping needs 'command' (a list of words or a string)",
                f("a.service.yaml") + ":7:23: error: exec-stop.command: expected a non-empty command"),
                problemsOf("""
                        exec: /bin/true
                        exec-start-pre:
                          - privilegd: true
                            command: /bin/a
                          - {command: /bin/b, ignore-failure: yes}
                          - privileged: true
                        exec-stop: [{command: []}]
                        """));
    }

    @Test
    void aMappingIsNoCommandForExecOrAReadinessProbe() {
        assertEquals(List.of(f("a.service.yaml") + ":1:7: error: exec: expected a command (a list of words, or a string split like a shell), got a mapping"),
                problemsOf("exec: {command: /bin/true}\n"));
    }
}
