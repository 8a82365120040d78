package dev.svcmgr.core.supervise;

import dev.svcmgr.units.Conditions;
import dev.svcmgr.units.EnvFile;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.Limits;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.LogConfig;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.ServiceConfig;
import dev.svcmgr.units.ServiceDirectories;
import dev.svcmgr.units.ServiceType;
import dev.svcmgr.units.StartLimit;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A mutable builder of service units for tests, with the spec's defaults. */
final class Svc {
    ServiceType type = ServiceType.SIMPLE;
    List<String> exec = List.of("/bin/sleep", "1000");
    List<List<String>> pre = new ArrayList<>(), post = new ArrayList<>(), stopCmds = new ArrayList<>();
    List<String> reload = List.of();
    /** Commands with their flags, run after those of {@code pre}, {@code post}, {@code stopCmds}. */
    List<ExecCommand> preFlagged = new ArrayList<>(), postFlagged = new ArrayList<>(), stopFlagged = new ArrayList<>();
    ExecCommand reloadFlagged;
    ServiceDirectories directories = ServiceDirectories.NONE;
    int stopSignal = 15;
    Duration timeoutStart = Duration.ofSeconds(90), timeoutStop = Duration.ofSeconds(10);
    RestartPolicy restart = RestartPolicy.ON_FAILURE;
    Duration restartDelay = Duration.ofMillis(100), restartMaxDelay = Duration.ofSeconds(30),
            restartResetAfter = Duration.ofSeconds(60);
    StartLimit startLimit = StartLimit.DEFAULT;
    boolean remainAfterExit;
    Set<Integer> successExitStatus = Set.of(0);
    String pidFile;
    Readiness ready = Readiness.STARTED;
    Map<String, String> env = new LinkedHashMap<>();
    List<EnvFile> envFiles = new ArrayList<>();
    String workingDirectory, user, group;
    List<String> supplementaryGroups = List.of();
    Integer umask;
    Limits limits = Limits.NONE;
    LogConfig log = LogConfig.DEFAULT;
    Duration watchdog;
    Sandbox sandbox = Sandbox.NONE;

    static Svc of(String... argv) {
        Svc s = new Svc();
        s.exec = List.of(argv);
        return s;
    }

    /** {@code /bin/sh -c script}. */
    static Svc sh(String script) { return of("/bin/sh", "-c", script); }

    Svc type(ServiceType t) { type = t; return this; }
    Svc restart(RestartPolicy p) { restart = p; return this; }

    ServiceConfig config() {
        ExecCommand r = reloadFlagged != null ? reloadFlagged : reload.isEmpty() ? null : ExecCommand.of(reload);
        return new ServiceConfig(type, exec, commands(pre, preFlagged), commands(post, postFlagged), r, commands(stopCmds, stopFlagged),
                stopSignal, timeoutStart, timeoutStop, restart,
                restartDelay, restartMaxDelay, restartResetAfter, startLimit, remainAfterExit, successExitStatus, pidFile,
                ready, watchdog, env, envFiles, workingDirectory, user, group, supplementaryGroups, umask, limits,
                sandbox, log, directories);
    }

    private static List<ExecCommand> commands(List<List<String>> plain, List<ExecCommand> flagged) {
        List<ExecCommand> out = new ArrayList<>();
        for (List<String> c : plain) out.add(ExecCommand.of(c));
        out.addAll(flagged);
        return out;
    }

    Unit unit(String name) {
        return new Unit(name, UnitType.SERVICE, LoadState.LOADED, "", List.of(), List.of(), List.of(), List.of(),
                Conditions.NONE, false, false, List.of(), List.of(), List.of(), config(), null, null, null, null, List.of(), List.of());
    }
}
