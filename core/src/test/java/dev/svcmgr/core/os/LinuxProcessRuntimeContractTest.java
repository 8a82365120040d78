package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

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
        protected void await(BooleanSupplier c, String what) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (!c.getAsBoolean()) {
                if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** Runs its program (sleep), with its inherited dispositions in place. */
        @Override
        protected void settled(int pid) {
            await(() -> comm(pid).equals("sleep"), "process " + pid + " runs sleep");
        }

        private static String comm(int pid) {
            try {
                return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            } catch (IOException e) {
                return "";
            }
        }
    }

    @Nested
    class WithCgroups extends Real {
        @Override
        protected ProcessRuntime os() { return cgroups; }
    }

    @Nested
    class WithTheProcessTree extends Real {
        @Override
        protected ProcessRuntime os() { return tree; }
    }
}
