package dev.svcmgr.core.log;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One unit's log file. Each record is one line:
 * {@code 2026-11-25T05:44:03.123Z stdout <text>}. Before a record that would
 * take the file past {@code maxSize}, the file is rotated ({@code .log} becomes
 * {@code .log.1}, {@code .log.1} becomes {@code .log.2}, ..., beyond {@code keep}
 * deleted), so a record is never split across two files; a record larger than
 * {@code maxSize} alone goes into a file of its own. Thread-safe.
 *
 * <p>Records are kept in memory and written by {@link #flush()} (or as soon as
 * more than {@value #FLUSH_AT} bytes wait), one write per flush.
 *
 * <p><b>When the log cannot be written</b> (its directory cannot be created,
 * the disk is full, no file descriptor is left, permission is denied, a
 * rotation fails) nothing is thrown: {@link #append} and {@link #flush()} are
 * called by the output pump and the supervisor, which must go on whatever the
 * disk does. Instead:
 * <ul>
 *   <li>a write that fails is undone: the file is cut back to its size before
 *       the write, so it never holds part of a record, and the records of that
 *       write are dropped and counted in {@link #lostLines()} (never written
 *       later, so never twice);</li>
 *   <li>the file is then in the failed state, {@link #problem()} says why in
 *       one line, and the {@link Listener} is told once;</li>
 *   <li>while failed, records are counted as lost without touching the disk,
 *       except that at most once a second (by the clock given at construction)
 *       the file is opened and written again; when that works, the first record
 *       is a marker {@code <time> svcmgr N lines lost (<reason>)} and the
 *       listener hears {@link Listener#recovered}.</li>
 * </ul>
 * The file is written through {@link RandomAccessFile}: its {@code setLength} is
 * the {@code ftruncate} that undoes a failed write, and unlike a
 * {@code FileChannel} it is not closed when the writing thread is interrupted.
 */
public final class LogFile implements AutoCloseable {
    /** Told when writing this log starts failing and when it works again. */
    public interface Listener {
        /**
         * Writing {@code unit}'s log failed; {@code line} is {@link #problem()}. Called once when a
         * problem starts, not once per lost line.
         */
        void problem(String unit, String line);

        /** Writing {@code unit}'s log works again; {@code lost} lines were lost since the problem started. */
        void recovered(String unit, long lost);
    }

    /** Buffered bytes beyond which {@link #append} writes without waiting for {@link #flush()}. */
    static final int FLUSH_AT = 64 * 1024;
    /** Least time between two attempts to write a failed log. */
    static final long RETRY_NANOS = 1_000_000_000L;
    /** The mode of every log file, set explicitly whatever the umask (cli.md: log files are 0640). */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    /** The stream name of records the manager writes itself. */
    static final String MANAGER_STREAM = "svcmgr";

    private final Path dir;
    private final String unit;
    private final Set<PosixFilePermission> dirMode;
    private final LongSupplier nanoClock;
    private volatile long maxSize;
    private volatile int keep;
    private volatile Listener listener;

    // all below guarded by this
    private RandomAccessFile file;
    /** Bytes in the file (known to end with a whole record). */
    private long size;
    /**
     * Records waiting for the next write; empty between writes, so that a quiet service holds no
     * buffer (8 KiB each were 8 MiB of the heap at 1,000 services: docs/benchmarks.md, issue 13).
     */
    private byte[] buf = EMPTY;
    private static final byte[] EMPTY = new byte[0];
    private int used;
    /** Service records in {@code buf} (the lost-lines marker is not one). */
    private int records;
    /** Records were buffered while the file was not open ({@link #appendBuffered}): its size was not checked. */
    private boolean unsized;
    /** When a failed write could not be undone: the size to cut the file back to before writing again, else -1. */
    private long cutTo = -1;
    private String problem;
    private String reason;
    private long lostNow;
    private long lostTotal;
    private long lastTry;
    private List<Runnable> notices;

    /** A log whose directory is created with the default mode, timed by {@link System#nanoTime()}. */
    public LogFile(Path dir, String unit, long maxSize, int keep) {
        this(dir, unit, maxSize, keep, null, System::nanoTime);
    }

    /**
     * @param dirMode   mode of the log directory when this log creates it (set explicitly, whatever the
     *                  umask), or null for the default
     * @param nanoClock monotonic time in nanoseconds, for spacing the retries of a failed log
     */
    public LogFile(Path dir, String unit, long maxSize, int keep, Set<PosixFilePermission> dirMode,
                   LongSupplier nanoClock) {
        this.dir = dir;
        this.unit = unit;
        this.maxSize = maxSize;
        this.keep = keep;
        this.dirMode = dirMode == null ? null : Set.copyOf(dirMode);
        this.nanoClock = nanoClock;
    }

    /** The current file, {@code <dir>/<unit>.log}. */
    public static Path current(Path dir, String unit) { return dir.resolve(unit + ".log"); }

    /** Rotated file {@code i} (1 = newest). */
    public static Path rotated(Path dir, String unit, int i) { return dir.resolve(unit + ".log." + i); }

    /** New rotation settings (daemon-reload), used from the next record. */
    public void configure(long maxSize, int keep) {
        this.maxSize = maxSize;
        this.keep = keep;
    }

    /**
     * Who to tell of write problems (null: nobody). Calls come from the thread that appended or flushed,
     * after this log's lock is released; an exception a listener throws is ignored.
     */
    public void setListener(Listener listener) { this.listener = listener; }

    /** Lines (records) lost since this log was created because they could not be written. */
    public synchronized long lostLines() { return lostTotal; }

    /** Null while writing works, else one line such as {@code cannot write /var/log/svcmgr/a.service.log: No space left on device}. */
    public synchronized String problem() { return problem; }

    /** Appends one record; {@code text} is raw bytes without the newline. Never throws for I/O problems. */
    public void append(String timestamp, String stream, byte[] text, int off, int len) {
        List<Runnable> n;
        synchronized (this) {
            record(timestamp, stream, text, off, len);
            n = takeNotices();
        }
        deliver(n);
    }

    /** Appends a line of text (e.g. a manager note about the unit). */
    public void append(String timestamp, String stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        append(timestamp, stream, b, 0, b.length);
    }

    /**
     * Appends a line of text without touching the file system when the file is not open yet: the record
     * waits in the buffer, and the file is made or opened by the next {@link #flush()} (or append), which
     * the caller has done elsewhere. A crashed service's first line used to make its log file on the event
     * loop before the service was restarted: ~0.7 ms of a ~3.5 ms restart on ext4 (issue 13). Records
     * keep their order; a buffer that would take the file past its size starts a new file.
     */
    public void appendBuffered(String timestamp, String stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<Runnable> n;
        synchronized (this) {
            if (file != null || problem != null || unsized) {
                // one record at most waits unsized, so that a rotation still goes record by record
                record(timestamp, stream, b, 0, b.length);
            } else {
                buffer(timestamp, stream, b, 0, b.length, true);
                unsized = true;
            }
            n = takeNotices();
        }
        deliver(n);
    }

    /**
     * Writes the buffered records to the file; a failed log whose retry is due tries again (writing the
     * lost-lines marker). Never throws for I/O problems.
     */
    public void flush() {
        List<Runnable> n;
        synchronized (this) {
            if (problem == null) writeOut();
            else if (retryDue()) recover(LogSink.timestamp(Instant.now()), null, null, 0, 0);
            n = takeNotices();
        }
        deliver(n);
    }

    /** Writes what is buffered and closes the file; a later append opens it again. Never throws for I/O problems. */
    @Override
    public void close() {
        List<Runnable> n;
        synchronized (this) {
            if (problem == null) writeOut();
            closeFile();
            n = takeNotices();
        }
        deliver(n);
    }

    private void record(String timestamp, String stream, byte[] text, int off, int len) {
        if (problem != null) {
            if (retryDue()) recover(timestamp, stream, text, off, len);
            else lose(1);
            return;
        }
        if (!put(timestamp, stream, text, off, len, true)) lose(1);
        else if (used >= FLUSH_AT) writeOut();
    }

    private boolean retryDue() {
        return nanoClock.getAsLong() - lastTry >= RETRY_NANOS;
    }

    /** One attempt to write again: the marker, then the record (if any), written at once. */
    private void recover(String timestamp, String stream, byte[] text, int off, int len) {
        lastTry = nanoClock.getAsLong();
        byte[] m = (lostNow + " lines lost (" + reason + ")").getBytes(StandardCharsets.UTF_8);
        if (!put(timestamp, MANAGER_STREAM, m, 0, m.length, false)) {
            if (text != null) lose(1);
            return;
        }
        if (text != null && !put(timestamp, stream, text, off, len, true)) {
            lose(1);
            return;
        }
        if (!writeOut()) return;
        long n = lostNow;
        problem = null;
        reason = null;
        lostNow = 0;
        Listener l = listener;
        if (l != null) notice(() -> l.recovered(unit, n));
    }

    /**
     * Buffers one record, first rotating if it would take the file past {@code maxSize}. False when the
     * file could not be opened, written or rotated: the log has then failed and the record is neither
     * buffered nor counted.
     */
    private boolean put(String timestamp, String stream, byte[] text, int off, int len, boolean counted) {
        byte[] head = (timestamp + " " + stream + " ").getBytes(StandardCharsets.US_ASCII);
        long rec = head.length + len + 1L;
        if (!open()) return false;
        if (size + used > 0 && size + used + rec > maxSize) {
            if (!writeOut() || !rotate() || !open()) return false;
        }
        buffer(head, text, off, len, counted);
        return true;
    }

    private void buffer(String timestamp, String stream, byte[] text, int off, int len, boolean counted) {
        buffer((timestamp + " " + stream + " ").getBytes(StandardCharsets.US_ASCII), text, off, len, counted);
    }

    private void buffer(byte[] head, byte[] text, int off, int len, boolean counted) {
        int need = used + head.length + len + 1;
        if (need > buf.length) buf = Arrays.copyOf(buf, Math.max(need, Math.max(512, buf.length * 2)));
        System.arraycopy(head, 0, buf, used, head.length);
        System.arraycopy(text, off, buf, used + head.length, len);
        buf[need - 1] = '\n';
        used = need;
        if (counted) records++;
    }

    private boolean open() {
        if (file != null) return true;
        Path p = current(dir, unit);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (dirMode != null) Files.setPosixFilePermissions(dir, dirMode);
            }
            prepareFile(p);
            file = new RandomAccessFile(p.toFile(), "rw");
            LogFile evicted = OpenLogs.SHARED.opened(this);
            if (evicted != null) notice(evicted::close);
            if (cutTo >= 0) {
                if (file.length() > cutTo) file.setLength(cutTo);
                cutTo = -1;
            }
            size = file.length();
        } catch (IOException | RuntimeException e) {
            closeFile();
            fail("cannot write " + p, e);
            return false;
        }
        if (unsized) {
            // records buffered before the file was open (appendBuffered): a file they would take past its size
            // is rotated first, so that they start the next one
            unsized = false;
            if (size > 0 && size + used > maxSize) return rotate() && open();
        }
        return true;
    }

    /**
     * Makes sure {@code p} is a log file of ours before it is opened: a missing one is created
     * exclusively (never through a symlink) with mode {@link #FILE_MODE} set explicitly, whatever the
     * umask; an existing one must be a regular file, not a symlink, and is given that mode if it has
     * another (logs written by older versions were 0644). Either way the file gets the directory's
     * group, which the daemon sets to the log group ({@code daemon --log-group}) when it runs as root,
     * so that the group's members can read the logs directly. The directory itself is the daemon's and
     * writable by nobody else, so nothing can swap the name between this check and the open.
     */
    private void prepareFile(Path p) throws IOException {
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes a;
        try {
            a = v.readAttributes();
        } catch (NoSuchFileException e) {
            a = null;
        }
        if (a == null) {
            try {
                Files.newByteChannel(p, Set.<java.nio.file.OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(FILE_MODE)).close();
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile (another log object of the same unit): checked below
            }
            a = v.readAttributes();
        }
        if (a.isSymbolicLink() || !a.isRegularFile()) {
            throw new FileSystemException(p.toString(), null, "not a regular file (a log is never written through a symlink)");
        }
        if (!a.permissions().equals(FILE_MODE)) v.setPermissions(FILE_MODE);
        try {
            // by number: a GroupPrincipal looks the name up in /etc/group, twice per new log file on the
            // loop thread when a crashed service's first line makes it (issue 13)
            Object g = Files.getAttribute(dir, "unix:gid");
            if (!g.equals(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS))) {
                Files.setAttribute(p, "unix:gid", g, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | RuntimeException e) {
            // the mode alone keeps others out; the group only lets the log group read the file directly
        }
    }

    /** Writes the buffer in one write at the end of the file; on failure cuts the file back and fails. */
    private boolean writeOut() {
        if (used == 0) return true;
        if (!open()) return false;
        long before = -1;
        try {
            before = file.length();
            file.seek(before);
            file.write(buf, 0, used);
            size = before + used;
            OpenLogs.SHARED.written(this);
            used = 0;
            records = 0;
            buf = EMPTY;
            return true;
        } catch (IOException | RuntimeException e) {
            if (before >= 0) {
                try {
                    file.setLength(before);
                } catch (IOException | RuntimeException again) {
                    cutTo = before;
                }
            }
            closeFile();
            fail("cannot write " + current(dir, unit), e);
            return false;
        }
    }

    private boolean rotate() {
        closeFile();
        int k = keep;
        try {
            if (k <= 0) {
                Files.deleteIfExists(current(dir, unit));
                return true;
            }
            Files.deleteIfExists(rotated(dir, unit, k));
            for (int i = k - 1; i >= 1; i--) {
                Path from = rotated(dir, unit, i);
                if (Files.exists(from)) Files.move(from, rotated(dir, unit, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(current(dir, unit), rotated(dir, unit, 1), StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException e) {
            fail("cannot rotate " + current(dir, unit), e);
            return false;
        }
    }

    private void closeFile() {
        if (file == null) return;
        OpenLogs.SHARED.closed(this);
        try {
            file.close();
        } catch (IOException e) {
            // nothing buffered in the stream itself: every write went through write(2) already
        }
        file = null;
    }

    /** Enters (or stays in) the failed state; the buffered records are dropped and counted as lost. */
    private void fail(String what, Exception e) {
        lastTry = nanoClock.getAsLong();
        String why = reason(e);
        boolean starts = problem == null;
        problem = what + ": " + why;
        if (starts) {
            reason = why;
            lostNow = 0;
        }
        lose(records);
        used = 0;
        records = 0;
        unsized = false;
        Listener l = listener;
        if (starts && l != null) {
            String line = problem;
            notice(() -> l.problem(unit, line));
        }
    }

    private void lose(long n) {
        lostNow += n;
        lostTotal += n;
    }

    /** The OS's words for why, without the path (the problem line names the log file itself). */
    public static String reason(Exception e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof FileAlreadyExistsException) return "File exists";
        if (e instanceof NotDirectoryException) return "Not a directory";
        String m = e.getMessage();
        if (m == null || m.isEmpty()) return e.getClass().getSimpleName();
        // RandomAccessFile's FileNotFoundException: "<path> (<reason>)"
        if (e instanceof FileNotFoundException && m.endsWith(")") && m.lastIndexOf(" (") >= 0) {
            return m.substring(m.lastIndexOf(" (") + 2, m.length() - 1);
        }
        return m;
    }

    private void notice(Runnable r) {
        if (notices == null) notices = new ArrayList<>(2);
        notices.add(r);
    }

    private List<Runnable> takeNotices() {
        List<Runnable> n = notices;
        notices = null;
        return n;
    }

    private static void deliver(List<Runnable> n) {
        if (n == null) return;
        for (Runnable r : n) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a listener's failure must not reach the output pump or the supervisor
            }
        }
    }
}
