package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces this process with a new one of the same command line ({@code daemon-reexec}, and the
 * manager's recovery from a fatal error inside the JVM): the PID stays, so every service stays
 * this process's child; every descriptor above 2 is closed by the exec; the signal mask is
 * cleared. The caller writes the state the new image needs before.
 */
public final class Exec {
    private Exec() {}

    /** This process's argv, as the kernel has it ({@code /proc/self/cmdline}). */
    public static List<String> commandLine() throws IOException {
        byte[] b = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
        return out;
    }

    /** The running program's path (the JVM's launcher), as the next image must be started. */
    public static String program() {
        try {
            String p = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
            if (!p.endsWith(" (deleted)")) return p;
        } catch (IOException e) {
            // fall back to the JDK's view
        }
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Executes {@code program} with {@code argv} and {@code env} in place of this process. Returns
     * only on failure, with the reason.
     */
    public static String replaceProcess(String program, List<String> argv, Map<String, String> env) {
        return replaceProcess(program, argv, env, List.of());
    }

    /** As above, {@code inherit} (the sockets of socket units, handed over) staying open across the exec. */
    public static String replaceProcess(String program, List<String> argv, Map<String, String> env, List<Integer> inherit) {
        List<Object> keep = new ArrayList<>();
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        Pointer argvP = Native.cStrings(argv, keep);
        Pointer envP = Native.cStrings(envp, keep);
        // every descriptor the JVM opened (some without O_CLOEXEC) closes at the exec
        if (Native.C.syscall(Native.SYS_CLOSE_RANGE, 3, 0xFFFFFFFFL, Native.CLOSE_RANGE_CLOEXEC) != 0) {
            // before Linux 5.11: one by one
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path f : (Iterable<Path>) fds::iterator) {
                    int fd = Integer.parseInt(f.getFileName().toString());
                    if (fd > 2) Native.C.fcntl(fd, Native.F_SETFD, 1 /* FD_CLOEXEC */);
                }
            } catch (IOException | RuntimeException e) {
                // the exec goes on; a leaked descriptor is a smaller harm than no re-execution
            }
        }
        for (int fd : inherit) Native.C.fcntl(fd, Native.F_SETFD, 0);
        Pointer empty = Memory.allocateDirect(Native.RT, 128, true);
        Native.C.sigemptyset(empty);
        Native.C.sigprocmask(2 /* SIG_SETMASK */, empty, null);
        OneThread.asTheProcessStarted(); // the exec keeps this thread's policy and nice value for the next image
        Native.C.execve(program, argvP, envP);
        return Native.strerror(Native.errno());
    }
}
