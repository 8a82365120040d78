package dev.svcmgr.core.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Reads a unit's log across its rotated files: the last lines, and following new ones. */
public final class LogReader {
    private LogReader() {}

    /** The last {@code n} records of the unit, oldest first, across {@code .log.K ... .log.1, .log}. */
    public static List<String> tail(Path logDir, String unit, int n) { return tail(logDir, unit, n, null, null); }

    /**
     * The last {@code n} records (n &lt; 0: every one) written in {@code [from, to]} (null: open),
     * oldest first. Records are read from the newest back, skipping those after {@code to}, and the
     * reading stops at the first one before {@code from} (a log is in time order). With a span, a line
     * without a time (not written by svcmgr) is left out.
     */
    public static List<String> tail(Path logDir, String unit, int n, java.time.Instant from, java.time.Instant to) {
        int want = n < 0 ? Integer.MAX_VALUE : n;
        // A rotation renames the files while they are listed and read (between two renames
        // .log.1 is briefly missing; a file may vanish before its open, and is then skipped). It
        // always replaces the current file, so a read during which the current file changed is
        // taken again; a writer rotating faster than a few hundred reads leaves the last attempt's.
        Path cur = LogFile.current(logDir, unit);
        for (int attempt = 1; ; attempt++) {
            Object before = fileKey(cur);
            List<String> got = tail(logDir, unit, want, sizeOf(cur), from, to);
            if (attempt == 200 || Objects.equals(before, fileKey(cur))) return got;
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> tail(Path logDir, String unit, int n, long currentLimit) {
        return tail(logDir, unit, n, currentLimit, null, null);
    }

    private static List<String> tail(Path logDir, String unit, int n, long currentLimit, java.time.Instant from,
                                     java.time.Instant to) {
        Deque<String> out = new ArrayDeque<>();
        if (n <= 0) return List.of();
        List<Path> newestFirst = new ArrayList<>();
        newestFirst.add(LogFile.current(logDir, unit));
        for (int i = 1; ; i++) {
            Path p = LogFile.rotated(logDir, unit, i);
            if (!Files.exists(p)) break;
            newestFirst.add(p);
        }
        boolean[] done = {false};
        for (int f = 0; f < newestFirst.size() && out.size() < n && !done[0]; f++) {
            Path p = newestFirst.get(f);
            if (!Files.exists(p)) continue;
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
                long end = f == 0 ? Math.min(currentLimit, raf.length()) : raf.length();
                readBackward(raf, end, n - out.size(), out, from, to, done);
            } catch (java.io.FileNotFoundException e) {
                // renamed or removed by a rotation since the listing: the caller reads again
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Adds up to {@code want} lines ending before {@code end} and written in {@code [from, to]} to the
     * front of {@code out}; sets {@code done[0]} at a line written before {@code from}.
     */
    private static void readBackward(RandomAccessFile raf, long end, int want, Deque<String> out, java.time.Instant from,
                                     java.time.Instant to, boolean[] done) throws IOException {
        List<String> found = new ArrayList<>();
        long pos = end;
        byte[] block = new byte[64 * 1024];
        // Up to and including the newline that ends the last whole record: a record being
        // written as we read (a write is not atomic against a read) is not shown half.
        boolean trimming = true;
        byte[] rev = new byte[256];
        int revLen = 0;
        while (pos > 0 && found.size() < want && !done[0]) {
            int len = (int) Math.min(block.length, pos);
            pos -= len;
            raf.seek(pos);
            raf.readFully(block, 0, len);
            for (int i = len - 1; i >= 0 && found.size() < want && !done[0]; i--) {
                byte b = block[i];
                if (trimming) {
                    trimming = b != '\n';
                } else if (b == '\n') {
                    take(reverse(rev, revLen), found, from, to, done);
                    revLen = 0;
                } else {
                    if (revLen == rev.length) rev = java.util.Arrays.copyOf(rev, rev.length * 2);
                    rev[revLen++] = b;
                }
            }
        }
        if (pos == 0 && found.size() < want && revLen > 0 && !done[0]) take(reverse(rev, revLen), found, from, to, done);
        for (String s : found) out.addFirst(s);
    }

    private static void take(String line, List<String> found, java.time.Instant from, java.time.Instant to, boolean[] done) {
        if (from == null && to == null) {
            found.add(line);
            return;
        }
        java.time.Instant t = LogRecords.time(line);
        if (t == null) return; // not a record of ours: it cannot be placed in the span
        if (from != null && t.isBefore(from)) done[0] = true;
        else if (to == null || !t.isAfter(to)) found.add(line);
    }

    private static String reverse(byte[] rev, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = rev[len - 1 - i];
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A running {@link #follow}; close to stop it. */
    public interface Follow extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sends the last {@code n} records to {@code sink}, then every new record as it is
     * written, across rotations, on a thread of its own (polling every 50 ms) until closed.
     * For a daemon streaming {@code logs -f} to a client: {@code sink} may block.
     */
    public static Follow follow(Path logDir, String unit, int n, Consumer<String> sink) {
        Follower f = startFollower(logDir, unit, n, null, sink);
        Thread t = new Thread(f, "svcmgr-follow-" + unit);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** A follower at the end of the current file, once the last {@code n} records before that end went to {@code sink}. */
    private static Follower startFollower(Path logDir, String unit, int n, java.time.Instant from, Consumer<String> sink) {
        Follower f = new Follower(logDir, unit, sink);
        long start = f.openAtEnd();
        // with from, the read of older files stops at the first record before it (never the whole history)
        for (String s : tail(logDir, unit, n, start, from, null)) sink.accept(s);
        return f;
    }

    /** A {@link #followPolled} follow: nothing happens until the caller polls. */
    public interface Polled extends Follow {
        /** Hands what was appended since the last poll (across a rotation) to the sink; false when there was nothing. */
        boolean poll() throws IOException;

        /** True once closed. */
        boolean isClosed();
    }

    /**
     * Like {@link #follow} but without a thread of its own: sends the last {@code n} records to
     * {@code sink} now, and later records each time the caller calls {@link Polled#poll}, so one
     * thread can follow many logs (the daemon's {@code logs --follow} clients).
     */
    public static Polled followPolled(Path logDir, String unit, int n, Consumer<String> sink) {
        return followPolled(logDir, unit, n, null, sink);
    }

    /** {@link #followPolled}, the records before {@code from} (when not null) left out of the first {@code n}. */
    public static Polled followPolled(Path logDir, String unit, int n, java.time.Instant from, Consumer<String> sink) {
        return startFollower(logDir, unit, n, from, sink);
    }

    private static final class Follower implements Runnable, Polled {
        private final Path logDir;
        private final String unit;
        private final Consumer<String> sink;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private FileChannel ch;
        private Object key;
        private volatile boolean closed;

        Follower(Path logDir, String unit, Consumer<String> sink) {
            this.logDir = logDir;
            this.unit = unit;
            this.sink = sink;
        }

        long openAtEnd() {
            if (!open()) return 0;
            try {
                ch.position(ch.size());
                return ch.size();
            } catch (IOException e) {
                return 0;
            }
        }

        private boolean open() {
            Path p = LogFile.current(logDir, unit);
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
                key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                return true;
            } catch (IOException e) {
                ch = null;
                return false;
            }
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    if (!poll()) Thread.sleep(50);
                }
            } catch (InterruptedException | IOException e) {
                // closed or unreadable: the follow ends
            } finally {
                close();
            }
        }

        @Override
        public boolean isClosed() { return closed; }

        @Override
        public synchronized boolean poll() throws IOException {
            if (closed || (ch == null && !open())) return false;
            if (drain()) return true;
            Object now = currentKey();
            if (now != null && !Objects.equals(now, key)) {
                drain();
                catchUp();
                return true;
            }
            return false;
        }

        /**
         * The followed file was rotated: read, oldest first, every rotated file newer than it
         * (all of them when it was already deleted), before the new current file.
         */
        private void catchUp() throws IOException {
            int ours = -1;
            int last = 0;
            // a rotation renames files from the highest number down: retry when caught in the middle
            for (int attempt = 0; attempt < 20 && ours < 0; attempt++) {
                int missing = 0;
                last = 0;
                for (int i = 1; missing < 2; i++) {
                    Path p = LogFile.rotated(logDir, unit, i);
                    Object k;
                    try {
                        k = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                    } catch (IOException e) {
                        missing++;
                        continue;
                    }
                    missing = 0;
                    last = i;
                    if (Objects.equals(k, key)) {
                        ours = i;
                        break;
                    }
                }
                if (ours < 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            int newer = ours < 0 ? last : ours - 1;
            List<FileChannel> chans = new ArrayList<>();
            for (int i = newer; i >= 1; i--) {
                try {
                    chans.add(FileChannel.open(LogFile.rotated(logDir, unit, i), StandardOpenOption.READ));
                } catch (IOException e) {
                    // deleted meanwhile: its lines are gone (keep is too small for this reader)
                }
            }
            FileChannel next = null;
            Object nextKey = null;
            Path cur = LogFile.current(logDir, unit);
            try {
                next = FileChannel.open(cur, StandardOpenOption.READ);
                nextKey = Files.readAttributes(cur, BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                next = null;
            }
            ch.close();
            for (FileChannel c : chans) {
                ch = c;
                drain();
                c.close();
            }
            // the new current file was opened with the rotated ones, so nothing falls between them
            ch = next;
            key = nextKey;
        }

        private Object currentKey() {
            try {
                return Files.readAttributes(LogFile.current(logDir, unit), BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                return null;
            }
        }

        private boolean drain() throws IOException {
            boolean any = false;
            while (!closed) {
                buf.clear();
                int r = ch.read(buf);
                if (r <= 0) break;
                any = true;
                byte[] a = buf.array();
                for (int i = 0; i < r; i++) {
                    if (a[i] == '\n') {
                        sink.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(a[i]);
                    }
                }
            }
            return any;
        }

        @Override
        public void close() {
            closed = true;
            FileChannel c = ch;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }
}
