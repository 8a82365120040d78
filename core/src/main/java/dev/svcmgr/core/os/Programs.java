package dev.svcmgr.core.os;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a service's program is, found and checked as {@code execvp} would (or inside a root directory,
 * as the chrooted service will exec it), so that a missing or non-executable program is a start failure
 * with its stage ({@code Stage: executing command / Error: No such file or directory}) before anything runs.
 */
final class Programs {
    private Programs() {}

    /** The program's path inside {@code root} (as the chrooted service will exec it), checked from outside. */
    static String resolveIn(String root, String prog, String pathVar) throws SpawnException {
        if (prog.startsWith("/")) {
            check(Path.of(root + prog));
            return prog;
        }
        for (String d : pathVar.split(":")) {
            if (d.startsWith("/") && Files.exists(Path.of(root + d, prog))) {
                check(Path.of(root + d, prog));
                return d + "/" + prog;
            }
        }
        throw new SpawnException("executing command " + prog + " in root directory " + root, Native.strerror(2));
    }

    /** The absolute program path, as execvp would find it; the stage error otherwise. */
    static String resolve(String prog, String pathVar, String dir) throws SpawnException {
        return resolve(prog, pathVar, dir, true);
    }

    /**
     * As {@link #resolve(String, String, String)}; with {@code checkPath} false a name with a slash is
     * not checked here: the spawner's exec reports the same stage and error for it ({@code executing
     * command}, ENOENT or EACCES, the path), so the three system calls of the check are saved at every
     * start (issue 13). The caller checks it ({@link #check(String)}) when it spawns another way.
     */
    static String resolve(String prog, String pathVar, String dir, boolean checkPath) throws SpawnException {
        if (prog.contains("/")) {
            Path p = Path.of(dir).resolve(prog);
            if (checkPath) check(p);
            return p.toString();
        }
        SpawnException denied = null;
        for (String d : pathVar.split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, prog);
            if (!Files.exists(p)) continue;
            try {
                check(p);
                return p.toString();
            } catch (SpawnException e) {
                denied = e;
            }
        }
        if (denied != null) throw denied;
        throw new SpawnException("executing command", Native.strerror(2), prog);
    }

    /** The stage error when {@code path} is not an executable file. */
    static void check(String path) throws SpawnException { check(Path.of(path)); }

    private static void check(Path p) throws SpawnException {
        if (!Files.exists(p)) throw new SpawnException("executing command", Native.strerror(2), p.toString());
        if (Files.isDirectory(p) || Native.C.access(p.toString(), Native.X_OK) != 0) {
            throw new SpawnException("executing command", Native.strerror(13), p.toString());
        }
    }
}
