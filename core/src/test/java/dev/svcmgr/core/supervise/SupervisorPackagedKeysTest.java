package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.SecureFiles;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.core.sim.Behaviour;
import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.ServiceDirectories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * units.md "Keys for packaged daemons" on the fakes: ignore-failure lets a failing command pass (logged and
 * shown), privileged commands keep the manager's credentials and skip the sandbox, and the service's
 * directories are made before exec-start-pre, named in its environment, and the runtime ones removed when
 * the run ends (also after a failed start); a directory that cannot be made fails the start with result exec.
 */
class SupervisorPackagedKeysTest {
    @TempDir
    Path dir;

    static String at(UnitSnapshot s) { return s.active().word() + "/" + s.sub().word(); }

    private static ExecCommand ignoring(String... argv) { return new ExecCommand(List.of(argv), false, true); }

    private String log(String unit) throws Exception { return Files.readString(dir.resolve("log").resolve(unit + ".log")); }

    private DirectoryPlan.Bases bases() {
        return DirectoryPlan.bases(Map.of("PATH", "/usr/bin:/bin"), dir.resolve("run"), SecureFiles.processUid() == 0);
    }

    @Test
    void aFailingPreCommandWithIgnoreFailureIsLoggedAndShownAndTheStartGoesOn() throws Exception {
        Sim sim = new Sim(dir);
        sim.os.setScript(s -> s.argv().get(0).equals("/bin/false") ? Behaviour.exits(1) : null);
        Svc svc = Svc.of("/srv/main").restart(RestartPolicy.NO);
        svc.preFlagged.add(ignoring("/bin/false", "x"));
        svc.preFlagged.add(ExecCommand.of(List.of("/srv/pre")));
        ServiceSupervisor s = sim.add("ign.service", svc);
        sim.run(s::start);
        assertEquals("active/running", at(s.snapshot()));
        assertEquals(Result.SUCCESS, s.snapshot().result());
        assertEquals(List.of("/bin/false", "/srv/pre", "/srv/main"), sim.os.spawned().stream().map(x -> x.argv().get(0)).toList());
        String line = "exec-start-pre /bin/false x exited with status 1 (ignored: ignore-failure is true)";
        assertEquals(List.of(line), s.warnings());
        assertTrue(log("ign.service").contains(line), log("ign.service"));
        assertEquals(List.of(), s.failures());
    }

    @Test
    void withoutIgnoreFailureTheSameCommandFailsTheStart() {
        Sim sim = new Sim(dir);
        sim.os.setScript(s -> s.argv().get(0).equals("/bin/false") ? Behaviour.exits(1) : null);
        Svc svc = Svc.of("/srv/main").restart(RestartPolicy.NO);
        svc.preFlagged.add(ExecCommand.of(List.of("/bin/false")));
        ServiceSupervisor s = sim.add("strict.service", svc);
        sim.run(s::start);
        assertEquals("failed/failed", at(s.snapshot()));
        assertEquals("exec-start-pre /bin/false exited with status 1", s.snapshot().resultDetail());
        assertEquals(0, sim.os.spawned("strict.service", SpawnRequest.Role.MAIN).size());
    }

    @Test
    void ignoreFailureAlsoPassesACommandThatCannotBeStartedAndAFailingPostStopAndReload() {
        Sim sim = new Sim(dir);
        sim.os.setScript(s -> s.argv().get(0).equals("/srv/missing") ? Behaviour.missingProgram("/srv/missing")
                : s.argv().get(0).equals("/bin/false") ? Behaviour.exits(3) : null);
        Svc svc = Svc.of("/srv/main").restart(RestartPolicy.NO);
        svc.preFlagged.add(ignoring("/srv/missing"));
        svc.postFlagged.add(ignoring("/bin/false", "post"));
        svc.reloadFlagged = ignoring("/bin/false", "reload");
        svc.stopFlagged.add(ignoring("/bin/false", "stop"));
        ServiceSupervisor s = sim.add("all.service", svc);
        sim.run(s::start);
        assertEquals("active/running", at(s.snapshot()));
        sim.run(s::reload);
        assertEquals("active/running", at(s.snapshot()));
        assertEquals(List.of(), s.failures(), "a reload whose failure is ignored is no failure");
        assertEquals(List.of(
                "exec-start-pre /srv/missing: Stage: executing command / Error: No such file or directory (/srv/missing)"
                        + " (ignored: ignore-failure is true)",
                "exec-start-post /bin/false post exited with status 3 (ignored: ignore-failure is true)",
                "exec-reload /bin/false reload exited with status 3 (ignored: ignore-failure is true)"), s.warnings());
        sim.run(s::stop);
        assertEquals("inactive/dead", at(s.snapshot()));
        assertEquals(1, sim.os.spawned("all.service", SpawnRequest.Role.STOP).size());
    }

