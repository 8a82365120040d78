package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.EventLoop;
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
 */
public record SupervisorContext(EventLoop loop, ProcessRuntime os, Path logDir, Path runtimeDir,
                                Map<String, String> managerEnv) {}
