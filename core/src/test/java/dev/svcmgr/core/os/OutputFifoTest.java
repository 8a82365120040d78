package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A service's output FIFOs on real files: made 0600, kept for the next run, anything else in their place replaced, never followed. */
class OutputFifoTest {
    static ProcessRuntime os;
    @TempDir Path tmp;

    @BeforeAll
    static void up() { os = ProcessRuntime.linux("svcmgr-fifotest-" + ProcessHandle.current().pid(), true); }

    @AfterAll
    static void down() { os.close(); }

    private static BasicFileAttributes attrs(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    @DisplayName("first run: both FIFOs made, 0600; next run: the same FIFOs; a file or a symlink in their place: replaced by a FIFO, the target untouched")
    void fifosAreMadeKeptAndReclaimed() throws Exception {
        Path dir = tmp.resolve("fifo");
        Path out = dir.resolve("a.service.stdout"), err = dir.resolve("a.service.stderr");
        try (OutputChannel c = os.output(dir, "a.service", ProcessRuntimeTest.DISCARD)) {
            for (Path p : new Path[] {out, err}) {
                assertTrue(attrs(p).isOther(), p + " is a FIFO");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        Object before = attrs(out).fileKey();
        try (OutputChannel c = os.output(dir, "a.service", ProcessRuntimeTest.DISCARD)) {
            assertEquals(before, attrs(out).fileKey(), "the existing FIFO reused");
        }
        Path target = tmp.resolve("target");
        Files.writeString(target, "keep\n");
        Files.delete(out);
        Files.writeString(out, "a regular file\n");
        Files.delete(err);
        Files.createSymbolicLink(err, target);
        try (OutputChannel c = os.output(dir, "a.service", ProcessRuntimeTest.DISCARD)) {
            assertTrue(attrs(out).isOther(), "the regular file replaced by a FIFO");
            assertTrue(attrs(err).isOther(), "the symlink replaced by a FIFO");
            assertFalse(attrs(err).isSymbolicLink());
        }
        assertEquals("keep\n", Files.readString(target));
    }

    @Test
    @DisplayName("the FIFO directory is checked once; removed while the manager runs, it is made again (0700) at the next start")
    void aRemovedFifoDirectoryIsMadeAgain() throws Exception {
        Path dir = tmp.resolve("gone");
        try (OutputChannel c = os.output(dir, "b.service", ProcessRuntimeTest.DISCARD)) {
            assertTrue(attrs(dir.resolve("b.service.stdout")).isOther());
        }
        for (String n : new String[] {"b.service.stdout", "b.service.stderr"}) Files.delete(dir.resolve(n));
        Files.delete(dir);
        try (OutputChannel c = os.output(dir, "b.service", ProcessRuntimeTest.DISCARD)) {
            assertTrue(attrs(dir.resolve("b.service.stdout")).isOther(), "made again");
            assertTrue(attrs(dir.resolve("b.service.stderr")).isOther(), "made again");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
        }
        // made ahead (the first start of a service in a transaction): opened as made
        os.prepareOutput(dir, "c.service");
        ProcessRuntimeTest.poll(() -> Files.exists(dir.resolve("c.service.stdout"), LinkOption.NOFOLLOW_LINKS), "c's FIFOs made ahead");
        try (OutputChannel c = os.output(dir, "c.service", ProcessRuntimeTest.DISCARD)) {
            assertTrue(attrs(dir.resolve("c.service.stderr")).isOther());
        }
        for (String n : new String[] {"b.service.stdout", "b.service.stderr", "c.service.stdout", "c.service.stderr"}) Files.delete(dir.resolve(n));
        os.prepareOutput(dir, "d.service");
        ProcessRuntimeTest.poll(() -> Files.exists(dir.resolve("d.service.stdout"), LinkOption.NOFOLLOW_LINKS), "d's FIFOs made ahead");
        Files.delete(dir.resolve("d.service.stdout"));
        Files.delete(dir.resolve("d.service.stderr"));
        try (OutputChannel c = os.output(dir, "d.service", ProcessRuntimeTest.DISCARD)) {
            assertTrue(attrs(dir.resolve("d.service.stdout")).isOther(), "a FIFO made ahead and removed since is made again");
            assertTrue(attrs(dir.resolve("d.service.stderr")).isOther());
        }
    }
}
