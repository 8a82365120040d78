package dev.svcmgr.cli.e2e;

import dev.svcmgr.cli.Shells;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit names complete from a running daemon: its loaded units and a transient one that no unit
 * directory holds, found through SVCMGR_RUNTIME_DIR or --runtime-dir on the line, in bash and fish.
 */
class CompletionDaemonTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    @Test
    @DisplayName("a running daemon's units, a transient one included, complete in bash and fish")
    void unitNamesFromTheDaemon() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-complete-"));
        h.unit("alpha.service.yaml", "exec: [/bin/sleep, '600']\n");
        h.unit("alpine.service.yaml", "exec: [/bin/sleep, '600']\n");
        h.unit("multi-user.target.yaml", "wants: [alpha.service]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.Cli run = h.cli("run", "--unit", "alpaca", "--", "/bin/sleep", "600");
        assertEquals(0, run.code(), run.toString());

        Shells sh = new Shells(Files.createDirectories(h.base.resolve("shell")));
        // no --units on the line and no unit directory holds alpaca.service: these names come from the daemon
        assertEquals(List.of("alpaca.service", "alpha.service", "alpine.service"), sh.bash("svcmgr status --runtime-dir " + h.runtime + " alp"));
        sh.env.put("SVCMGR_RUNTIME_DIR", h.runtime.toString());
        assertEquals(List.of("alpaca.service", "alpha.service", "alpine.service"), sh.bash("svcmgr stop alp"));
        assertEquals(List.of("multi-user.target"), sh.bash("svcmgr isolate m"));
        if (Shells.installed("fish")) {
            assertEquals(List.of("alpaca.service"), sh.fish("svcmgr restart alpa"));
            String described = sh.run(List.of("fish", "--no-config", "-c", "source " + sh.script("fish") + "; complete -C 'svcmgr status alph'"));
            assertEquals("alpha.service\tactive (running)\n", described, "fish shows the daemon's state of the unit");
        } else {
            System.out.println("fish is not installed (.ci/run installs it); the fish half of this test did not run");
        }
        // the daemon gone, the same line offers nothing from it (the names were not cached anywhere)
        assertEquals(0, h.terminate());
        assertTrue(sh.bash("svcmgr stop alp").isEmpty());
        assertEquals(List.of("alpha.service", "alpine.service"), sh.bash("svcmgr stop --units " + h.units + " alp"));
    }
}
