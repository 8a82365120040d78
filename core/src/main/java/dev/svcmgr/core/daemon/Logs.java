package dev.svcmgr.core.daemon;

import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.log.LogReader;
import dev.svcmgr.core.log.LogRecords;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.units.UnitNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code logs} verb: the last lines of one or more units' logs, merged in time order, and, with
 * follow, every new line. All followed logs share one polling thread ({@code control-logs}, there
 * only while somebody follows); each poll hands a client the new lines of all its units merged, to
 * the client's bounded queue, and a client that does not read is cut off by the control server,
 * never waited for.
 */
final class Logs {
    private Logs() {}

    /** How often followed logs are polled. */
    static final long POLL_MILLIS = 100;

    private static final List<LogReader.Polled> FOLLOWED = new ArrayList<>();
    private static Thread poller;
    private static final Pattern LOG_FILE = Pattern.compile("(.+)\\.log(\\.[0-9]+)?");

    /**
     * Every unit that has a log file in {@code logDir} (current or rotated), by name: the loaded
     * units that wrote and those that are gone (an ended transient unit, a removed unit file).
     */
    static TreeSet<String> unitsWithLogs(Path logDir) {
        TreeSet<String> out = new TreeSet<>();
        try (var files = Files.list(logDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                var m = LOG_FILE.matcher(p.getFileName().toString());
                if (m.matches() && UnitNames.isValid(m.group(1)) && !UnitNames.isTemplate(m.group(1))) out.add(m.group(1));
            }
        } catch (IOException e) {
            // no log dir yet: no unit wrote
        }
        return out;
    }

    /** True when {@code unit} has a log file (current or the newest rotated one). */
    static boolean hasLog(Path logDir, String unit) {
        return Files.exists(LogFile.current(logDir, unit)) || Files.exists(LogFile.rotated(logDir, unit, 1));
    }

    /**
     * Sends {@code first}, then the last {@code n} records (-1: all) of {@code units} written in
     * {@code [from, to]} (null: open), merged in time order; then, with {@code follow}, new records
     * as they are written, or else the end line.
     */
    static void stream(Path logDir, List<String> units, int n, boolean follow, Instant from, Instant to,
                       Reply.LogsStarted first, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        out.send(first);
        if (!follow) {
            List<List<String>> each = new ArrayList<>();
            for (String u : units) each.add(LogReader.tail(logDir, u, n, from, to));
            for (Reply.LogLine l : last(merge(units, each), n)) out.send(l);
            out.send(new Reply.End());
            return;
        }
        out.detach(true);
        Merged m;
        try {
            m = new Merged(logDir, units, n, from, out);
        } catch (UncheckedIOException e) {
            out.send(new Reply.Error(ErrorKind.FAILED, "cannot read the logs: " + e.getMessage()));
            out.finish();
            return;
        }
        // the last n lines are the reply proper (bounded by n); what follows is a live stream
        for (Reply.LogLine l : m.backlog) out.send(l);
        m.backlog = null;
        synchronized (Logs.class) {
            FOLLOWED.add(m);
            if (poller == null) {
                poller = new Thread(Logs::pollAll, "control-logs");
                poller.setDaemon(true);
                poller.start();
            }
        }
        out.onClose(m::close);
    }

    /** The last {@code n} of {@code lines} (n &lt; 0: all). */
    private static List<Reply.LogLine> last(List<Reply.LogLine> lines, int n) {
        return n < 0 || lines.size() <= n ? lines : lines.subList(lines.size() - n, lines.size());
    }

    /**
     * The records of several units in time order: each unit's stay in their own order, and of two
     * records written at the same millisecond the unit named first comes first. A record without a
     * time (not written by svcmgr) keeps the time of the record before it in its log.
     */
    static List<Reply.LogLine> merge(List<String> units, List<List<String>> records) {
        int k = units.size();
        int total = 0;
        for (List<String> r : records) total += r.size();
        List<Reply.LogLine> out = new ArrayList<>(total);
        if (k == 1) { // one log is in order already: no time to read
            for (String r : records.get(0)) out.add(new Reply.LogLine(r, units.get(0)));
            return out;
        }
        int[] at = new int[k];
        Instant[] head = new Instant[k]; // the time of each unit's next record, read once
        for (int i = 0; i < k; i++) if (!records.get(i).isEmpty()) head[i] = timeOf(records.get(i).get(0), null);
        while (out.size() < total) {
            int best = -1;
            for (int i = 0; i < k; i++) {
                if (at[i] < records.get(i).size() && (best < 0 || head[i].isBefore(head[best]))) best = i;
            }
            List<String> r = records.get(best);
            out.add(new Reply.LogLine(r.get(at[best]++), units.get(best)));
            if (at[best] < r.size()) head[best] = timeOf(r.get(at[best]), head[best]);
        }
        return out;
    }

    /** A record's time; one without (not written by svcmgr) keeps {@code before}, the time of the record before it. */
    private static Instant timeOf(String record, Instant before) {
        Instant t = LogRecords.time(record);
        return t != null ? t : before == null ? Instant.MIN : before;
    }

    /** One client's follow of several units: every poll merges what each unit's log got since the last. */
    private static final class Merged implements LogReader.Polled {
        private final List<String> units;
        private final List<LogReader.Polled> each = new ArrayList<>();
        private final List<List<String>> fresh = new ArrayList<>();
        private final ControlServer.ReplyStream out;
        private List<Reply.LogLine> backlog;
        private volatile boolean closed;

        Merged(Path logDir, List<String> units, int n, Instant from, ControlServer.ReplyStream out) {
            this.units = units;
            this.out = out;
            try {
                for (int i = 0; i < units.size(); i++) {
                    List<String> got = new ArrayList<>();
                    fresh.add(got);
                    each.add(LogReader.followPolled(logDir, units.get(i), n < 0 ? Integer.MAX_VALUE : n, from, got::add));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            backlog = new ArrayList<>(last(merge(units, fresh), n));
            for (List<String> f : fresh) f.clear();
        }

        @Override
        public synchronized boolean poll() throws IOException {
            if (closed) return false;
            boolean any = false;
            for (LogReader.Polled p : each) any |= p.poll();
            if (!any) return false;
            for (Reply.LogLine l : merge(units, fresh)) {
                if (!out.stream(l)) {
                    close();
                    break;
                }
            }
            for (List<String> f : fresh) f.clear();
            return true;
        }

        @Override
        public boolean isClosed() { return closed; }

        @Override
        public void close() {
            closed = true;
            for (LogReader.Polled p : each) p.close();
        }
    }

    private static void pollAll() {
        while (true) {
            List<LogReader.Polled> now;
            synchronized (Logs.class) {
                FOLLOWED.removeIf(LogReader.Polled::isClosed);
                if (FOLLOWED.isEmpty()) {
                    poller = null;
                    return;
                }
                now = new ArrayList<>(FOLLOWED);
            }
            for (LogReader.Polled f : now) {
                try {
                    f.poll();
                } catch (IOException | RuntimeException e) {
                    f.close(); // unreadable: this follow ends, the others go on
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
