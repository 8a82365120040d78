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
 * What a restarted manager needs to re-adopt each service: one JSON line per record in the journal
 * {@code <runtime dir>/services/journal}, appended as services change. The event loop only hands the
 * newest record over; a writer thread appends every record queued meanwhile with one {@code write(2)},
 * so a burst of changes (a boot, a stop of everything) costs a few appends, and the loop never waits for
 * the disk. Reading replays the lines, the last record of a unit winning ({@code {"unit","removed":true}}
 * forgets one); a torn or foreign line is skipped. When the journal has grown to twice the size of its
 * live records (at least 64 KiB), and at the first write of a manager, it is compacted: the live records
 * are written to a temporary file of an unpredictable name, created exclusively, 0600, and renamed over
 * it; the per-service files of earlier versions ({@code NAME.json}) are read too, and removed once the
 * first compaction holds their records. The directory is 0700 and the journal 0600. The runtime
 * directory is meant to live on a tmpfs: no fsync (a manager's crash keeps the page cache; a machine's
 * crash ends the services too). (One file per service, rewritten through a temporary file, cost about
 * 0.35 ms of CPU per change on the test host, as much as the event loop's own work in a stop of
 * everything: docs/benchmarks.md, issue 13.)
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

        /**
         * Appends {@link #toJson()} as one line of JSON, written field by field: no map, no boxed numbers
         * (the writer thread serialises every record of a boot or a stop of everything; the maps were a
         * third of what a stop of 1,000 allocated: docs/benchmarks.md, issue 13).
         */
        void appendJson(StringBuilder b) {
            b.append("{\"unit\":");
            string(b, unit);
            b.append(",\"state\":");
            string(b, state);
            b.append(",\"result\":");
            string(b, result);
            b.append(",\"detail\":");
            string(b, detail);
            b.append(",\"main-pid\":").append(mainPid == null ? "null" : mainPid.toString());
            b.append(",\"main-start\":").append(mainStart);
            b.append(",\"control-pid\":").append(controlPid == null ? "null" : controlPid.toString());
            b.append(",\"since\":").append(since.toEpochMilli());
            b.append(",\"restarts\":").append(restarts);
            b.append(",\"failures\":").append(failures);
            b.append(",\"start-limit-hit\":").append(startLimitHit);
            b.append(",\"status-text\":");
            string(b, statusText);
            b.append(",\"failure-log\":[");
            for (int i = 0; i < failureLog.size(); i++) {
                Failure f = failureLog.get(i);
                if (i > 0) b.append(',');
                b.append("{\"time\":").append(f.time().toEpochMilli()).append(",\"result\":");
                Json.quote(b, f.result().word());
                b.append(",\"detail\":");
                Json.quote(b, f.detail() == null ? "" : f.detail());
                b.append('}');
            }
            b.append("]}");
        }

        private static void string(StringBuilder b, String s) {
            if (s == null) b.append("null");
            else Json.quote(b, s);
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

        // written out: a record's generated equals goes through method handles, which C1 (the daemon's only
        // compiler) does not inline: ~50 µs a comparison, made at every state change of a service
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && mainStart == r.mainStart && restarts == r.restarts && failures == r.failures
                    && startLimitHit == r.startLimitHit && java.util.Objects.equals(unit, r.unit)
                    && java.util.Objects.equals(state, r.state) && java.util.Objects.equals(result, r.result)
                    && java.util.Objects.equals(detail, r.detail) && java.util.Objects.equals(mainPid, r.mainPid)
                    && java.util.Objects.equals(controlPid, r.controlPid) && java.util.Objects.equals(since, r.since)
                    && java.util.Objects.equals(statusText, r.statusText) && java.util.Objects.equals(failureLog, r.failureLog);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(unit, state, result, detail, mainPid, mainStart, controlPid, since, restarts, failures,
                    startLimitHit, statusText, failureLog);
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
     * @param existing  the records a former manager left ({@link #read}): kept (the journal's first write
     *                  compacts them into it) until replaced or removed
     * @param startTime a process's start time, for the main PID (read on the writer thread)
     * @param problems  told (once per kind) when a record cannot be written
     */
    public ServiceRecords(Path dir, Map<String, Rec> existing, IntToLongFunction startTime, Consumer<String> problems) {
        this.written.putAll(existing);
        this.dir = dir;
        this.startTime = startTime;
        this.problems = problems;
        writer = new Thread(this::run, "svcmgr-records");
        writer.setDaemon(true);
        writer.start();
    }

    /** The journal's name in the records directory. */
    static final String JOURNAL = "journal";
    /** The journal is compacted when it has grown to twice its live records and at least this many bytes. */
    static final long COMPACT_AT_LEAST = 64 * 1024;

    /** Every record a former manager left, by unit name; unreadable files and lines are skipped. */
    public static Map<String, Rec> read(Path dir) {
        Map<String, Rec> out = new HashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (var s = Files.list(dir)) { // the per-service files of earlier versions first: the journal is newer
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
        Path journal = dir.resolve(JOURNAL);
        if (!Files.isRegularFile(journal, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return out;
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                try {
                    Map<String, Object> m = Json.parseObject(line);
                    if (Boolean.TRUE.equals(m.get("removed")) && m.get("unit") instanceof String u) {
                        out.remove(u);
                        continue;
                    }
                    Rec r = Rec.fromJson(m);
                    if (r.unit() != null && r.state() != null) out.put(r.unit(), r);
                } catch (RuntimeException e) {
                    // a torn last line (the manager died in a write) or a foreign one
                }
            }
        } catch (IOException | RuntimeException e) {
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
        dev.svcmgr.core.os.OneThread.background(); // nothing waits on a record: behind the loop
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
                if (pending.isEmpty()) {
                    closeJournal();
                    return;
                }
                batch = new LinkedHashMap<>(pending);
                pending.clear();
                busy = true;
            }
            try {
                write(batch);
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    /** Bytes appended to the journal since it was last compacted, and the size it had then. */
    private long appended, compacted;
    /** The journal must be rewritten before anything more is appended (the first write, or a write failed). */
    private boolean compactFirst = true;
    private java.nio.channels.FileChannel journal;

    /** Appends the records of {@code batch} that changed (null: the unit is forgotten), in one write. */
    private void write(Map<String, Rec> batch) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, Rec> e : batch.entrySet()) {
            String unit = e.getKey();
            Rec r = e.getValue();
            Rec before = written.get(unit);
            if (r == null) {
                if (before == null && !compactFirst) continue;
                written.remove(unit);
                Map<String, Object> gone = new LinkedHashMap<>();
                gone.put("unit", unit);
                gone.put("removed", true);
                lines.append(Json.write(gone)).append('\n');
                continue;
            }
            if (r.mainPid() != null) {
                boolean same = before != null && r.mainPid().equals(before.mainPid()) && before.mainStart() >= 0;
                r = r.withMainStart(same ? before.mainStart() : startTime.applyAsLong(r.mainPid()));
            }
            if (r.equals(before)) continue;
            written.put(unit, r);
            r.appendJson(lines);
            lines.append('\n');
        }
        if (lines.length() == 0 && !compactFirst) return;
        try {
            if (!dirReady) {
                SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
                dirReady = true;
            }
            if (compactFirst || appended > Math.max(COMPACT_AT_LEAST, 2 * compacted)) {
                compact();
            } else {
                append(lines.toString().getBytes(StandardCharsets.UTF_8));
            }
            lastProblem = null;
        } catch (IOException | RuntimeException e) {
            compactFirst = true; // a short or failed append may have left a torn line: rewrite it all next time
            String p = "cannot write the runtime records in " + dir + ": " + e.getMessage()
                    + " (a restarted manager may not re-adopt every service)";
            if (lastProblem == null) problems.accept(p);
            lastProblem = p;
        }
    }

    private void append(byte[] data) throws IOException {
        Path path = dir.resolve(JOURNAL);
        if (journal != null && !java.util.Objects.equals(journalKey, key(path))) {
            compact(); // the journal was removed or replaced (a symlink, another file): written afresh, never through it
            return;
        }
        if (journal == null) {
            journal = java.nio.channels.FileChannel.open(path, java.util.Set.of(java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            journalKey = key(path);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
        while (b.hasRemaining()) journal.write(b);
        appended += data.length;
    }

    /** Writes every live record into a fresh journal (a temporary file renamed over it), then drops the files of earlier versions. */
    private void compact() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Rec r : written.values()) {
            r.appendJson(all);
            all.append('\n');
        }
        byte[] data = all.toString().getBytes(StandardCharsets.UTF_8);
        closeJournal();
        SecureFiles.writeAtomically(dir.resolve(JOURNAL), data, SecureFiles.PRIVATE_FILE, false);
        compacted = data.length;
        appended = 0;
        if (compactFirst) {
            compactFirst = false;
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String f = p.getFileName().toString();
                    if (f.endsWith(".json") && !f.startsWith(".")) Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The file at {@code p} itself (a symlink is not followed), or null when there is none. */
    private static Object key(Path p) {
        try {
            var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.fileKey() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The identity of the file the open journal channel writes to. */
    private Object journalKey;

    private void closeJournal() {
        if (journal == null) return;
        try {
            journal.close();
        } catch (IOException ignored) {
            // nothing was left to write
        }
        journal = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
