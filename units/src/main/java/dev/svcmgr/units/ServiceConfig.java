package dev.svcmgr.units;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service part of a unit (units.md "Services"), with every default applied.
 * Commands are exact argv lists with how they run ({@link ExecCommand}); {@code execReload} is null
 * when the unit has none. Immutable.
 */
public record ServiceConfig(
        ServiceType type,
        List<String> exec,
        List<ExecCommand> execStartPre,
        List<ExecCommand> execStartPost,
        ExecCommand execReload,
        List<ExecCommand> execStop,
        int stopSignal,
        Duration timeoutStart,
        Duration timeoutStop,
        RestartPolicy restart,
        Duration restartDelay,
        Duration restartMaxDelay,
        Duration restartResetAfter,
        StartLimit startLimit,
        boolean remainAfterExit,
        Set<Integer> successExitStatus,
        String pidFile,
        Readiness ready,
        Duration watchdog,
        Map<String, String> environment,
        List<EnvFile> environmentFiles,
        String workingDirectory,
        String user,
        String group,
        List<String> supplementaryGroups,
        Integer umask,
        Limits limits,
        Sandbox sandbox,
        LogConfig log,
        ServiceDirectories directories) {

    /** SIGTERM. */
    public static final int SIGTERM = 15;
}
