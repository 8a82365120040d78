package dev.svcmgr.core.daemon;

import dev.svcmgr.units.Problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who may read what over the control socket (cli.md "The control socket" and "More commands";
 * docs/security.md "Who may read what"). Root and the daemon's own uid read everything. Another
 * client reads a unit's logs (verb {@code logs}, and the last lines {@code status} shows) when the
 * unit runs as that client's uid, or when the client is in the log group ({@code daemon --log-group},
 * default {@code adm}). A unit-file problem that quotes its file is shown in full only to a client
 * that could read the file itself; others get its location and kind ({@link Problem#kind()}).
 * Decisions are made on the numeric uid from SO_PEERCRED.
 */
final class ReadAccess {
    private final int daemonUid;
    private final String logGroup;

    /**
     * @param daemonUid the daemon's own uid
     * @param logGroup  the group whose members read every log (null or empty: none)
     */
    ReadAccess(int daemonUid, String logGroup) {
        this.daemonUid = daemonUid;
        this.logGroup = logGroup == null || logGroup.isEmpty() ? null : logGroup;
    }

    String logGroup() { return logGroup; }

    private boolean everything(Peer p) {
        return p.privileged() || p.uid() == 0 || (p.uid() >= 0 && p.uid() == daemonUid);
    }

    /** May {@code p} read the logs of a unit whose {@code user:} is {@code unitUser} (null: it runs as the daemon's user)? */
    boolean mayReadLogs(Peer p, String unitUser) {
        if (everything(p)) return true;
        if (p.uid() < 0) return false;
        int runsAs = unitUser == null ? daemonUid : Accounts.uidOf(unitUser);
        if (runsAs >= 0 && runsAs == p.uid()) return true;
        Accounts.Group g = logGroup == null ? null : Accounts.group(logGroup);
        return g != null && Accounts.inGroup(p.uid(), g.gid());
    }

    /** The error for a client that may not read {@code unit}'s logs. */
    String logsDenied(String unit) {
        return "permission denied: the logs of " + unit + " are readable by root, the daemon's user, the user the unit runs as"
                + (logGroup == null ? "" : " and members of group " + logGroup);
    }

    /** One line for the {@code status} page of a client that may not read the logs, in place of them. */
    String logsHidden() {
        return "not shown: only root, the daemon's user, the user the unit runs as"
                + (logGroup == null ? "" : " and members of group " + logGroup) + " may read them";
    }

    /**
     * The problem as {@code p} may see it: in full when the message quotes nothing that needs hiding or
     * {@code p} could read the file itself, else its location and kind only.
     */
    String problem(Peer p, Problem problem) {
        if (problem.kind() == null || everything(p)) return problem.format();
        if (problem.file() != null && mayReadFile(p, Path.of(problem.file()))) return problem.format();
        return problem.formatWithoutContent();
    }

    /** Could {@code p} open {@code file} for reading (permission bits of the file and the search bits above it)? */
    boolean mayReadFile(Peer p, Path file) {
        if (everything(p)) return true;
        if (p.uid() < 0) return false;
        try {
            Path real = file.toRealPath();
            if (!allowed(p, Files.readAttributes(real, "unix:uid,gid,mode"), 04)) return false;
            for (Path d = real.getParent(); d != null; d = d.getParent()) {
                if (!allowed(p, Files.readAttributes(d, "unix:uid,gid,mode"), 01)) return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The permission bit {@code bit} (4 read, 1 search) of the class {@code p} falls in. */
    private static boolean allowed(Peer p, Map<String, Object> a, int bit) {
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        if (uid == p.uid()) return (mode & (bit << 6)) != 0;
        if (Accounts.inGroup(p.uid(), gid)) return (mode & (bit << 3)) != 0;
        return (mode & bit) != 0;
    }
}
