package dev.svcmgr.core.os;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The removal of ended runs' directories on the releases thread, on real directories (an rmdir of a
 * plain directory behaves as one of a cgroup's: it fails while something is inside).
 */
class CgroupReleasesTest {
    @TempDir Path tmp;

    @Test
    @DisplayName("a burst of 300 releases: every directory removed, its extra directories first; a populated one left in place")
    void aBurstOfReleasesRemovesEveryEmptyDirectory() throws Exception {
        CgroupReleases r = new CgroupReleases();
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Path d = Files.createDirectory(tmp.resolve("run" + i));
            Path extra = Files.createDirectory(tmp.resolve("limits" + i));
            dirs.add(d);
            dirs.add(extra);
            r.release(d, List.of(extra));
        }
        Path busy = Files.createDirectory(tmp.resolve("busy"));
        Files.writeString(busy.resolve("cgroup.procs"), "1\n");
        r.release(busy, List.of());
        ProcessRuntimeTest.poll(() -> dirs.stream().noneMatch(Files::exists), "every empty directory removed");
        r.close();
        assertTrue(Files.isDirectory(busy), "still populated: left for the next start");
    }

    @Test
    @DisplayName("a directory made again right after its release is never removed by the old run's removal")
    void aDirectoryMadeAgainAfterSettleStays() throws Exception {
        CgroupReleases r = new CgroupReleases();
        List<Path> again = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Path d = Files.createDirectory(tmp.resolve("svc" + (i % 7) + "-" + i));
            r.release(d, List.of());
            if (i % 2 == 0) {
                r.settle(d);                  // what a new run does before it makes its cgroup
                assertFalse(Files.exists(d), "settled: the pending removal done");
                Files.createDirectory(d);
                again.add(d);
            }
        }
        r.flush();
        for (Path d : again) assertTrue(Files.isDirectory(d), d + " made again after its release");
        r.close();
        for (Path d : again) assertTrue(Files.isDirectory(d), d + " still there after close");
    }
}
