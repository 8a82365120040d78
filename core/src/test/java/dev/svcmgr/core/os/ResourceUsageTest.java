package dev.svcmgr.core.os;

import dev.svcmgr.core.os.ResourceUsage.Sample;
import dev.svcmgr.core.os.ResourceUsage.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures {@code status} shows: from the service's cgroups (pure v2, hybrid) or summed from /proc. */
class ResourceUsageTest {
    @TempDir
    Path tmp;

    private static final int SELF = (int) ProcessHandle.current().pid();

    private Path dir(String name, String... files) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < files.length; i += 2) Files.writeString(d.resolve(files[i]), files[i + 1] + "\n");
        return d;
    }

    @Test
    void onPureV2BothFiguresComeFromTheServicesDirectory() throws IOException {
        Path v2 = dir("unified/svcmgr/a.service", "memory.current", "12345", "pids.current", "3");
        ResourceUsage u = new ResourceUsage(v2, null, v2, v2);
        assertEquals(new Sample(12345L, 3, Source.CGROUP), u.sample(List.of(SELF)));
    }

    @Test
    void onAHybridHostTheFiguresComeFromTheV1MemoryAndPidsDirectories() throws IOException {
        Path v2 = dir("unified/svcmgr/a.service");
        Path mem = dir("memory/x/svcmgr/a.service", "memory.usage_in_bytes", "4096");
        Path pids = dir("pids/svcmgr/a.service", "pids.current", "2");
        ResourceUsage u = new ResourceUsage(null, mem, pids, v2);
        assertEquals(new Sample(4096L, 2, Source.CGROUP), u.sample(List.of(SELF)));
    }

    @Test
    void withoutCgroupFiguresMemoryIsTheResidentSizeAndTasksTheThreadsOfItsProcesses() throws IOException {
        Sample s = ResourceUsage.NONE.sample(List.of(SELF));
        assertEquals(Source.PROCESSES, s.source());
        long rssKb = status("VmRSS");
        // the JVM's resident size moves a little between two reads; the figure is this process's, in bytes
        assertTrue(Math.abs(s.memoryBytes() / 1024 - rssKb) < rssKb / 2, s + " vs VmRSS " + rssKb + " kB");
        assertTrue(s.tasks() > 1, "a JVM has several threads: " + s);
    }

    @Test
    void aMissingFigureIsTakenFromTheProcessesAndTheMemorySourceStaysTheCgroups() throws IOException {
        Path v2 = dir("unified/svcmgr/a.service", "memory.current", "8192");
        Sample s = new ResourceUsage(v2, null, null, v2).sample(List.of(SELF));
        assertEquals(8192L, s.memoryBytes());
        assertEquals(Source.CGROUP, s.source());
        assertTrue(s.tasks() > 1, "threads from /proc: " + s);
    }

    @Test
    void aProcessThatEndedCountsNothing() {
        assertEquals(new Sample(null, 0, Source.PROCESSES), ResourceUsage.NONE.sample(List.of(Integer.MAX_VALUE)));
    }

    @Test
    void givenFiguresAreTheGroupsOwn() {
        assertEquals(new Sample(0L, 2, Source.CGROUP), ResourceUsage.of(0L, 2L, 0).sample(List.of()));
        assertNull(ResourceUsage.of(null, null, 0).sample(List.of()).memoryBytes());
    }

    private static long status(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError(key + " not in /proc/self/status");
    }
}
