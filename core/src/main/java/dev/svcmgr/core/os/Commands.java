package dev.svcmgr.core.os;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a helper command to completion from inside the manager (a probe such as
 * {@code unshare --mount -- /bin/true}). Use this instead of {@code ProcessBuilder}:
 * the manager's reaper waits for every child with {@code waitpid(-1)}, so a
 * {@code Process} started by the JDK could lose its exit status to it.
 */
public final class Commands {
    private static ProcessRuntime runtime;

    private Commands() {}

    /**
     * The result of a command.
     *
     * @param status how it ended (null when it was killed after the timeout)
     * @param output stdout and stderr, interleaved as read
     */
    public record Result(ExitStatus status, String output) {
        /** True when it exited with status 0. */
        public boolean ok() { return status != null && status.exited() && status.code() == 0; }
    }

    private static synchronized ProcessRuntime runtime() {
        if (runtime == null) runtime = ProcessRuntime.linux("svcmgr-commands", false);
        return runtime;
    }

    /**
     * Runs {@code argv} with {@code env}, waits at most {@code timeout} (then SIGKILL),
     * and returns its status and output.
     *
     * @throws SpawnException when it could not be started
     */
    public static Result run(List<String> argv, Map<String, String> env, Duration timeout) throws SpawnException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch eof = new CountDownLatch(2);
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        OutputListener l = new OutputListener() {
            @Override
            public void data(int stream, byte[] buf, int len) {
                synchronized (out) { out.write(buf, 0, len); }
            }

            @Override
            public void closed(int stream) { eof.countDown(); }
        };
        int pid = runtime().spawn(SpawnRequest.of(argv, env, null).withRole(SpawnRequest.Role.HELPER), (p, st) -> exit.complete(st), l);
        ExitStatus st;
        try {
            st = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            eof.await(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Native.C.kill(pid, Signals.SIGKILL);
            st = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Native.C.kill(pid, Signals.SIGKILL);
            st = null;
        } catch (ExecutionException e) {
            st = null;
        }
        synchronized (out) { return new Result(st, out.toString(StandardCharsets.UTF_8)); }
    }
}
