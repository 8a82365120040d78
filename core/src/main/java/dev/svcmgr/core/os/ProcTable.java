package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A snapshot of /proc: PID, parent, process group, session and state of every process. */
final class ProcTable {
    /** One process as /proc/PID/stat describes it. */
    record Proc(int pid, int ppid, int pgrp, int session, char state) {
        boolean zombie() { return state == 'Z' || state == 'X'; }
    }

    private static List<Proc> cached = List.of();
    private static long cachedAt;

    private ProcTable() {}

    /**
     * A snapshot at most {@code maxAgeMs} old, shared by all callers: with many services
     * stopping at once, one walk of /proc serves them all.
     */
    static synchronized List<Proc> readShared(long maxAgeMs) {
        long now = System.nanoTime();
        if (cachedAt == 0 || now - cachedAt > maxAgeMs * 1_000_000L) {
            cached = read();
            cachedAt = System.nanoTime();
        }
        return cached;
    }

    static List<Proc> read() {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                Proc proc = stat(Integer.parseInt(name));
                if (proc != null) out.add(proc);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * When the process started, in clock ticks after boot (field 22 of /proc/PID/stat), or -1 when it
     * is gone: with the PID it names one process for good (a reused PID has another start time).
     */
    static long startTime(int pid) {
        String[] f = fields(pid);
        return f == null || f.length < 20 ? -1 : Long.parseLong(f[19]);
    }

    /** The exit code field of /proc/PID/stat (a zombie's wait status), or null when unreadable. */
    static Integer exitCode(int pid) {
        String[] f = fields(pid);
        return f == null || f.length < 50 ? null : Integer.valueOf(f[49]);
    }

    /** The nice value of {@code pid} (of its main thread: field 19 of /proc/PID/stat), or null when it is gone. */
    static Integer nice(long pid) {
        String[] f = fields(pid);
        return f == null || f.length < 17 ? null : Integer.valueOf(f[16]);
    }

    /**
     * The value of line {@code key} of /proc/self/status ({@code Umask}, {@code CapEff}, ...), stripped, or
     * null when there is no such line or no /proc.
     */
    static String selfStatus(String key) {
        try {
            for (String line : KernelFiles.read("/proc/self/status").split("\n")) {
                if (line.startsWith(key) && line.length() > key.length() && line.charAt(key.length()) == ':') {
                    return line.substring(key.length() + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return null;
    }

    /** The fields after the command name (state is [0]), or null when the process is gone. */
    private static String[] fields(long pid) {
        try {
            String s = KernelFiles.read("/proc/" + pid + "/stat");
            return s.substring(s.lastIndexOf(')') + 2).strip().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The process, or null when it is gone. */
    static Proc stat(int pid) {
        try {
            String s = KernelFiles.read("/proc/" + pid + "/stat");
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            return new Proc(pid, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[0].charAt(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
