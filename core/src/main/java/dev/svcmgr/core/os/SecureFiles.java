package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How the daemon makes its directories and files (cli.md "The control socket", "Files:"; docs/security.md).
 *
 * <ul>
 *   <li>Modes are set explicitly after creation, so the umask the daemon inherited never widens them.</li>
 *   <li>A directory the daemon is given is refused when it is a symlink, owned by another uid than the
 *       daemon's, or writable by group or others: whoever could write there could plant symlinks and
 *       files the daemon would then trust.</li>
 *   <li>A file is replaced through a temporary file with an unpredictable name, created exclusively
 *       ({@code O_CREAT|O_EXCL}, which never follows a symlink) and renamed over the target ({@code
 *       rename} replaces a symlink, it never writes through it).</li>
 * </ul>
 * Pure Java: nothing here needs the C library.
 */
public final class SecureFiles {
    private SecureFiles() {}

    /** {@code rwx------}: directories only the daemon may enter. */
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}: files only the daemon may read. */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    /** A directory the daemon refuses to use, with one line naming it and why. */
    public static final class UnsafeDirectoryException extends IOException {
        private static final long serialVersionUID = 1L;

        public UnsafeDirectoryException(String message) { super(message); }
    }

    /** This process's uid: the owner of {@code /proc/self} (the effective uid); -1 when unknown. */
    public static int processUid() {
        int u = uid;
        if (u != -1) return u;
        try {
            return uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Read once: asked for each directory checked, twice per service start (issue 13); no code here changes it. */
    private static volatile int uid = -1;

    /**
     * Makes {@code dir} when it is missing (missing parents too) with {@code mode} set explicitly, then
     * checks it ({@link #checkDir}); when {@code group} is not null the directory's group is set to it.
     * A directory that already exists keeps its mode once it passes the checks.
     *
     * @param what how the one-line refusal names it ({@code runtime dir}, {@code log dir})
     * @throws UnsafeDirectoryException when the directory must not be used
     */
    public static void prepareDir(Path dir, Set<PosixFilePermission> mode, GroupPrincipal group, String what)
            throws IOException {
        boolean made = false;
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(dir);
                made = true;
            } catch (FileAlreadyExistsException e) {
                // someone made it first: the checks below decide
            }
        }
        PosixFileAttributeView v = view(dir);
        if (made) v.setPermissions(mode); // before the checks: the umask may have left it writable by others
        checkDir(dir, what);
        if (group != null && !group.equals(v.readAttributes().group())) v.setGroup(group);
    }

    /**
     * Refuses a directory that is a symlink, is not a directory, is owned by another uid than this
     * process's (root's directories must be root's), or is writable by group or others.
     */
    public static void checkDir(Path dir, String what) throws IOException {
        int mode;
        int owner;
        try {
            if (Files.isSymbolicLink(dir)) throw unsafe(what, dir, "it is a symbolic link");
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw unsafe(what, dir, "it is not a directory");
            mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw unsafe(what, dir, "it vanished while being checked");
        }
        int me = processUid();
        if (me >= 0 && owner != me) {
            throw unsafe(what, dir, "it is owned by uid " + owner + ", not by this daemon's uid " + me);
        }
        if ((mode & 022) != 0) {
            throw unsafe(what, dir, String.format("it is writable by %s (mode %04o)",
                    (mode & 020) != 0 && (mode & 002) != 0 ? "group and others" : (mode & 020) != 0 ? "group" : "others",
                    mode & 07777));
        }
    }

    private static UnsafeDirectoryException unsafe(String what, Path dir, String why) {
        return new UnsafeDirectoryException("refusing " + what + " " + dir + ": " + why
                + "; remove it or pass a directory of this user's own");
    }

    /**
     * A directory inside one already checked (the runtime dir's {@code services/}, {@code fifo/},
     * {@code transient/}): made with {@code mode} when missing; an existing one must be a real directory
     * of this uid, and loses write access for group and others if it had it.
     */
    public static void privateSubdir(Path dir, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir);
                view(dir).setPermissions(mode);
                return;
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: checked below
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + " is not a directory (or is a symlink)");
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = processUid();
        if (me >= 0 && owner != me) throw new IOException(dir + " is owned by uid " + owner + ", not by this daemon's uid " + me);
        int m = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((m & 022) != 0) view(dir).setPermissions(mode);
    }

    /**
     * Replaces {@code target} with {@code data}: a new file with an unpredictable name beside it, created
     * exclusively (never through a symlink), given {@code mode} explicitly, written (and synced with
     * {@code sync}), then renamed over the target. A symlink at the target is replaced, not followed.
     */
    public static void writeAtomically(Path target, byte[] data, Set<PosixFilePermission> mode, boolean sync)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.<java.nio.file.OpenOption>of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                if (sync) ch.force(true);
            }
            view(tmp).setPermissions(mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates the regular file {@code p} exclusively (failing when anything, a symlink included, has the
     * name) and gives it {@code mode} explicitly.
     */
    public static void createFile(Path p, Set<PosixFilePermission> mode) throws IOException {
        Files.newByteChannel(p, Set.<java.nio.file.OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE)).close();
        view(p).setPermissions(mode);
    }

    /** The attribute view of {@code p} itself (a symlink is never followed). */
    public static PosixFileAttributeView view(Path p) {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The group named {@code name}, or null when there is none (or groups cannot be looked up). */
    public static GroupPrincipal group(String name) {
        if (name == null || name.isEmpty()) return null;
        try {
            return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
