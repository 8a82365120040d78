package dev.svcmgr.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The completion scripts of {@code svcmgr completion}, run by real bash, zsh and fish, complete
 * commands, options, option values and (offline, from a unit directory) unit names; the daemon-backed
 * case is in {@code e2e.CompletionDaemonTest}.
 */
class CompletionTest {
    /** A unit directory with services, a target, a timer and a template. */
    private static Path units(Path dir) throws Exception {
        Path u = Files.createDirectories(dir.resolve("units"));
        for (String f : List.of("web.service.yaml", "worker@.service.yaml", "workers.target.yaml", "backup.timer.yaml", "api.service.yaml"))
            Files.writeString(u.resolve(f), "description: x\n");
        Files.createDirectories(u.resolve("web.service.d"));
        Files.writeString(u.resolve("README.txt"), "not a unit\n");
        return u;
    }

    @Test
    @DisplayName("bash: commands from the model, options, enum values, unit names from --units DIR, directories for DIR options")
    void bashCompletes(@TempDir Path dir) throws Exception {
        Shells sh = new Shells(dir);
        Path u = units(dir);
        assertEquals(List.of("is-system-running"), sh.bash("svcmgr is-sys"));
        assertTrue(sh.bash("svcmgr analyze ").containsAll(List.of("blame", "critical-chain", "plot", "calendar")));
        assertTrue(sh.bash("svcmgr status --run").contains("--runtime-dir"));
        assertEquals(List.of("--runtime-dir"), sh.bash("svcmgr --run"), "a global option before the command name");
        assertEquals(List.of("fish"), sh.bash("svcmgr completion f"));
        List<String> help = sh.bash("svcmgr help list-");
        assertTrue(help.contains("list-units") && help.contains("list-timers") && help.stream().allMatch(c -> c.startsWith("list-")), help.toString());
        assertEquals(List.of("web.service", "worker@.service", "workers.target"), sh.bash("svcmgr status --units " + u + " w"));
        assertEquals(List.of("api.service"), sh.bash("svcmgr --units " + u + " start a"));
        assertEquals(List.of("api.service"), sh.bash("svcmgr start --units = " + u + " a"), "--units=DIR, which bash splits at '='");
        assertEquals(List.of("backup.timer"), sh.bash("svcmgr plan start --units " + u + " b"));
        assertEquals(List.of("restart", "reload"), sh.bash("svcmgr plan re"));
        assertEquals(List.of(u + "/web.service.d"), sh.bash("svcmgr verify --units " + u + "/web"), "directories for --units");
        assertEquals(List.of(u + "/web.service.d"), sh.bash("svcmgr verify --units = " + u + "/web"), "--units=DIR, which bash splits at '='");
        assertEquals(List.of(), sh.bash("svcmgr __comp"), "the hidden helper is not offered");
    }

    @Test
    @DisplayName("fish: the same candidates through complete -C, with descriptions")
    void fishCompletes(@TempDir Path dir) throws Exception {
        assumeTrue(Shells.installed("fish"), "fish is not installed (.ci/run installs it); skipping the fish completion test");
        Shells sh = new Shells(dir);
        Path u = units(dir);
        List<String> sta = sh.fish("svcmgr sta");
        assertTrue(sta.contains("start") && sta.contains("status"), sta.toString());
        assertTrue(sh.run(List.of("fish", "--no-config", "-c", "source " + sh.script("fish") + "; complete -C 'svcmgr is-sys'"))
                .startsWith("is-system-running\t"), "a command comes with its description");
        assertTrue(sh.fish("svcmgr list-units --a").contains("--all"));
        assertEquals(List.of("web.service", "worker@.service", "workers.target"), sh.fish("svcmgr restart --units " + u + " w"));
        assertEquals(List.of("zsh"), sh.fish("svcmgr completion z"));
    }

    @Test
    @DisplayName("zsh: _svcmgr from $fpath is registered by compinit and offers commands, options and unit names")
    void zshCompletes(@TempDir Path dir) throws Exception {
        assumeTrue(Shells.installed("zsh"), "zsh is not installed (.ci/run installs it); skipping the zsh completion test");
        Shells sh = new Shells(dir);
        Path u = units(dir);
        assertEquals(List.of("is-system-running"), sh.zsh("svcmgr is-sys"));
        assertTrue(sh.zsh("svcmgr status --j").contains("--json"));
        assertEquals(List.of("web.service", "worker@.service", "workers.target"), sh.zsh("svcmgr stop --units " + u + " w"));
        assertEquals(List.of(":files -/"), sh.zsh("svcmgr verify --units "));
    }

    @Test
    @DisplayName("zsh, interactive: a TAB typed into a real zsh (zpty) completes the command and lists unit names")
    void zshCompletesInATerminal(@TempDir Path dir) throws Exception {
        assumeTrue(Shells.installed("zsh"), "zsh is not installed (.ci/run installs it); skipping the zsh completion test");
        Shells sh = new Shells(dir);
        Path u = units(dir);
        String one = sh.zshTerminal("svcmgr is-sys", "is-system-running");
        assertTrue(one.contains("svcmgr is-system-running"), one);
        String many = sh.zshTerminal("svcmgr stop --units " + u + " worker", "workers.target");
        assertTrue(many.contains("worker@.service") && many.contains("workers.target") && !many.contains("web.service"), many);
    }

    @Test
    @DisplayName("an unknown shell is a usage error naming the three")
    void unknownShell() {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "completion", "tcsh"));
        assertEquals("svcmgr: completion: expected bash, zsh or fish, not 'tcsh'\n", err.toString());
    }
}
