package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link PathWatch} on real files and the real inotify: what each kind of change reports. */
class PathWatchTest {
    @TempDir Path dir;
    private final PathWatch watch = new PathWatch();
    private final LinkedBlockingQueue<Boolean> events = new LinkedBlockingQueue<>();

    @AfterEach
    void close() { watch.close(); }

    /** The next event (true: a plain write), waiting up to 10 s; null when none came. */
    private Boolean next() throws InterruptedException { return events.poll(10, TimeUnit.SECONDS); }

    /** Drains what came within a short quiet time (inotify delivers at once; 200 ms of silence ends it). */
    private int drain() throws InterruptedException {
        int n = 0;
        while (events.poll(200, TimeUnit.MILLISECONDS) != null) n++;
        return n;
    }

    @Test
    @DisplayName("a file: a write that is closed, a plain write (flagged), a rename over it (and the new file is watched), a removal")
    void aFile() throws Exception {
        Path f = dir.resolve("app.conf");
        Files.writeString(f, "one\n");
        watch.watch(f.toString(), events::add);
        Files.writeString(dir.resolve("other.conf"), "not this one\n");
        assertEquals(0, drain(), "another file in the directory is not reported");
        try (FileOutputStream out = new FileOutputStream(f.toFile(), true)) {
            out.write("two\n".getBytes());
            out.flush();
            assertEquals(Boolean.TRUE, next(), "a plain write, the file still open");
        }
        assertEquals(Boolean.FALSE, next(), "the close of a written file");
        drain();
        Path tmp = dir.resolve(".app.conf.new");
        Files.writeString(tmp, "three\n");
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(Boolean.FALSE, next(), "replaced by rename");
        drain();
        Files.writeString(f, "four\n");
        assertNotNull(next(), "the new file (another inode) is watched");
        drain();
        Files.delete(f);
        assertEquals(Boolean.FALSE, next(), "removed");
    }

    @Test
    @DisplayName("a file whose directories do not exist yet: seen once they are made and it is written")
    void directoriesMadeLater() throws Exception {
        Path f = dir.resolve("a/b/c/app.conf");
        watch.watch(f.toString(), events::add);
        Files.createDirectories(dir.resolve("a/b"));
        assertNotNull(next(), "the watch moved down");
        Files.createDirectories(dir.resolve("a/b/c"));
        drain();
        Files.writeString(f, "hello\n");
        assertNotNull(next(), "the file written in the directory made last");
        drain();
        assertEquals(1, watch.kernelWatches(), "only its own directory is watched now");
    }

    @Test
    @DisplayName("a directory: any entry made in it; a closed handle reports nothing and holds no kernel watch")
    void aDirectoryAndClosing() throws Exception {
        Path d = Files.createDirectories(dir.resolve("spool"));
        PathWatch.Handle h = watch.watch(d + "/", events::add);
        Files.writeString(d.resolve("job1"), "x");
        assertNotNull(next());
        drain();
        h.close();
        Files.writeString(d.resolve("job2"), "x");
        assertNull(events.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(0, watch.kernelWatches());
    }
}