    @Test
    void aPrivilegedCommandKeepsTheManagersCredentialsAndSkipsTheSandboxButKeepsTheRest() {
        Sim sim = new Sim(dir);
        Svc svc = Svc.of("/srv/main");
        svc.user = "nobody";
        svc.group = "nogroup";
        svc.supplementaryGroups = List.of("adm");
        svc.workingDirectory = "/srv";
        svc.umask = 027;
        svc.env.put("A", "1");
        svc.sandbox = new Sandbox(false, true, true, false, null, List.of());
        svc.preFlagged.add(new ExecCommand(List.of("/srv/setup"), true, false));
        svc.preFlagged.add(ExecCommand.of(List.of("/srv/check")));
        ServiceSupervisor s = sim.add("priv.service", svc);
        sim.run(s::start);
        assertEquals("active/running", at(s.snapshot()));
        List<SpawnRequest> pre = sim.os.requests("priv.service", SpawnRequest.Role.START_PRE);
        SpawnRequest privileged = pre.get(0), plain = pre.get(1);
        assertNull(privileged.user());
        assertNull(privileged.group());
        assertEquals(List.of(), privileged.supplementaryGroups());
        assertEquals("/srv", privileged.workingDirectory());
        assertEquals(027, privileged.umask());
        assertEquals("1", privileged.env().get("A"));
        assertTrue(privileged.serviceGroup() != null, "still in the service's group");
        assertEquals("nobody", plain.user());
        assertEquals("nogroup", plain.group());
        assertEquals("nobody", sim.os.requests("priv.service", SpawnRequest.Role.MAIN).get(0).user());
    }

    @Test
    void directoriesAreMadeBeforeTheFirstCommandNamedInTheEnvironmentAndRuntimeOnesRemovedAtTheEnd() {
        Sim sim = new Sim(dir);
        Svc svc = Svc.of("/srv/main");
        svc.user = "nobody";
        svc.directories = new ServiceDirectories(List.of("app", "app/sub"), List.of("app"), List.of("app"), List.of("app"), 0750);
        svc.preFlagged.add(ExecCommand.of(List.of("/srv/pre")));
        ServiceSupervisor s = sim.add("dirs.service", svc);
        sim.run(s::start);
        DirectoryPlan.Bases b = bases();
        assertEquals(List.of("made " + b.runtime().resolve("app") + " 0750 nobody:null", "made " + b.runtime().resolve("app/sub") + " 0750 nobody:null",
                "made " + b.state().resolve("app") + " 0750 nobody:null", "made " + b.logs().resolve("app") + " 0750 nobody:null",
                "made " + b.cache().resolve("app") + " 0750 nobody:null"), sim.os.directoryLog());
        for (SpawnRequest.Role role : List.of(SpawnRequest.Role.START_PRE, SpawnRequest.Role.MAIN)) {
            Map<String, String> env = sim.os.requests("dirs.service", role).get(0).env();
            assertEquals(b.runtime().resolve("app") + ":" + b.runtime().resolve("app/sub"), env.get("RUNTIME_DIRECTORY"));
            assertEquals(b.state().resolve("app").toString(), env.get("STATE_DIRECTORY"));
            assertEquals(b.logs().resolve("app").toString(), env.get("LOGS_DIRECTORY"));
            assertEquals(b.cache().resolve("app").toString(), env.get("CACHE_DIRECTORY"));
        }
        sim.run(s::stop);
        assertEquals("inactive/dead", at(s.snapshot()));
        List<String> log = sim.os.directoryLog();
        assertEquals(List.of("removed " + b.runtime().resolve("app"), "removed " + b.runtime().resolve("app/sub")),
                log.subList(5, log.size()), "only the runtime directories go");
    }

    @Test
    void aDirectoryThatCannotBeMadeFailsTheStartWithResultExecBeforeAnyCommandAndTheMadeOnesGo() {
        Sim sim = new Sim(dir);
        DirectoryPlan.Bases b = bases();
        sim.os.refuseDirectory(b.state().resolve("app"));
        Svc svc = Svc.of("/srv/main").restart(RestartPolicy.ALWAYS);
        svc.directories = new ServiceDirectories(List.of("app"), List.of("app"), List.of(), List.of(), 0755);
        svc.preFlagged.add(ExecCommand.of(List.of("/srv/pre")));
        ServiceSupervisor s = sim.add("bad.service", svc);
        sim.run(s::start);
        assertEquals("failed/failed", at(s.snapshot()), "result exec is never retried automatically");
        assertEquals(Result.EXEC, s.snapshot().result());
        assertEquals("Stage: state-directory / Error: something that is not a directory is in its place (" + b.state().resolve("app") + ")",
                s.snapshot().resultDetail());
        assertEquals(List.of(), sim.os.spawned(), "no command ran");
        assertEquals(List.of("made " + b.runtime().resolve("app") + " 0755 null:null", "removed " + b.runtime().resolve("app")),
                sim.os.directoryLog());
    }

    @Test
    void theBasesAreTheSystemOnesForRootAndTheUsersOwnOtherwise() {
        assertEquals(new DirectoryPlan.Bases(Path.of("/run"), Path.of("/var/lib"), Path.of("/var/log"), Path.of("/var/cache")),
                DirectoryPlan.bases(Map.of("XDG_RUNTIME_DIR", "/run/user/7"), Path.of("/x"), true));
        assertEquals(new DirectoryPlan.Bases(Path.of("/run/user/7"), Path.of("/h/.local/state"), Path.of("/h/.local/state/log"), Path.of("/h/.cache")),
                DirectoryPlan.bases(Map.of("XDG_RUNTIME_DIR", "/run/user/7", "HOME", "/h"), Path.of("/x"), false));
        assertEquals(new DirectoryPlan.Bases(Path.of("/tmp/svcmgr-7"), Path.of("/s"), Path.of("/s/log"), Path.of("/c")),
                DirectoryPlan.bases(Map.of("XDG_RUNTIME_DIR", "relative", "HOME", "/h", "XDG_STATE_HOME", "/s", "XDG_CACHE_HOME", "/c"),
                        Path.of("/tmp/svcmgr-7"), false), "no runtime dir of the user's: the manager's own; a relative XDG value is ignored");
    }
}
