package dev.svcmgr.units;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service part of a unit (units.md "Services"), with every default applied.
 * Commands are exact argv lists. Immutable.
 */
public record ServiceConfig(
        ServiceType type,
        List<String> exec,
        List<List<String>> execStartPre,
        List<List<String>> execStartPost,
        List<String> execReload,
        List<List<String>> execStop,
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
        LogConfig log) {

    /** SIGTERM. */
    public static final int SIGTERM = 15;
}
