package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The runtime contract on the Linux adapter, with real processes: cgroup tracking, then the process-tree fallback. */
class LinuxProcessRuntimeContractTest {
    static ProcessRuntime cgroups;
    static ProcessRuntime tree;

    @BeforeAll
    static void up() {
        cgroups = ProcessRuntime.linux("svcmgr-contract-" + ProcessHandle.current().pid(), true);
        tree = ProcessRuntime.linux("svcmgr-contract-tree-" + ProcessHandle.current().pid(), false);
    }

    @AfterAll
    static void down() {
        cgroups.close();
        tree.close();
    }

    abstract static class Real extends ProcessRuntimeContract {
        @Override
        protected void await(BooleanSupplier c, String what) { RealProcesses.await(c, what); }

        /** Runs its program (sleep), with its inherited dispositions in place. */
        @Override
        protected void settled(int pid) { RealProcesses.awaitAsleepIn(pid, "sleep"); }
    }

    @Nested
    class WithCgroups extends Real {
        @Override
        protected ProcessRuntime os() { return cgroups; }

        @Test
        void theGroupsCgroupIsTheDirectoryItsProcessesAreIn() throws Exception {
            ServiceGroup g = group("contract-cg.service");
            assumeTrue(g.cgroup() != null, "no writable cgroup v2 hierarchy here (skipped): " + cgroups.tracking());
            int pid = spawn(SLEEP, g);
            settled(pid);
            assertTrue(Files.readAllLines(g.cgroup().resolve("cgroup.procs")).contains(Integer.toString(pid)));
            // what a notify sender's /proc/PID/cgroup says is matched against it (ServiceProcesses.ownsSender)
            String own = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
                    .filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
            assertTrue(g.cgroup().endsWith(own.substring(1)), g.cgroup() + " ends with " + own);
            g.killAll();
            await(g::isEmpty, "empty after killAll");
            g.release();
        }

        @Test
        void aCgroupReleasedOffTheLoopIsRemovedAndANewRunOfTheServiceKeepsItsOwn() throws Exception {
            ServiceGroup g = group("contract-release.service");
            assumeTrue(g.cgroup() != null, "no writable cgroup v2 hierarchy here (skipped): " + cgroups.tracking());
            Path dir = g.cgroup();
            int pid = spawn(SLEEP, g);
            settled(pid);
            g.killAll();
            await(g::isEmpty, "empty after killAll");
            g.release();
            await(() -> !Files.exists(dir), "the released cgroup removed by the releases' thread");

            // released and at once made again, as a restart does: the pending removal never takes the new run's cgroup
            for (int round = 0; round < 20; round++) {
                ServiceGroup a = group("contract-release.service");
                int p = spawn(SLEEP, a);
                settled(p);
                a.killAll();
                await(a::isEmpty, "empty after killAll, round " + round);
                a.release();
                ServiceGroup b = group("contract-release.service");
                assertTrue(Files.isDirectory(dir), "the next run's cgroup is there, round " + round);
                int q = spawn(SLEEP, b);
                settled(q);
                assertTrue(Files.readAllLines(dir.resolve("cgroup.procs")).contains(Integer.toString(q)),
                        "the next run is in its cgroup, round " + round);
                b.killAll();
                await(b::isEmpty, "empty after killAll, round " + round);
                b.release();
            }
            await(() -> !Files.exists(dir), "removed after the last run");
        }
    }

    @Nested
    class WithTheProcessTree extends Real {
        @Override
        protected ProcessRuntime os() { return tree; }

        @Test
        void theGroupHasNoCgroup() {
            ServiceGroup g = group("contract-tree.service");
            assertNull(g.cgroup());
            g.release();
        }
    }
}
