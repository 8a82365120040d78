package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The readers of this process's own /proc entries, against what the kernel reports another way. */
class ProcTableTest {
    @Test
    void selfStatusGivesALineValueByItsExactKey() throws Exception {
        String pid = null;
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("Pid:")) pid = l.substring(4).strip();
        assertEquals(Long.toString(ProcessHandle.current().pid()), pid);
        assertEquals(pid, ProcTable.selfStatus("Pid"));
        assertNull(ProcTable.selfStatus("Pi"), "a prefix of a key is no key");
        assertNull(ProcTable.selfStatus("NoSuchKey"));
        assertEquals(LinuxProcessRuntime.umaskMasks(0777), Integer.parseInt(ProcTable.selfStatus("Umask"), 8) != 0);
    }

    @Test
    void niceIsTheMainThreadsFromStat() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        int expected = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        assertEquals(expected, ProcTable.nice(ProcessHandle.current().pid()));
        assertEquals(expected, OneThread.mainNice());
        assertNull(ProcTable.nice(Integer.MAX_VALUE), "no such process");
    }
}
