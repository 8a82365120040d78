package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager's log lines written off the loop: in order, on their own thread, none left behind by flushNow. */
class LogFlusherTest {
    @Test
    void theFlusherRunsTasksInOrderOnItsThreadAndFlushNowLeavesNoneBehind() throws Exception {
        LogFlusher fl = new LogFlusher();
        List<String> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 200; i++) {
            int k = i;
            fl.execute(() -> ran.add(k + " " + Thread.currentThread().getName()));
        }
        fl.flushNow();
        assertEquals(200, ran.size(), "every task done when flushNow returns");
        for (int i = 0; i < 200; i++) assertTrue(ran.get(i).startsWith(i + " "), ran.get(i));
        assertEquals(0, fl.queued());
        fl.execute(() -> ran.add("later " + Thread.currentThread().getName()));
        ProcessRuntimeTest.poll(() -> ran.size() == 201, "the task queued after flushNow");
        assertEquals("later svcmgr-logs", ran.get(200), "run by the flusher's own thread");
        fl.execute(() -> ran.add("nice " + niceOfThisThread() + " policy " + policyOfThisThread()));
        ProcessRuntimeTest.poll(() -> ran.size() == 202, "the nice value read on the flusher's thread");
        int nice = OneThread.mayLowerNice() ? OneThread.BACKGROUND_NICE : niceOfThisThread();
        assertEquals("nice " + nice + " policy " + (OneThread.SYS_SCHED_SETSCHEDULER >= 0 ? OneThread.SCHED_BATCH : 0), ran.get(201),
                "behind the loop, and never ahead of it when woken");
        // a task that ends the thread with an Error: the next task starts another
        fl.execute(() -> {
            throw new StackOverflowError("injected by the test");
        });
        fl.execute(() -> ran.add("after the error " + Thread.currentThread().getName()));
        ProcessRuntimeTest.poll(() -> ran.size() == 203, "the task queued after the Error");
        assertEquals("after the error svcmgr-logs", ran.get(202));
    }


    static int niceOfThisThread() { return statField("thread-self", 19); }

    /** The scheduling policy (0 SCHED_OTHER, 3 SCHED_BATCH, ...). */
    static int policyOfThisThread() { return statField("thread-self", 41); }

    /** Field {@code n} (numbered as proc(5) does) of /proc/{@code task}/stat. */
    static int statField(String task, int n) {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", task, "stat")).split("\\) ")[1].split(" ");
            return Integer.parseInt(f[n - 3]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
