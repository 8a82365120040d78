package dev.svcmgr.core.os;

import java.util.List;
import java.util.Map;

/**
 * A {@link SpawnRequest} as a {@link Spawner} request: the same set-up the shell prologue
 * ({@code echo $$ > cgroup.procs; umask; prlimit; setpriv}) does, done by the spawner's child
 * before its one exec.
 */
final class SpawnSetup {
    private SpawnSetup() {}

    /**
     * Credentials: {@code uid} -1 keeps the user; {@code initGroupsOf} ({@code login:gid}, the password
     * entry's) names the user whose groups are taken as initgroups takes them, else {@code groups}
     * lists gids ("" clears them).
     */
    record Ids(long uid, long gid, String initGroupsOf, String groups) {
        /** The same as {@code setpriv} options (the JVM's shell prologue). */
        String setprivArgs() {
            String g = initGroupsOf != null ? "--init-groups" : groups.isEmpty() ? "--clear-groups" : "--groups=" + groups;
            return (uid >= 0 ? "--reuid=" + uid + " " : "") + "--regid=" + gid + " " + g;
        }
    }

    /** RLIMIT_* numbers of the Linux ABI by prlimit option name. */
    private static final Map<String, Integer> RESOURCES = Map.ofEntries(
            Map.entry("cpu", 0), Map.entry("fsize", 1), Map.entry("data", 2), Map.entry("stack", 3),
            Map.entry("core", 4), Map.entry("rss", 5), Map.entry("nproc", 6), Map.entry("nofile", 7),
            Map.entry("memlock", 8), Map.entry("as", 9));

    static Spawner.Request request(String exe, SpawnRequest r, Map<String, String> env, String dir,
                                   List<String> join, List<String> prlimitArgs, Ids ids, long[] defaultNofile)
            throws SpawnException {
        Spawner.Request q = new Spawner.Request();
        q.put('x', exe);
        q.put('a', exe); // argv[0] as the JVM's path gives it: the resolved program
        for (String a : r.argv().subList(1, r.argv().size())) q.put('a', a);
        for (Map.Entry<String, String> v : env.entrySet()) q.putEnv(v.getKey(), v.getValue());
        q.put('d', dir);
        for (String f : join) q.put('j', f);
        if (r.umask() != null) q.put('u', Integer.toOctalString(r.umask()));
        if (r.nofile() != null) q.put('r', 7 + ":" + r.nofile() + ":" + r.nofile());
        else if (defaultNofile != null) q.put('r', 7 + ":" + defaultNofile[0] + ":" + defaultNofile[1]);
        if (r.core() != null) q.put('r', 4 + ":" + r.core() + ":" + r.core());
        for (String a : prlimitArgs) q.put('r', rlimit(a));
        if (ids != null) {
            if (ids.uid() >= 0) q.put('U', Long.toString(ids.uid()));
            q.put('G', Long.toString(ids.gid()));
            if (ids.initGroupsOf() != null) q.put('i', ids.initGroupsOf());
            else q.put('g', ids.groups());
        }
        return q;
    }

    /** {@code --as=536870912:536870912} as {@code 9:536870912:536870912}. */
    static String rlimit(String prlimitArg) throws SpawnException {
        String a = prlimitArg.startsWith("--") ? prlimitArg.substring(2) : prlimitArg;
        int eq = a.indexOf('=');
        Integer res = eq < 0 ? null : RESOURCES.get(a.substring(0, eq));
        String[] v = eq < 0 ? new String[0] : a.substring(eq + 1).split(":", -1);
        if (res == null || v.length != 2) throw new SpawnException("setting limits", "not a limit svcmgr knows", prlimitArg);
        return res + ":" + value(v[0], prlimitArg) + ":" + value(v[1], prlimitArg);
    }

    private static String value(String v, String arg) throws SpawnException {
        if (v.equals("unlimited") || v.equals("infinity")) return Long.toUnsignedString(-1L);
        try {
            return Long.toString(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new SpawnException("setting limits", "not a number", arg);
        }
    }
}
