package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Makes and removes the directories a service asks for ({@code runtime-directory}, {@code state-directory},
 * {@code logs-directory}, {@code cache-directory}; units.md "Keys for packaged daemons"), as systemd does:
 * below a base the manager trusts ({@code /run}, {@code /var/lib}, ... or a user manager's own), each part of
 * the name is made when missing; the parts above the last get mode 0755 and stay the manager's, the last one
 * gets the unit's {@code directory-mode} and the service's user and group (also when it existed already).
 *
 * <p>A symbolic link is never followed below the base: a part that is a symlink, or anything but a directory,
 * fails the start with the part's path. Modes are set explicitly (the manager's umask never widens them).
 * Removal (runtime directories, after the service stopped) goes through directory descriptors
 * ({@link SecureDirectoryStream}: {@code openat}/{@code unlinkat} with {@code O_NOFOLLOW}), so a service that
 * swaps a directory for a symlink meanwhile only gets its link removed.
 */
public final class ExecDirectories {
    /** Deeper trees are left in place (each level holds a descriptor while it is emptied). */
    static final int MAX_DEPTH = 128;

    private ExecDirectories() {}

    /**
     * Makes {@code base/name}; {@code uid} -1 leaves the owner (the manager), else the last part gets
     * {@code uid} and {@code gid}.
     *
     * @param stage the unit key, which names the stage in the error ({@code runtime-directory})
     * @throws SpawnException {@code Stage: runtime-directory / Error: not a directory (/run/x)}
     */
    public static Path make(String stage, Path base, String name, int mode, long uid, long gid) throws SpawnException {
        try {
            if (!Files.isDirectory(base)) Files.createDirectories(base); // the base itself: the manager's, trusted
        } catch (IOException e) {
            throw new SpawnException(stage, reason(e), base.toString());
        }
        Path cur = base;
        String[] parts = name.split("/");
        for (int i = 0; i < parts.length; i++) {
            cur = cur.resolve(parts[i]);
            boolean last = i == parts.length - 1;
            try {
                boolean made = false;
                if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.createDirectory(cur);
                        made = true;
                    } catch (FileAlreadyExistsException e) {
                        // made meanwhile: checked below
                    }
                }
                if (Files.isSymbolicLink(cur)) throw new SpawnException(stage, "it is a symbolic link (not followed)", cur.toString());
                if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                    throw new SpawnException(stage, "something that is not a directory is in its place", cur.toString());
                }
                if (last) {
                    Files.setAttribute(cur, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
                    if (uid >= 0) {
                        Files.setAttribute(cur, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
                        Files.setAttribute(cur, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
                    }
                } else if (made) {
                    Files.setAttribute(cur, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
                }
            } catch (IOException e) {
                throw new SpawnException(stage, reason(e), cur.toString());
            }
        }
        return cur;
    }

    /**
     * Removes {@code dir} and everything in it without following a symlink; nothing happens when it is
     * missing, a symlink, or not a directory. Returns null, or why not all of it could be removed.
     */
    public static String remove(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return null;
        Path parent = dir.toAbsolutePath().getParent();
        try (DirectoryStream<Path> ps = Files.newDirectoryStream(parent)) {
            if (ps instanceof SecureDirectoryStream<Path> sp) {
                removeIn(sp, dir.getFileName(), 0);
                return null;
            }
            return "not removed: this file system offers no safe way to remove it";
        } catch (IOException e) {
            return "not removed completely: " + reason(e);
        }
    }

    private static void removeIn(SecureDirectoryStream<Path> parent, Path name, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("more than " + MAX_DEPTH + " levels of directories");
        try (SecureDirectoryStream<Path> d = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            for (Path e : d) {
                Path n = e.getFileName();
                BasicFileAttributes a = d.getFileAttributeView(n, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                if (a.isDirectory()) removeIn(d, n, depth + 1);
                else d.deleteFile(n);
            }
        }
        parent.deleteDirectory(name);
    }

    /**
     * The owner the last part gets: {@code {uid, gid}} of {@code user} (its password entry's group unless
     * {@code group} names another), {@code {-1, gid}} for a group alone, {@code {-1, -1}} for neither.
     */
    static long[] owner(jnr.posix.POSIX px, String user, String group, String stage) throws SpawnException {
        long uid = -1, gid = -1;
        if (user != null) {
            jnr.posix.Passwd pw = user.chars().allMatch(Character::isDigit) ? px.getpwuid(Integer.parseInt(user)) : px.getpwnam(user);
            if (pw == null) throw new SpawnException(stage, "no such user", user);
            uid = pw.getUID();
            gid = pw.getGID();
        }
        if (group != null) {
            if (!group.isEmpty() && group.chars().allMatch(Character::isDigit)) {
                gid = Long.parseLong(group);
            } else {
                jnr.posix.Group g = px.getgrnam(group);
                if (g == null) throw new SpawnException(stage, "no such group", group);
                gid = g.getGID();
            }
            if (uid < 0) uid = processUid();
        }
        return new long[] {uid, gid};
    }

    private static long processUid() { return SecureFiles.processUid(); }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.NotDirectoryException) return "Not a directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return String.valueOf(e.getMessage());
    }
}
