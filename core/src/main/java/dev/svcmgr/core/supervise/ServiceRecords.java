package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.os.SecureFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * What a restarted manager needs to re-adopt each service: one small JSON file per service in
 * {@code <runtime dir>/services/}, rewritten (temporary file, then rename) as the service changes.
 * The event loop only hands the newest record over; a writer thread writes it, so a burst of
 * changes costs one write per service, and the loop never waits for the disk. The directory is
 * 0700 and each record 0600, written through a temporary file of an unpredictable name. The runtime
 * directory is meant to live on a tmpfs: no fsync (a manager's crash keeps the page cache; a
 * machine's crash ends the services too).
 */
public final class ServiceRecords implements AutoCloseable {

    /**
     * One service's runtime state.
     *
     * @param unit        the unit name
     * @param state       the supervisor's {@link Transitions.State} name
     * @param result      last result word, or null
     * @param detail      words for the result, or null
     * @param mainPid     the main PID, or null
     * @param mainStart   the main process's start time ({@code /proc/PID/stat} field 22), -1 unknown
     * @param controlPid  a running control process, or null
     * @param since       when the active state last changed
     * @param restarts    automatic restarts since the last reset-failed
     * @param failures    consecutive failures (the backoff exponent)
     * @param startLimitHit whether starts are refused until reset-failed
     * @param statusText  the last STATUS= text, or null
     * @param failureLog  the last failures, oldest first
     */
    public record Rec(String unit, String state, String result, String detail, Integer mainPid, long mainStart,
                      Integer controlPid, Instant since, int restarts, int failures, boolean startLimitHit,
                      String statusText, List<Failure> failureLog) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", unit);
            m.put("state", state);
            m.put("result", result);
            m.put("detail", detail);
            m.put("main-pid", mainPid);
            m.put("main-start", mainStart);
            m.put("control-pid", controlPid);
            m.put("since", since.toEpochMilli());
            m.put("restarts", restarts);
            m.put("failures", failures);
            m.put("start-limit-hit", startLimitHit);
            m.put("status-text", statusText);
            List<Object> fl = new ArrayList<>();
            for (Failure f : failureLog) {
                fl.add(Map.of("time", f.time().toEpochMilli(), "result", f.result().word(),
                        "detail", f.detail() == null ? "" : f.detail()));
            }
            m.put("failure-log", fl);
            return m;
        }

        static Rec fromJson(Map<String, Object> m) {
            List<Failure> fl = new ArrayList<>();
            if (m.get("failure-log") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> f && Result.of(str(f.get("result"))) != null) {
                        fl.add(new Failure(Instant.ofEpochMilli(num(f.get("time"))), Result.of(str(f.get("result"))),
                                str(f.get("detail"))));
                    }
                }
            }
            return new Rec(str(m.get("unit")), str(m.get("state")), str(m.get("result")), str(m.get("detail")),
                    m.get("main-pid") == null ? null : (int) num(m.get("main-pid")), num(m.get("main-start")),
                    m.get("control-pid") == null ? null : (int) num(m.get("control-pid")),
                    Instant.ofEpochMilli(num(m.get("since"))), (int) num(m.get("restarts")), (int) num(m.get("failures")),
                    Boolean.TRUE.equals(m.get("start-limit-hit")), str(m.get("status-text")), fl);
        }

        /** This record with the main process's start time filled in. */
        Rec withMainStart(long t) {
            return new Rec(unit, state, result, detail, mainPid, t, controlPid, since, restarts, failures, startLimitHit,
                    statusText, failureLog);
        }
    }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static long num(Object o) { return o instanceof Number n ? n.longValue() : -1; }

    private final Path dir;
    /** {@code dir} made (0700) or checked; only the writer thread touches this. */
    private boolean dirReady;
    private final IntToLongFunction startTime;
    private final Consumer<String> problems;
    private final Map<String, Rec> pending = new LinkedHashMap<>();
    private final Map<String, Rec> written = new HashMap<>();
    private final Thread writer;
    private boolean closed;
    private boolean busy;
    private String lastProblem;

    /**
     * @param dir       {@code <runtime dir>/services}
     * @param startTime a process's start time, for the main PID (read on the writer thread)
     * @param problems  told (once per kind) when a record cannot be written
     */
    public ServiceRecords(Path dir, IntToLongFunction startTime, Consumer<String> problems) {
        this.dir = dir;
        this.startTime = startTime;
        this.problems = problems;
        writer = new Thread(this::run, "svcmgr-records");
        writer.setDaemon(true);
        writer.start();
    }

    /** Every record a former manager left, by unit name; unreadable files are skipped. */
    public static Map<String, Rec> read(Path dir) {
        Map<String, Rec> out = new HashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".json") || f.startsWith(".")) continue;
                try {
                    Rec r = Rec.fromJson(Json.parseObject(Files.readString(p)));
                    if (r.unit() != null && r.state() != null) out.put(r.unit(), r);
                } catch (IOException | RuntimeException e) {
                    // a torn or foreign file: that service is found through its cgroup, if at all
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Queues the newest record of a service (any thread). */
    public synchronized void put(Rec r) {
        if (closed) return;
        pending.put(r.unit(), r);
        notifyAll();
    }

    /** Forgets a service (its unit is gone). */
    public synchronized void remove(String unit) {
        pending.put(unit, null);
        notifyAll();
    }

    /** Waits until everything queued is on disk (before re-executing), at most {@code ms}. */
    public synchronized void flush(long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while ((!pending.isEmpty() || busy) && System.currentTimeMillis() < end) wait(Math.max(1, end - System.currentTimeMillis()));
    }

    /** Removes every record (after an orderly shutdown: nothing is left to re-adopt). */
    public void clear() {
        synchronized (this) {
            pending.clear();
            closed = true;
            notifyAll();
        }
        try {
            writer.join(5000); // a write under way must not bring a file back after the clear
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing there
        }
    }

    private void run() {
        while (true) {
            Map<String, Rec> batch;
            synchronized (this) {
                while (pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty()) return;
                batch = new LinkedHashMap<>(pending);
                pending.clear();
                busy = true;
            }
            try {
                for (Map.Entry<String, Rec> e : batch.entrySet()) write(e.getKey(), e.getValue());
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    private void write(String unit, Rec r) {
        Path target = dir.resolve(unit + ".json");
        try {
            if (r == null) {
                Files.deleteIfExists(target);
                written.remove(unit);
                return;
            }
            Rec before = written.get(unit);
            if (r.mainPid() != null) {
                boolean same = before != null && r.mainPid().equals(before.mainPid()) && before.mainStart() >= 0;
                r = r.withMainStart(same ? before.mainStart() : startTime.applyAsLong(r.mainPid()));
            }
            if (r.equals(before)) return;
            if (!dirReady) {
                SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
                dirReady = true;
            }
            // a temporary file of an unpredictable name, created exclusively, 0600, renamed over the record
            SecureFiles.writeAtomically(target, Json.write(r.toJson()).getBytes(StandardCharsets.UTF_8),
                    SecureFiles.PRIVATE_FILE, false);
            written.put(unit, r);
            lastProblem = null;
        } catch (IOException | RuntimeException e) {
            String p = "cannot write the runtime record of " + unit + " in " + dir + ": " + e.getMessage()
                    + " (a restarted manager may not re-adopt it)";
            if (lastProblem == null) problems.accept(p);
            lastProblem = p;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
