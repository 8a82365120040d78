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
 * @param wrapper             argv put before the command after rlimits and before credentials are
 *                            changed (a {@link Sandboxing.Plan#prefix()}), empty for none
 * @param rootDirectory       the root the wrapper chroots into (the program is looked up there), or null
 * @param readyPipe           a readiness pipe whose write end becomes descriptor {@code readyFd}, or null
 * @param readyFd             the service's descriptor for {@code readyPipe} (3 or more)
 * @param role                what the process is to its service (the Linux adapter ignores it; a simulated
 *                            runtime picks its behaviour by it)
 */
public record SpawnRequest(List<String> argv, Map<String, String> env, String workingDirectory, String user,
                           String group, List<String> supplementaryGroups, Integer umask, Long nofile, Long core,
                           ServiceGroup serviceGroup, List<String> wrapper, String rootDirectory, ReadyPipe readyPipe,
                           int readyFd, Role role, List<Integer> listenFds) {

    /** What a spawned process is to its service. */
    public enum Role {
        /** {@code exec}: the main process. */
        MAIN,
        /** An {@code exec-start-pre} command. */
        START_PRE,
        /** An {@code exec-start-post} command. */
        START_POST,
        /** An {@code exec-reload} command. */
        RELOAD,
        /** An {@code exec-stop} command. */
        STOP,
        /** A {@code ready: {exec: ...}} probe. */
        PROBE,
        /** A helper command of the manager itself ({@link Commands}). */
        HELPER
    }

    /** A request without wrapper or readiness pipe. */
    public SpawnRequest(List<String> argv, Map<String, String> env, String workingDirectory, String user,
                        String group, List<String> supplementaryGroups, Integer umask, Long nofile, Long core,
                        ServiceGroup serviceGroup) {
        this(argv, env, workingDirectory, user, group, supplementaryGroups, umask, nofile, core, serviceGroup,
                List.of(), null, null, -1, Role.MAIN, List.of());
    }

    /** This request with a sandbox wrapper (and the root it chroots into, or null). */
    public SpawnRequest withWrapper(List<String> prefix, String root) {
        return new SpawnRequest(argv, env, workingDirectory, user, group, supplementaryGroups, umask, nofile, core,
                serviceGroup, List.copyOf(prefix), root, readyPipe, readyFd, role, listenFds);
    }

    /** This request with a readiness pipe on descriptor {@code fd}. */
    public SpawnRequest withReadyPipe(ReadyPipe pipe, int fd) {
        return new SpawnRequest(argv, env, workingDirectory, user, group, supplementaryGroups, umask, nofile, core,
                serviceGroup, wrapper, rootDirectory, pipe, fd, role, listenFds);
    }

    /** This request for a process with role {@code r}. */
    public SpawnRequest withRole(Role r) {
        return new SpawnRequest(argv, env, workingDirectory, user, group, supplementaryGroups, umask, nofile, core,
                serviceGroup, wrapper, rootDirectory, readyPipe, readyFd, r, listenFds);
    }

    /** This request with sockets placed at 3, 4, ... and LISTEN_PID set to the process's own PID (sd_listen_fds). */
    public SpawnRequest withListenFds(List<Integer> fds) {
        return new SpawnRequest(argv, env, workingDirectory, user, group, supplementaryGroups, umask, nofile, core,
                serviceGroup, wrapper, rootDirectory, readyPipe, readyFd, role, List.copyOf(fds));
    }

    /** A plain request: argv and environment only. */
    public static SpawnRequest of(List<String> argv, Map<String, String> env, ServiceGroup g) {
        return new SpawnRequest(argv, env, null, null, null, List.of(), null, null, null, g);
    }
}
