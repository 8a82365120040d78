package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.ProcessRuntime;

import java.nio.file.Path;
import java.util.Map;

/**
 * What every supervisor of one manager shares.
 *
 * @param loop       the thread that owns unit state
 * @param os         the OS adapter
 * @param logDir     where {@code <unit>.log} files go
 * @param runtimeDir the manager's runtime directory
 * @param managerEnv the environment every service starts from (then environment-file, then environment)
 * @param records    where each service's runtime state is kept for a restarted manager, or null (tests)
 * @param logProblems told of log write problems (one line each), or null
 */
public record SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir,
                                Map<String, String> managerEnv, ServiceRecords records,
                                java.util.function.Consumer<String> logProblems) {

    public SupervisorContext(Loop loop, ProcessRuntime os, Path logDir, Path runtimeDir, Map<String, String> managerEnv) {
        this(loop, os, logDir, runtimeDir, managerEnv, null, null);
    }

    /** Where the services' output FIFOs live. */
    public Path fifoDir() { return runtimeDir.toAbsolutePath().resolve("fifo"); }
}
