package dev.svcmgr.core.os;

import com.kenai.jffi.MemoryIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** malloc_trim through the real C library: memory freed inside an arena goes back to the kernel. */
class NativeHeapTest {
    private static long rssKiB() throws Exception {
        String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(f[1]) * 4;
    }

    @Test
    @DisplayName("32 MiB malloc'd in 64 KiB blocks, 7 of 8 freed (holes glibc keeps): the trim gives most of it back")
    void trimReturnsFreedArenaMemory() throws Exception {
        MemoryIO io = MemoryIO.getInstance();
        int n = 512;
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = io.allocateMemory(64 * 1024, false);
            io.setMemory(blocks[i], 64 * 1024, (byte) 1); // written: resident
        }
        for (int i = 0; i < n; i++) if (i % 8 != 7) io.freeMemory(blocks[i]);
        long before = rssKiB();
        assertTrue(NativeHeap.trim(), "glibc has malloc_trim");
        long after = rssKiB();
        for (int i = 7; i < n; i += 8) io.freeMemory(blocks[i]);
        assertTrue(before - after >= 14 * 1024, "RSS " + before + " -> " + after + " KiB: at least half of the 28 MiB freed returned");
    }
}
