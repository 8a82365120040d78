package dev.svcmgr.core.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Users and groups from {@code /etc/passwd} and {@code /etc/group}, read afresh at each question (they
 * are small, and an account added while the daemon runs counts at once). Decisions are made on numeric
 * ids; names are only the way a unit's {@code user:} and the log group are written, and the way
 * {@code /etc/group} lists members. Accounts known only to other name services (LDAP and the like) are
 * not seen: that can only deny access, never grant it.
 */
final class Accounts {
    private Accounts() {}

    static final Path PASSWD = Path.of("/etc/passwd");
    static final Path GROUP = Path.of("/etc/group");

    /** One line of /etc/group. */
    record Group(String name, int gid, List<String> members) {}

    /** The uid a unit's {@code user:} names (a number or a user name), or -1 when unknown. */
    static int uidOf(String user) {
        if (user == null || user.isEmpty()) return -1;
        if (user.chars().allMatch(Character::isDigit)) {
            try {
                return Integer.parseInt(user);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        for (String[] f : lines(PASSWD)) if (f.length > 3 && f[0].equals(user)) return number(f[2]);
        return -1;
    }

    /** The user name and primary gid of {@code uid} ({@code [name, gid]}), or null. */
    private static String[] account(int uid) {
        for (String[] f : lines(PASSWD)) if (f.length > 3 && number(f[2]) == uid) return new String[] {f[0], f[3]};
        return null;
    }

    /** The group named {@code name}, or null. */
    static Group group(String name) {
        for (String[] f : lines(GROUP)) if (f.length > 2 && f[0].equals(name)) return toGroup(f);
        return null;
    }

    /** The group with id {@code gid}, or null. */
    static Group group(int gid) {
        for (String[] f : lines(GROUP)) if (f.length > 2 && number(f[2]) == gid) return toGroup(f);
        return null;
    }

    /**
     * True when the user {@code uid} is in group {@code gid}: as the account's primary group, or as a
     * member listed in /etc/group (the groups {@code login} and {@code setpriv --init-groups} give).
     */
    static boolean inGroup(int uid, int gid) {
        if (gid < 0 || uid < 0) return false;
        String[] a = account(uid);
        if (a == null) return false;
        if (number(a[1]) == gid) return true;
        Group g = group(gid);
        return g != null && g.members().contains(a[0]);
    }

    private static Group toGroup(String[] f) {
        List<String> members = f.length > 3 && !f[3].isEmpty() ? Arrays.asList(f[3].split(",")) : List.of();
        return new Group(f[0], number(f[2]), List.copyOf(members));
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -2; // never equal to a real id, nor to "unknown" (-1)
        }
    }

    private static List<String[]> lines(Path file) {
        List<String[]> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("+") || l.startsWith("-")) continue;
                out.add(l.split(":", -1));
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: nobody is found, so nobody gains access
        }
        return out;
    }
}
