package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** What tests with real processes poll: a condition with a deadline, and what /proc says of a process. */
final class RealProcesses {
    private RealProcesses() {}

    /** Polls {@code c} until it holds; fails after 10 s. */
    static void await(BooleanSupplier c, String what) {
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

    /** The process's name, or "" when it is gone. */
    static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The process's state letter (R, S, D, Z, ...), or "" when it is gone. */
    static String state(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].substring(0, 1);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until {@code pid} runs {@code program} and sleeps in it: its exec is complete (the kernel
     * renames a process early in the exec, before its signal dispositions and environment are set).
     */
    static void awaitAsleepIn(int pid, String program) {
        await(() -> comm(pid).equals(program) && state(pid).equals("S"), pid + " runs " + program);
    }
}
