package dev.svcmgr.core.os;

import dev.svcmgr.units.load.UnitFileReader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How the daemon makes its files and reads unit files (docs/security.md). */
class SecureFilesTest {
    @TempDir Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @DisplayName("an atomic write never writes through a symlink at the old predictable temporary name or at the target")
    void atomicWritesNeverFollowSymlinks() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path target = dir.resolve("state.json");
        Files.createSymbolicLink(dir.resolve(".state.json.tmp"), victim);
        SecureFiles.writeAtomically(target, "one".getBytes(StandardCharsets.UTF_8), SecureFiles.PRIVATE_FILE, true);
        assertEquals("untouched", Files.readString(victim));
        assertEquals("one", Files.readString(target));
        // a symlink at the target itself is replaced, not followed
        Files.delete(target);
        Files.createSymbolicLink(target, victim);
        SecureFiles.writeAtomically(target, "two".getBytes(StandardCharsets.UTF_8), SecureFiles.PRIVATE_FILE, false);
        assertEquals("untouched", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("two", Files.readString(target));
        assertEquals("rw-------", mode(target));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary file is left behind"); // victim, state.json, the planted link
        }
    }

    @Test
    void aDirectoryThatIsASymlinkIsRefused() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("run"), real);
        var e = assertThrows(SecureFiles.UnsafeDirectoryException.class, () -> SecureFiles.checkDir(link, "runtime dir"));
        assertEquals("refusing runtime dir " + link + ": it is a symbolic link; remove it or pass a directory of this user's own",
                e.getMessage());
    }

    @Test
    void aDirectoryWritableByGroupOrOthersIsRefused() throws IOException {
        Path d = Files.createDirectory(dir.resolve("log"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxr-x"));
        var e = assertThrows(SecureFiles.UnsafeDirectoryException.class, () -> SecureFiles.checkDir(d, "log dir"));
        assertTrue(e.getMessage().contains("writable by group (mode 0775)"), e.getMessage());
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        SecureFiles.checkDir(d, "log dir");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws IOException {
        assumeTrue(SecureFiles.processUid() == 0, "needs root to give a directory away");
        Path d = Files.createDirectory(dir.resolve("state"));
        Files.setAttribute(d, "unix:uid", 65534);
        var e = assertThrows(SecureFiles.UnsafeDirectoryException.class, () -> SecureFiles.checkDir(d, "state dir"));
        assertTrue(e.getMessage().contains("owned by uid 65534, not by this daemon's uid 0"), e.getMessage());
    }

    @Test
    void aNewDirectoryGetsItsModeExplicitly() throws IOException {
        Path d = dir.resolve("a/b/state");
        SecureFiles.prepareDir(d, SecureFiles.PRIVATE_DIR, null, "state dir");
        assertEquals("rwx------", mode(d));
    }

    @Test
    @DisplayName("the daemon's unit-file reader returns at once for a FIFO, where opening it would wait for a writer")
    void theUnitFileReaderNeverBlocksOnAFifo() throws Exception {
        Path fifo = dir.resolve("x.service.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(UnitFileReader.NotRegularFileException.class, () -> UnitFiles.READER.read(fifo, 100)));
        Path file = Files.writeString(dir.resolve("a.service.yaml"), "exec: /bin/true\n");
        assertArrayEquals("exec: /bin/true\n".getBytes(StandardCharsets.UTF_8), UnitFiles.READER.read(file, 1000));
        assertEquals(4, UnitFiles.READER.read(file, 4).length);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> UnitFiles.READER.read(dir.resolve("none"), 10));
    }

    @Test
    @DisplayName("through the daemon's reader, a FIFO and a dangling drop-in symlink are each 'not a regular file'")
    void notRegularFilesAreToldAsSuchThroughTheDaemonsReader() throws Exception {
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(units.resolve("a.service.yaml"), "exec: /bin/true\n");
        Files.createDirectories(units.resolve("a.service.d"));
        Files.createSymbolicLink(units.resolve("a.service.d/10-gone.yaml"), dir.resolve("nowhere.yaml"));
        Process p = new ProcessBuilder("mkfifo", units.resolve("f.service.yaml").toString()).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
        var set = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> dev.svcmgr.units.load.UnitLoader.load(java.util.List.of(units), UnitFiles.READER));
        java.util.List<String> msgs = set.problems().stream().map(dev.svcmgr.units.Problem::format).toList();
        assertTrue(msgs.stream().anyMatch(m -> m.contains("10-gone.yaml") && m.contains("not a regular file")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.contains("f.service.yaml") && m.contains("not a regular file")), msgs.toString());
        assertEquals("a.service", set.lookup("a.service").name(), "the unit is still there (bad-setting: its drop-in cannot be read)");
    }
}
