package dev.svcmgr.core.log;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One unit's log file. Each record is one line:
 * {@code 2026-11-25T05:44:03.123Z stdout <text>}. Before a record that would
 * take the file past {@code maxSize}, the file is rotated ({@code .log} becomes
 * {@code .log.1}, {@code .log.1} becomes {@code .log.2}, ..., beyond {@code keep}
 * deleted), so a record is never split across two files; a record larger than
 * {@code maxSize} alone goes into a file of its own. Thread-safe.
 */
public final class LogFile implements AutoCloseable {
    private static final byte[] NL = {'\n'};

    private final Path dir;
    private final String unit;
    private volatile long maxSize;
    private volatile int keep;
    private OutputStream out;
    private long size;

    public LogFile(Path dir, String unit, long maxSize, int keep) {
        this.dir = dir;
        this.unit = unit;
        this.maxSize = maxSize;
        this.keep = keep;
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

    /** Appends one record; {@code text} is raw bytes without the newline. */
    public synchronized void append(String timestamp, String stream, byte[] text, int off, int len) {
        try {
            byte[] head = (timestamp + " " + stream + " ").getBytes(StandardCharsets.US_ASCII);
            long rec = head.length + len + 1L;
            open();
            if (size > 0 && size + rec > maxSize) {
                rotate();
                open();
            }
            out.write(head);
            out.write(text, off, len);
            out.write(NL);
            size += rec;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends a line of text (e.g. a manager note about the unit). */
    public void append(String timestamp, String stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        append(timestamp, stream, b, 0, b.length);
    }

    /** Pushes buffered records to the file. */
    public synchronized void flush() {
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open() throws IOException {
        if (out != null) return;
        Files.createDirectories(dir);
        Path p = current(dir, unit);
        out = new BufferedOutputStream(new FileOutputStream(p.toFile(), true), 64 * 1024);
        size = Files.size(p);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        if (keep <= 0) {
            Files.deleteIfExists(current(dir, unit));
            return;
        }
        Files.deleteIfExists(rotated(dir, unit, keep));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(dir, unit, i);
            if (Files.exists(from)) Files.move(from, rotated(dir, unit, i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(current(dir, unit), rotated(dir, unit, 1), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public synchronized void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out = null;
        }
    }
}
