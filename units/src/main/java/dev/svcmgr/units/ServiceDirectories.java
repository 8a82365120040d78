package dev.svcmgr.units;

import java.util.List;

/**
 * The directories a service gets (units.md "Keys for packaged daemons"): names relative to the runtime
 * ({@code /run}), state ({@code /var/lib}), logs ({@code /var/log}) and cache ({@code /var/cache})
 * directories of the manager (a user manager's own under {@code $XDG_RUNTIME_DIR} and its home), made
 * before {@code exec-start-pre} with {@code mode} and owned by the service's user and group.
 *
 * @param runtime {@code runtime-directory}: removed again after the service stops
 * @param state   {@code state-directory}: kept
 * @param logs    {@code logs-directory}: kept
 * @param cache   {@code cache-directory}: kept
 * @param mode    {@code directory-mode}, the permission bits (default {@code 0755})
 */
public record ServiceDirectories(List<String> runtime, List<String> state, List<String> logs, List<String> cache, int mode) {
    /** The default {@code directory-mode}. */
    public static final int DEFAULT_MODE = 0755;
    /** No directories. */
    public static final ServiceDirectories NONE = new ServiceDirectories(List.of(), List.of(), List.of(), List.of(), DEFAULT_MODE);

    public ServiceDirectories {
        runtime = List.copyOf(runtime);
        state = List.copyOf(state);
        logs = List.copyOf(logs);
        cache = List.copyOf(cache);
    }

    /** True when the service asks for no directory. */
    public boolean isEmpty() { return runtime.isEmpty() && state.isEmpty() && logs.isEmpty() && cache.isEmpty(); }

    /**
     * Null when {@code name} may name a directory below one of the bases (systemd's rule: relative, no
     * {@code ..}), else why not.
     */
    public static String problem(String name) {
        if (name.isEmpty()) return "expected a directory name (not empty)";
        if (name.startsWith("/")) return "expected a relative directory name like redis or redis/sub (no leading '/')";
        if (name.endsWith("/")) return "expected a directory name without a trailing '/'";
        for (String part : name.split("/", -1)) {
            if (part.isEmpty()) return "expected a directory name without empty parts ('//')";
            if (part.equals("..") || part.equals(".")) return "expected a directory name without '.' or '..' parts";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) return "expected a directory name without control characters";
        }
        return null;
    }
}
