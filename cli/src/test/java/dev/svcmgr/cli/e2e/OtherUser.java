package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real second account for the control-socket security tests: made with {@code useradd} (a
 * free uid, any name, even {@code 0}), removed with {@code userdel}, and a small Python client
 * ({@link #CLIENT}) run as that uid through {@code setpriv} to talk to the daemon the way an
 * attacker would. Also reads a daemon's threads, descriptors and memory from /proc.
 */
final class OtherUser implements AutoCloseable {
    final String name;
    final int uid;
    private final Path script;
    private final List<Process> started = new ArrayList<>();

    private OtherUser(String name, int uid, Path script) {
        this.name = name;
        this.uid = uid;
        this.script = script;
    }

    /** Skips the calling test unless it runs as root with useradd, setpriv and /usr/bin/python3. */
    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make accounts and act as them");
        for (String tool : List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/setpriv", "/usr/bin/python3")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool);
        }
    }

    /** A new account named {@code name} (null: a random name) with a uid no account has. */
    static OtherUser create(String name) throws Exception {
        assumeAvailable();
        int uid = freeUid();
        String n = name != null ? name : "svct" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Process p = new ProcessBuilder("/usr/sbin/useradd", "-M", "-N", "-u", Integer.toString(uid), "-s", "/usr/sbin/nologin", n)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "useradd " + n + " failed: " + out);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-client-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = dir.resolve("client.py");
        Files.writeString(script, CLIENT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        return new OtherUser(n, uid, script);
    }

    private static int freeUid() throws IOException {
        Set<Integer> used = new HashSet<>();
        for (String l : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = l.split(":");
            if (f.length > 2) {
                try {
                    used.add(Integer.parseInt(f[2]));
                } catch (NumberFormatException ignored) {
                    // a malformed line
                }
            }
        }
        for (int u = 42_000 + (int) (ProcessHandle.current().pid() % 500); u < 60_000; u++) if (!used.contains(u)) return u;
        throw new IOException("no free uid");
    }

    /** Starts the Python client as this user: {@code client.py SOCKET ARGS...}. */
    Process start(Path socket, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=65534", "--clear-groups",
                "/usr/bin/python3", script.toString(), socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return p;
    }

    /** Runs the client to its end and returns its one line of JSON output. */
    @SuppressWarnings("unchecked")
    Map<String, Object> run(Path socket, long timeoutSeconds, String... args) throws Exception {
        Process p = start(socket, args);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("client " + String.join(" ", args) + " did not finish within " + timeoutSeconds + " s");
        }
        String last = out.contains("\n") ? out.substring(out.lastIndexOf('\n') + 1) : out;
        return (Map<String, Object>) Json.parse(last);
    }

    /** A client that keeps connections open; ask it how they are with {@link #status}. */
    final class Holder implements AutoCloseable {
        private final Process p;
        private final BufferedReader in;
        private final Writer out;
        final Map<String, Object> opened;

        @SuppressWarnings("unchecked")
        Holder(Path socket, int n, String request) throws IOException {
            p = request == null ? start(socket, "hold", Integer.toString(n)) : start(socket, "hold", Integer.toString(n), request);
            in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            out = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            String first = in.readLine();
            if (first == null) throw new IOException("the holding client ended at once");
            opened = (Map<String, Object>) Json.parse(first);
        }

        /** {@code open}, {@code closed} and {@code errors} (first lines of the connections the daemon closed). */
        @SuppressWarnings("unchecked")
        Map<String, Object> status() throws IOException {
            out.write("status\n");
            out.flush();
            String l = in.readLine();
            if (l == null) throw new IOException("the holding client ended");
            return (Map<String, Object>) Json.parse(l);
        }

        @Override
        public void close() throws InterruptedException {
            try {
                out.close();
            } catch (IOException ignored) {
                // gone already
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    Holder hold(Path socket, int n, String request) throws IOException { return new Holder(socket, n, request); }

    /**
     * Runs the real CLI ({@code svcmgr --runtime-dir RUNTIME ARGS...}) as this user, from a copy of this
     * JVM's class path that the user can read, and returns what it said.
     */
    DaemonHarness.Cli cli(Path runtime, String... args) throws Exception {
        Path cp = script.getParent().resolve("cp");
        if (!Files.isDirectory(cp)) copyClassPath(cp);
        List<String> entries = new ArrayList<>();
        try (var s = Files.list(cp)) {
            s.sorted().forEach(p -> entries.add(p.toString()));
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", String.join(":", entries), "dev.svcmgr.cli.Main", "--runtime-dir", runtime.toString()));
        cmd.addAll(List.of(args));
        Path out = script.getParent().resolve("cli.out");
        Path err = script.getParent().resolve("cli.err");
        Process p = new ProcessBuilder(cmd).directory(script.getParent().toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        started.add(p);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("svcmgr " + String.join(" ", args) + " as " + name + " did not finish within 120 s");
        }
        return new DaemonHarness.Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Each class path entry (a directory of classes or a jar) copied into {@code to}, readable by everyone. */
    private static void copyClassPath(Path to) throws IOException {
        Files.createDirectories(to);
        int i = 0;
        for (String e : DaemonHarness.classpath().split(":")) {
            Path from = Path.of(e);
            if (!Files.exists(from) || from.toString().contains("test-classes")) continue;
            Path dest = to.resolve(String.format("%03d-", i++) + from.getFileName());
            if (Files.isDirectory(from)) {
                try (var walk = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) walk::iterator) {
                        Path d = dest.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) Files.createDirectories(d);
                        else Files.copy(f, d);
                        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            } else {
                Files.copy(from, dest);
                Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void close() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
        for (Process p : started) p.waitFor(10, TimeUnit.SECONDS);
        Process d = new ProcessBuilder("/usr/sbin/userdel", name).redirectErrorStream(true).start();
        d.getInputStream().readAllBytes();
        d.waitFor(30, TimeUnit.SECONDS);
        try (var files = Files.walk(script.getParent())) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    // ------------------------------------------------------------ /proc

    /** A number from /proc/PID/status ({@code VmRSS} in kB, {@code Threads}). */
    static long procStatus(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith(key + ":")) return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]);
        }
        throw new IOException(key + " not in /proc/" + pid + "/status");
    }

    static long threads(long pid) throws IOException { return procStatus(pid, "Threads"); }

    static long rssKb(long pid) throws IOException { return procStatus(pid, "VmRSS"); }

    static long fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        }
    }

    /** Names of the daemon's threads (from /proc/PID/task/N/comm), for messages. */
    static List<String> threadNames(long pid) {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    out.add(Files.readString(t.resolve("comm")).trim());
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            out.add("?");
        }
        out.sort(null);
        return out;
    }

    /** CPU time (user + system) of a process in clock ticks, from /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The attacker's client. Modes: {@code ask LINE} (one request, prints the reply);
     * {@code hold N [LINE]} (N connections, each sending LINE if given; prints how many
     * connected, then on each line of input how many are still open and the first lines of
     * those the daemon closed); {@code names N PREFIX} (one {@code units} request naming
     * PREFIX0..PREFIXN-1); {@code flood TOTAL BATCH PREFIX THREADS} ({@code units} requests of
     * BATCH names until TOTAL names were asked); {@code fuzz FILE} (each line of FILE is a
     * base64 request; prints the cases whose first reply line was missing or not an error
     * object).
     */
    static final String CLIENT = """
            import base64, json, resource, select, socket, sys, threading, time
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            except Exception:
                pass
            path = sys.argv[1]
            mode = sys.argv[2]
            def out(o):
                sys.stdout.write(json.dumps(o) + "\\n"); sys.stdout.flush()
            def connect():
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                return s
            def ask(data, timeout=120.0):
                s = connect()
                s.settimeout(timeout)
                try:
                    s.sendall(data)
                    f = s.makefile("rb")
                    return f.readline().decode("utf-8", "replace").strip()
                finally:
                    s.close()
            if mode == "ask":
                out({"reply": ask(sys.argv[3].encode() + b"\\n")})
            elif mode == "stream":
                s = connect()
                s.settimeout(120.0)
                s.sendall(sys.argv[3].encode() + b"\\n")
                got = []
                for l in s.makefile("rb"):
                    l = l.decode("utf-8", "replace").strip()
                    got.append(l)
                    if l == '{"end":true}' or len(got) == 1 and '"ok":false' in l:
                        break
                s.close()
                out({"lines": got})
            elif mode == "hold":
                n = int(sys.argv[3])
                req = sys.argv[4].encode() + b"\\n" if len(sys.argv) > 4 else b""
                conns, failed = [], 0
                for i in range(n):
                    try:
                        s = connect()
                        if req:
                            s.sendall(req)
                        s.setblocking(False)
                        conns.append({"s": s, "open": True, "buf": b"", "first": None})
                    except OSError:
                        failed += 1
                poller = select.poll()
                byfd = {}
                for c in conns:
                    poller.register(c["s"].fileno(), select.POLLIN)
                    byfd[c["s"].fileno()] = c
                def pump(ms):
                    for fd, ev in poller.poll(ms):
                        c = byfd[fd]
                        try:
                            data = c["s"].recv(65536)
                        except BlockingIOError:
                            continue
                        except OSError:
                            data = b""
                        if c["first"] is None:
                            c["buf"] += data
                            if b"\\n" in c["buf"] or not data:
                                c["first"] = c["buf"].split(b"\\n")[0].decode("utf-8", "replace")
                        if not data:
                            c["open"] = False
                            poller.unregister(fd)
                out({"connected": len(conns), "failed": failed})
                for line in sys.stdin:
                    pump(100)
                    closed = [c for c in conns if not c["open"]]
                    errors = sorted(set(c["first"] or "" for c in closed))[:5]
                    out({"open": len(conns) - len(closed), "closed": len(closed), "errors": errors})
            elif mode == "names":
                n, prefix = int(sys.argv[3]), sys.argv[4]
                req = json.dumps({"v": 1, "verb": "units", "units": [prefix + str(i) for i in range(n)]})
                t0 = time.monotonic()
                r = ask(req.encode() + b"\\n")
                out({"reply": r[:400], "bytes": len(r), "seconds": time.monotonic() - t0})
            elif mode == "flood":
                total, batch, prefix, nthreads = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
                lock = threading.Lock()
                state = {"next": 0, "requests": 0, "errors": []}
                def work():
                    while True:
                        with lock:
                            a = state["next"]
                            if a >= total:
                                return
                            state["next"] = a + batch
                        names = [prefix + str(i) for i in range(a, min(total, a + batch))]
                        r = ask((json.dumps({"v": 1, "verb": "units", "units": names}) + "\\n").encode())
                        with lock:
                            state["requests"] += 1
                            if '"ok":true' not in r and len(state["errors"]) < 3:
                                state["errors"].append(r[:200])
                t0 = time.monotonic()
                ts = [threading.Thread(target=work) for _ in range(nthreads)]
                for t in ts: t.start()
                for t in ts: t.join()
                out({"requests": state["requests"], "errors": state["errors"], "seconds": time.monotonic() - t0})
            elif mode == "fuzz":
                bad, n = [], 0
                for line in open(sys.argv[3]):
                    data = base64.b64decode(line.strip())
                    n += 1
                    try:
                        s = connect()
                        s.settimeout(5.0)
                        try:
                            s.sendall(data)
                        except OSError:
                            pass
                        try:
                            s.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                        r = s.makefile("rb").readline().decode("utf-8", "replace").strip()
                        s.close()
                    except OSError as e:
                        r = "EXC " + str(e)
                    ok = False
                    try:
                        o = json.loads(r)
                        ok = isinstance(o, dict) and isinstance(o.get("ok"), bool)
                    except Exception:
                        ok = False
                    if not ok and len(data) > 0 and len(bad) < 5:
                        bad.append({"case": line.strip()[:120], "reply": r[:200]})
                out({"cases": n, "bad": bad})
            """;
}
