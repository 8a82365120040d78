package dev.svcmgr.cli.e2e;

import dev.svcmgr.cli.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real daemon in its own JVM process (the same {@code Main} users run), with
 * private unit, runtime, log and state directories, and the CLI called through
 * {@link Main#run} against it.
 */
final class DaemonHarness implements AutoCloseable {
    final Path base;
    final Path units;
    final Path runtime;
    final Path logs;
    final Path state;
    final Path stdout;
    final Path stderr;
    private Process process;
    /** The daemon's stdout a pipe this harness never reads (it fills at 64 KiB), instead of {@link #stdout}. */
    boolean stdoutUnread;
    /** Extra environment for the daemon (the launcher's {@code _JAVA_SR_SIGNUM} is always set, as ./svcmgr does). */
    final java.util.Map<String, String> env = new java.util.HashMap<>();

    /** The result of one CLI call. */
    record Cli(int code, String out, String err) {
        @Override
        public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    DaemonHarness(Path base) throws IOException {
        this.base = base;
        // world-readable so an unprivileged client can reach the socket
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.units = Files.createDirectories(base.resolve("units"));
        this.runtime = base.resolve("run");
        this.logs = base.resolve("log");
        this.state = base.resolve("state");
        this.stdout = base.resolve("daemon.out");
        this.stderr = base.resolve("daemon.err");
    }

    /** Writes a unit file. */
    DaemonHarness unit(String file, String yaml) throws IOException {
        Files.writeString(units.resolve(file), yaml);
        return this;
    }

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "dev.svcmgr.cli.Main"));
    }

    /** The daemon command line with this harness's directories, then {@code extra}. */
    List<String> daemonArgs(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("daemon", "--units", units.toString(), "--runtime-dir", runtime.toString(),
                "--log-dir", logs.toString(), "--state-dir", state.toString()));
        cmd.addAll(Arrays.asList(extra));
        return cmd;
    }

    /** Starts the daemon and waits until its control socket answers. */
    DaemonHarness start(String... extra) throws Exception {
        return startWith(List.of(), extra);
    }

    /** Starts the daemon behind {@code prefix} (e.g. unshare) and waits until its socket answers. */
    DaemonHarness startWith(List<String> prefix, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(java());
        cmd.addAll(daemonArgs(extra));
        return launch(cmd);
    }

    /** Starts {@code svcmgr ARGS} (a daemon command line of the caller's own) and waits until the socket answers. */
    DaemonHarness startWithArgs(List<String> args) throws Exception {
        List<String> cmd = java();
        cmd.addAll(args);
        return launch(cmd);
    }

    private DaemonHarness launch(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("_JAVA_SR_SIGNUM", "64");
        pb.environment().putAll(env);
        if (stdoutUnread) pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        else pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        process = pb.start();
        await("the daemon's control socket", Duration.ofSeconds(30), () -> {
            if (!process.isAlive()) throw new AssertionError("daemon exited early: " + read(stderr));
            return socketAnswers();
        });
        return this;
    }

    private boolean socketAnswers() {
        Cli c = cli("list-units");
        return c.code() == 0;
    }

    Process process() { return process; }

    /** Runs the CLI in this JVM, against this daemon. */
    Cli cli(String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        int dashes = a.indexOf("--");
        int at = dashes < 0 ? a.size() : dashes;
        a.add(at, runtime.toString());
        a.add(at, "--runtime-dir");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), a.toArray(new String[0]));
        return new Cli(code, out.toString(), err.toString());
    }

    /** Polls {@code cond} until it holds or the deadline passes. */
    static void await(String what, Duration limit, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        long pause = 5;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return;
            TimeUnit.MILLISECONDS.sleep(pause);
            pause = Math.min(100, pause * 2);
        }
        throw new AssertionError("timed out after " + limit.toSeconds() + "s waiting for " + what);
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Zombie processes whose parent is {@code ppid}. */
    static List<String> zombiesOf(long ppid) {
        List<String> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) continue;
                try {
                    String st = Files.readString(p.resolve("status"));
                    if (st.contains("State:\tZ") && st.contains("\nPPid:\t" + ppid + "\n")) out.add(p.getFileName().toString());
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Sends SIGTERM and waits for the daemon to exit; returns its exit code. */
    int terminate() throws InterruptedException {
        if (process == null) return -1;
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not exit within 60s of SIGTERM: " + read(stdout));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        try (var files = Files.walk(base)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
