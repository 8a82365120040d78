package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The threads kept behind the event loop, read back from /proc as the kernel has them. */
class OneThreadTest {
    /** Nice value and policy of a new thread after {@code setUp}, made by this (test) thread. */
    private static String onNewThread(Runnable setUp) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            setUp.run();
            seen.set(here());
        });
        t.start();
        t.join();
        return seen.get();
    }

    private static String here() {
        return "nice " + LogFlusherTest.niceOfThisThread() + " policy " + LogFlusherTest.policyOfThisThread();
    }

    private static String as(int nice, int policy) { return "nice " + nice + " policy " + policy; }

    @Test
    void aBackgroundThreadNeverPreemptsOnWakeUpAndIsNicerWhereThatCanBeUndone() throws InterruptedException {
        assumeTrue(OneThread.SYS_SCHED_SETSCHEDULER >= 0, "no sched_setscheduler number for " + System.getProperty("os.arch"));
        int nice = LogFlusherTest.niceOfThisThread();
        int policy = LogFlusherTest.policyOfThisThread();
        assertEquals(as(nice, policy), onNewThread(() -> { }), "a new thread as the JVM makes it: its maker's");
        assertEquals(as(OneThread.mayLowerNice() ? OneThread.BACKGROUND_NICE : nice, OneThread.SCHED_BATCH),
                onNewThread(OneThread::background));
        assertEquals(as(nice, OneThread.SCHED_BATCH), onNewThread(() -> OneThread.noWakeupPreemption(0)),
                "its share kept, its wake-ups behind the running thread");
        assertEquals(as(OneThread.mainNice(), OneThread.SCHED_OTHER), onNewThread(() -> {
            OneThread.background();
            OneThread.asTheProcessStarted();
        }), "back to the main thread's, as before an exec");
    }

    @Test
    void theCompilerThreadsGoBehindTheLoop() throws Exception {
        assumeTrue(OneThread.SYS_SCHED_SETSCHEDULER >= 0, "no sched_setscheduler number for " + System.getProperty("os.arch"));
        OneThread.compilerThreadsBehindTheLoop();
        int compilers = 0;
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File t : tasks == null ? new File[0] : tasks) {
            String comm;
            try {
                comm = Files.readString(t.toPath().resolve("comm")).strip();
            } catch (java.io.IOException e) {
                continue; // ended meanwhile
            }
            if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                compilers++;
                assertEquals(OneThread.SCHED_BATCH, LogFlusherTest.statField("self/task/" + t.getName(), 41), comm);
            }
        }
        assertTrue(compilers > 0, "this JVM has compiler threads");
        assertEquals(as(LogFlusherTest.niceOfThisThread(), LogFlusherTest.policyOfThisThread()), onNewThread(() -> { }),
                "the application's threads as they were");
    }

    @Test
    void theOutputThreadKeepsItsShareButWakesBehindTheLoop() throws Exception {
        assumeTrue(OneThread.SYS_SCHED_SETSCHEDULER >= 0, "no sched_setscheduler number for " + System.getProperty("os.arch"));
        Set<String> before = outputThreads();
        String want = as(LogFlusherTest.niceOfThisThread(), OneThread.SCHED_BATCH);
        try (OutputPump pump = new OutputPump()) {
            AtomicReference<String> seen = new AtomicReference<>();
            ProcessRuntimeTest.poll(() -> {
                for (String task : outputThreads()) {
                    if (before.contains(task)) continue;
                    seen.set(as(LogFlusherTest.statField(task, 19), LogFlusherTest.statField(task, 41)));
                    if (want.equals(seen.get())) return true;
                }
                return false;
            }, "the new pump's thread at " + want + " (now: " + seen.get() + ")");
        }
    }

    /** The /proc/self/task/TID of each thread named svcmgr-output. */
    private static Set<String> outputThreads() {
        Set<String> out = new HashSet<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File t : tasks == null ? new File[0] : tasks) {
            try {
                if (Files.readString(t.toPath().resolve("comm")).strip().equals("svcmgr-output")) out.add("self/task/" + t.getName());
            } catch (java.io.IOException e) {
                // ended meanwhile
            }
        }
        return out;
    }
}
