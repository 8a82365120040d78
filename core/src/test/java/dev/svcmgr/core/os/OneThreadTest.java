package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The threads kept behind the event loop, read back from /proc as the kernel has them. */
class OneThreadTest {
    private static String onNewThread(Runnable setUp) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            setUp.run();
            seen.set("nice " + LogFlusherTest.niceOfThisThread() + " policy " + LogFlusherTest.policyOfThisThread());
        });
        t.start();
        t.join();
        return seen.get();
    }

    @Test
    void aBackgroundThreadIsNicerAndNeverPreemptsOnWakeUp() throws InterruptedException {
        assertEquals("nice 0 policy 0", onNewThread(() -> { }), "a thread as the JVM makes it");
        assertEquals("nice " + OneThread.BACKGROUND_NICE + " policy " + OneThread.SCHED_BATCH, onNewThread(OneThread::background));
        assertEquals("nice 0 policy " + OneThread.SCHED_BATCH, onNewThread(() -> OneThread.noWakeupPreemption(0)),
                "its share kept, its wake-ups behind the running thread");
    }

    @Test
    void theCompilerThreadsGoBehindTheLoop() throws Exception {
        OneThread.compilerThreadsBehindTheLoop();
        List<String> compilers = new ArrayList<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File t : tasks == null ? new File[0] : tasks) {
            String comm;
            try {
                comm = Files.readString(t.toPath().resolve("comm")).strip();
            } catch (java.io.IOException e) {
                continue; // ended meanwhile
            }
            if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                compilers.add(comm + " policy " + LogFlusherTest.statField("self/task/" + t.getName(), 41));
            }
        }
        assertFalse(compilers.isEmpty(), "this JVM has compiler threads");
        for (String c : compilers) assertEquals(OneThread.SCHED_BATCH, Integer.parseInt(c.substring(c.lastIndexOf(' ') + 1)), c);
        assertEquals("nice 0 policy 0", onNewThread(() -> { }), "the application's threads as they were");
    }

    @Test
    void theOutputThreadKeepsItsShareButWakesBehindTheLoop() throws Exception {
        try (OutputPump pump = new OutputPump()) {
            ProcessRuntimeTest.poll(() -> ("nice 0 policy " + OneThread.SCHED_BATCH).equals(outputThread()),
                    "the output thread at nice 0, SCHED_BATCH (now: " + outputThread() + ")");
        }
    }

    /** Nice and policy of the thread named svcmgr-output, or null. */
    private static String outputThread() {
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File t : tasks == null ? new File[0] : tasks) {
            try {
                if (Files.readString(t.toPath().resolve("comm")).strip().equals("svcmgr-output")) {
                    String task = "self/task/" + t.getName();
                    return "nice " + LogFlusherTest.statField(task, 19) + " policy " + LogFlusherTest.statField(task, 41);
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // ended meanwhile
            }
        }
        return null;
    }
}
