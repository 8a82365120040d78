package dev.svcmgr.core.os;

import java.util.List;
import java.util.Map;

/**
 * What to start and how. Null fields are unset: the process then inherits the
 * manager's value (user, group, umask, limits) or {@code /} (working directory).
 *
 * @param argv                exact argv; {@code argv[0]} is looked up in the {@code PATH} of {@code env}
 * @param env                 the complete environment
 * @param workingDirectory    absolute directory, or null for {@code /}
 * @param user                user name or numeric id
 * @param group               group name or numeric id
 * @param supplementaryGroups extra groups (names or ids)
 * @param umask               file mode creation mask
 * @param nofile              RLIMIT_NOFILE (soft and hard)
 * @param core                RLIMIT_CORE in bytes (soft and hard)
 * @param serviceGroup              the service's process group to join before exec, or null
 */
public record SpawnRequest(List<String> argv, Map<String, String> env, String workingDirectory, String user,
                           String group, List<String> supplementaryGroups, Integer umask, Long nofile, Long core,
                           ServiceGroup serviceGroup) {

    /** A plain request: argv and environment only. */
    public static SpawnRequest of(List<String> argv, Map<String, String> env, ServiceGroup g) {
        return new SpawnRequest(argv, env, null, null, null, List.of(), null, null, null, g);
    }
}
