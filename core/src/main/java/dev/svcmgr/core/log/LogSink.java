package dev.svcmgr.core.log;

import dev.svcmgr.core.os.OutputListener;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Cuts one process's stdout and stderr into lines and appends them to the
 * unit's {@link LogFile}. A line longer than {@link #MAX_LINE} bytes is written
 * as several records; a last line without newline is written when its stream
 * closes. Runs on the output pump thread.
 */
public final class LogSink implements OutputListener {
    /** Longest record; longer lines are cut. */
    public static final int MAX_LINE = 64 * 1024;
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LogFile file;
    private final Runnable onBothClosed;
    /** A line without its newline yet, per stream; allocated when one comes (most services write none). */
    private final byte[][] partial = {null, EMPTY, EMPTY, EMPTY};
    private static final byte[] EMPTY = new byte[0];
    private final int[] used = new int[4];
    private int open = 2;
    /** Where every line also goes ({@link #tee}), or null. */
    private volatile ConsoleOutput console;
    private volatile String consoleUnit;
    private volatile java.util.function.IntSupplier consolePid;

    /** {@code onBothClosed} (may be null) runs once stdout and stderr are both closed and flushed. */
    public LogSink(LogFile file, Runnable onBothClosed) {
        this.file = file;
        this.onBothClosed = onBothClosed;
    }

    /**
     * Every line from now on also goes to {@code console} as {@code unit[pid]: line}, {@code pid} the
     * unit's main PID when the line is read (0: none); null stops that. Returns this sink.
     */
    public LogSink tee(ConsoleOutput console, String unit, java.util.function.IntSupplier pid) {
        this.consoleUnit = unit;
        this.consolePid = pid;
        this.console = console;
        return this;
    }

    /** Lines for the console read while a main process was being spawned and its PID not yet known. */
    private final Object consoleLock = new Object();
    private java.util.List<byte[]> held;
    private boolean holding;
    /** Most lines held while a spawn is under way; more go out headed {@code unit:} alone. */
    static final int MAX_HELD = 256;

    private void record(String ts, String name, byte[] b, int off, int len) {
        file.append(ts, name, b, off, len);
        ConsoleOutput c = console;
        if (c == null) return;
        synchronized (consoleLock) {
            int pid = consolePid.getAsInt();
            if (holding && pid == 0) {
                if (held == null) held = new java.util.ArrayList<>();
                if (held.size() < MAX_HELD) {
                    held.add(java.util.Arrays.copyOfRange(b, off, off + len));
                    return;
                }
                // too many to hold: what waits goes first, in order, without a PID
                for (byte[] l : held) c.line(consoleUnit, 0, l, 0, l.length);
                held.clear();
            }
            c.line(consoleUnit, pid, b, off, len);
        }
    }

    /**
     * A main process is being spawned: console lines read before its PID is known wait (a process may
     * write before the spawn has returned its PID) until {@link #releaseConsole}. Never blocks the reader.
     */
    public void holdConsole() {
        synchronized (consoleLock) {
            holding = true;
        }
    }

    /** The spawn is over (its PID known, or failed): the held lines go out, headed by the PID now known. */
    public void releaseConsole() {
        ConsoleOutput c = console;
        synchronized (consoleLock) {
            holding = false;
            java.util.List<byte[]> h = held;
            held = null;
            if (c == null || h == null) return;
            int pid = consolePid.getAsInt();
            for (byte[] l : h) c.line(consoleUnit, pid, l, 0, l.length);
        }
    }

    /**
     * Formats a timestamp as records carry it ({@code 2026-12-03T03:05:25.661Z}, UTC, milliseconds). By hand:
     * {@code DateTimeFormatter} was a quarter of the loop's work for a crashed service's log line, where the
     * restart path still runs in the interpreter (issue 13); years outside 0001-9999 go through it still.
     */
    public static String timestamp(Instant t) {
        long sec = t.getEpochSecond();
        long day = Math.floorDiv(sec, 86_400L);
        int inDay = (int) Math.floorMod(sec, 86_400L);
        Day today = lastDay;
        if (today == null || today.epochDay != day) {
            java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
            int y = d.getYear();
            if (y < 1 || y > 9999) return TS.format(t); // "yyyy" is the year of the era
            byte[] p = new byte[11];
            digits(p, 0, y, 4);
            p[4] = '-';
            digits(p, 5, d.getMonthValue(), 2);
            p[7] = '-';
            digits(p, 8, d.getDayOfMonth(), 2);
            p[10] = 'T';
            lastDay = today = new Day(day, p);
        }
        byte[] b = new byte[24];
        System.arraycopy(today.prefix, 0, b, 0, 11);
        digits(b, 11, inDay / 3600, 2);
        b[13] = ':';
        digits(b, 14, inDay / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, inDay % 60, 2);
        b[19] = '.';
        digits(b, 20, t.getNano() / 1_000_000, 3);
        b[23] = 'Z';
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The date part of the last timestamp ({@code 2026-12-03T}): the calendar is worked out once a day, not per line. */
    private record Day(long epochDay, byte[] prefix) {}

    private static volatile Day lastDay;

    private static void digits(byte[] b, int at, int v, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** The formatter {@link #timestamp} agrees with (for tests). */
    static String timestampByFormatter(Instant t) { return TS.format(t); }

    private static String streamName(int s) {
        return s == 1 ? "stdout" : s == 2 ? "stderr" : "output";
    }

    @Override
    public void data(int stream, byte[] buf, int len) {
        String ts = timestamp(Instant.now());
        String name = streamName(stream);
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (buf[i] == '\n') {
                emit(stream, ts, name, buf, start, i - start);
                start = i + 1;
            }
        }
        if (start < len) keepPartial(stream, ts, name, buf, start, len - start);
        file.flush();
    }

    private void emit(int stream, String ts, String name, byte[] buf, int off, int len) {
        if (used[stream] == 0) {
            record(ts, name, buf, off, len);
            return;
        }
        append(stream, buf, off, len);
        record(ts, name, partial[stream], 0, used[stream]);
        used[stream] = 0;
    }

    private void keepPartial(int stream, String ts, String name, byte[] buf, int off, int len) {
        while (len > 0) {
            int room = MAX_LINE - used[stream];
            int n = Math.min(room, len);
            append(stream, buf, off, n);
            off += n;
            len -= n;
            if (used[stream] == MAX_LINE) {
                record(ts, name, partial[stream], 0, used[stream]);
                used[stream] = 0;
            }
        }
    }

    private void append(int stream, byte[] buf, int off, int len) {
        byte[] p = partial[stream];
        if (used[stream] + len > p.length) {
            p = partial[stream] = Arrays.copyOf(p, Math.max(Math.max(256, p.length * 2), used[stream] + len));
        }
        System.arraycopy(buf, off, p, used[stream], len);
        used[stream] += len;
    }

    /** The run ended and everything written was read: a last line without newline is complete. */
    @Override
    public void flush(int stream) {
        if (used[stream] > 0) {
            record(timestamp(Instant.now()), streamName(stream), partial[stream], 0, used[stream]);
            used[stream] = 0;
        }
        file.flush();
    }

    @Override
    public void closed(int stream) {
        flush(stream);
        boolean last;
        synchronized (this) { last = --open == 0; }
        if (last && onBothClosed != null) onBothClosed.run();
    }
}
