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
        fl.execute(() -> ran.add("nice " + niceOfThisThread()));
        ProcessRuntimeTest.poll(() -> ran.size() == 202, "the nice value read on the flusher's thread");
        assertEquals("nice " + OneThread.BACKGROUND_NICE, ran.get(201), "behind the loop");
        // a task that ends the thread with an Error: the next task starts another
        fl.execute(() -> {
            throw new StackOverflowError("injected by the test");
        });
        fl.execute(() -> ran.add("after the error " + Thread.currentThread().getName()));
        ProcessRuntimeTest.poll(() -> ran.size() == 203, "the task queued after the Error");
        assertEquals("after the error svcmgr-logs", ran.get(202));
    }


    static int niceOfThisThread() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat")).split("\\) ")[1].split(" ");
            return Integer.parseInt(f[16]); // field 19, nice
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
