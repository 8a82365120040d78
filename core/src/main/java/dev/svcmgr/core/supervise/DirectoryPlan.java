package dev.svcmgr.core.supervise;

import dev.svcmgr.units.ServiceDirectories;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a service's directories go (units.md "Keys for packaged daemons"): below the bases of a root manager
 * ({@code /run}, {@code /var/lib}, {@code /var/log}, {@code /var/cache}) or of a user's ({@code $XDG_RUNTIME_DIR},
 * else the manager's own runtime directory; {@code $XDG_STATE_HOME}, else {@code ~/.local/state}; that plus
 * {@code /log}; {@code $XDG_CACHE_HOME}, else {@code ~/.cache}: a relative XDG value is ignored), and the
 * {@code RUNTIME_DIRECTORY}, {@code STATE_DIRECTORY}, {@code LOGS_DIRECTORY}, {@code CACHE_DIRECTORY} variables
 * naming them as systemd does. Pure: nothing is made here ({@link dev.svcmgr.core.os.ProcessRuntime#makeDirectory}).
 */
final class DirectoryPlan {
    private DirectoryPlan() {}

    /** The four bases. */
    record Bases(Path runtime, Path state, Path logs, Path cache) {}

    /** One directory: the key that asked for it (the stage of a failure), its base and its relative name. */
    record Dir(String key, Path base, String name) {
        Path path() { return base.resolve(name); }
    }

    private static final Bases ROOT = new Bases(Path.of("/run"), Path.of("/var/lib"), Path.of("/var/log"), Path.of("/var/cache"));
    /** The last bases made, with what they were made from: every service of a manager asks with the same (one set of Paths, not one per service). */
    private static volatile Object[] last;

    /** The bases for a manager running as root ({@code root}) or as a user with environment {@code env}. */
    static Bases bases(Map<String, String> env, Path managerRuntimeDir, boolean root) {
        if (root) return ROOT;
        Object[] l = last;
        if (l != null && l[0] == env && l[1].equals(managerRuntimeDir)) return (Bases) l[2];
        Bases b = userBases(env, managerRuntimeDir);
        last = new Object[] {env, managerRuntimeDir, b};
        return b;
    }

    private static Bases userBases(Map<String, String> env, Path managerRuntimeDir) {
        String home = env.get("HOME");
        Path h = Path.of(home != null && home.startsWith("/") ? home : System.getProperty("user.home"));
        String xr = absolute(env, "XDG_RUNTIME_DIR");
        String xs = absolute(env, "XDG_STATE_HOME");
        String xc = absolute(env, "XDG_CACHE_HOME");
        Path state = xs != null ? Path.of(xs) : h.resolve(".local/state");
        return new Bases(xr != null ? Path.of(xr) : managerRuntimeDir.toAbsolutePath(), state, state.resolve("log"),
                xc != null ? Path.of(xc) : h.resolve(".cache"));
    }

    /** Every directory of {@code d}: runtime, state, logs, cache, each in the order written. */
    static List<Dir> dirs(ServiceDirectories d, Bases b) {
        List<Dir> out = new ArrayList<>();
        for (String n : d.runtime()) out.add(new Dir("runtime-directory", b.runtime(), n));
        for (String n : d.state()) out.add(new Dir("state-directory", b.state(), n));
        for (String n : d.logs()) out.add(new Dir("logs-directory", b.logs(), n));
        for (String n : d.cache()) out.add(new Dir("cache-directory", b.cache(), n));
        return out;
    }

    /** The runtime directories of {@code d} (removed after the service stops). */
    static List<Path> runtime(ServiceDirectories d, Bases b) {
        return d.runtime().stream().map(b.runtime()::resolve).toList();
    }

    /** Sets {@code RUNTIME_DIRECTORY} and friends (colon-separated absolute paths) for the kinds {@code d} has. */
    static void env(ServiceDirectories d, Bases b, Map<String, String> env) {
        put(env, "RUNTIME_DIRECTORY", b.runtime(), d.runtime());
        put(env, "STATE_DIRECTORY", b.state(), d.state());
        put(env, "LOGS_DIRECTORY", b.logs(), d.logs());
        put(env, "CACHE_DIRECTORY", b.cache(), d.cache());
    }

    private static void put(Map<String, String> env, String var, Path base, List<String> names) {
        if (names.isEmpty()) return;
        env.put(var, String.join(":", names.stream().map(n -> base.resolve(n).toString()).toList()));
    }

    private static String absolute(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && v.startsWith("/") ? v : null;
    }
}
