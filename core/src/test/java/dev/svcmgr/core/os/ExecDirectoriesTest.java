package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A service's directories on a real file system: made with their mode and owner, never through a symlink; removed without following one. */
class ExecDirectoriesTest {
    @TempDir Path dir;

    private static int attr(Path p, String a) throws IOException { return (Integer) Files.getAttribute(p, "unix:" + a, LinkOption.NOFOLLOW_LINKS); }

    @Test
    void nestedNamesGetTheModeAndOwnerOnTheLastPartAndParentsStayTheManagers() throws Exception {
        Path base = dir.resolve("base");
        boolean root = SecureFiles.processUid() == 0;
        long uid = root ? 65534 : -1, gid = root ? 65534 : -1;
        Path made = ExecDirectories.make("runtime-directory", base, "a/b", 02750, uid, gid);
        assertEquals(base.resolve("a/b"), made);
        assertEquals(02750, attr(made, "mode") & 07777, "the mode is set, whatever the umask");
        assertEquals(0755, attr(base.resolve("a"), "mode") & 07777);
        assertEquals(SecureFiles.processUid(), attr(base.resolve("a"), "uid"));
        if (root) {
            assertEquals(65534, attr(made, "uid"));
            assertEquals(65534, attr(made, "gid"));
        }
        Files.setAttribute(made, "unix:mode", 0777, LinkOption.NOFOLLOW_LINKS);
        ExecDirectories.make("runtime-directory", base, "a/b", 0700, uid, gid);
        assertEquals(0700, attr(made, "mode") & 07777, "an existing directory gets the mode again");
    }

    @Test
    void aSymlinkOrAFileInThePathFailsWithTheStageAndThePath() throws Exception {
        Path base = Files.createDirectory(dir.resolve("base"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(base.resolve("link"), elsewhere);
        SpawnException e = assertThrows(SpawnException.class, () -> ExecDirectories.make("state-directory", base, "link/x", 0755, -1, -1));
        assertEquals("Stage: state-directory / Error: it is a symbolic link (not followed) (" + base.resolve("link") + ")", e.detail());
        assertFalse(Files.exists(elsewhere.resolve("x")), "nothing was made through the link");
        Files.writeString(base.resolve("file"), "x");
        e = assertThrows(SpawnException.class, () -> ExecDirectories.make("runtime-directory", base, "file", 0755, -1, -1));
        assertEquals("Stage: runtime-directory / Error: something that is not a directory is in its place (" + base.resolve("file") + ")",
                e.detail());
    }

    @Test
    void removalTakesTheTreeButNeverFollowsASymlinkOut() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path d = ExecDirectories.make("runtime-directory", dir.resolve("run"), "svc", 0755, -1, -1);
        Files.createDirectories(d.resolve("x/y"));
        Files.writeString(d.resolve("x/y/f"), "f");
        Files.createSymbolicLink(d.resolve("x/out"), outside);
        Files.createSymbolicLink(d.resolve("out-file"), outside.resolve("keep"));
        assertNull(ExecDirectories.remove(d));
        assertFalse(Files.exists(d, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("keep")));
        assertTrue(Files.exists(dir.resolve("run")), "the base stays");
    }

    @Test
    void removalLeavesAFileOrASymlinkInThePlaceAlone() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertNull(ExecDirectories.remove(f));
        assertTrue(Files.exists(f));
        Path target = Files.createDirectory(dir.resolve("t"));
        Files.writeString(target.resolve("k"), "k");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        assertNull(ExecDirectories.remove(link));
        assertTrue(Files.exists(target.resolve("k")));
        assertNull(ExecDirectories.remove(dir.resolve("missing")));
    }

    @Test
    void theOwnerIsTheUsersWithItsOwnGroupUnlessAGroupIsNamed() throws Exception {
        assumeTrue(Files.exists(Path.of("/etc/passwd")));
        var px = jnr.posix.POSIXFactory.getNativePOSIX();
        long[] o = ExecDirectories.owner(px, "nobody", null, "state-directory");
        assertEquals(65534, o[0]);
        assertEquals(px.getpwnam("nobody").getGID(), o[1]);
        assertEquals(0, ExecDirectories.owner(px, "nobody", "0", "state-directory")[1]);
        SpawnException e = assertThrows(SpawnException.class, () -> ExecDirectories.owner(px, "no-such-user-x", null, "state-directory"));
        assertEquals("Stage: state-directory / Error: no such user (no-such-user-x)", e.detail());
    }
}
