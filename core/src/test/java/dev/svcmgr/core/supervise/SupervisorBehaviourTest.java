package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.log.LogReader;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.ServiceType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupervisorBehaviourTest {
    static final Duration T = Duration.ofSeconds(10);


    @Test
    void aServiceIgnoringSigtermWithChildrenIsKilledAfterTimeoutStop() throws Exception {
        for (boolean cgroups : new boolean[] {true, false}) {
            try (Harness h = new Harness(cgroups)) {
                Svc svc = Svc.sh("trap '' TERM; sleep 1000 & sleep 1000 & while :; do sleep 1; done");
                svc.timeoutStop = Duration.ofMillis(300);
                ServiceSupervisor s = h.add("stubborn.service", svc);
                h.run(s::start);
                h.awaitSub(s, "active", "running", T);
                Harness.poll(() -> pids(h, s).size() >= 3, T, "children started");
                List<Integer> all = pids(h, s);
                long t0 = System.nanoTime();
                h.run(s::stop);
                UnitSnapshot d = h.awaitSub(s, "inactive", "dead", T);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 290, "waited timeout-stop before SIGKILL: " + ms + " ms");
                assertTrue(h.seen.stream().anyMatch(x -> x.sub() == SubState.STOP_SIGKILL), "went through stop-sigkill");
                for (int p : all) assertTrue(Harness.gone(p), "process " + p + " gone (cgroups " + cgroups + ")");
                assertEquals(Result.SUCCESS, d.result());
            }
        }
    }

    static List<Integer> pids(Harness h, ServiceSupervisor s) {
        try {
            return h.call(s::pids);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDoubleForkingDaemonsGrandchildIsTrackedAndKilled() throws Exception {
        try (Harness h = new Harness()) {
            Path pidFile = h.dir.resolve("daemon.pid");
            Svc svc = Svc.sh("(setsid sleep 1000 & echo $! > " + pidFile + ") ; exit 0");
            svc.type = ServiceType.FORKING;
            svc.pidFile = pidFile.toString();
            ServiceSupervisor s = h.add("daemon.service", svc);
            h.run(s::start);
            UnitSnapshot up = h.awaitSub(s, "active", "running", T);
            int daemon = Integer.parseInt(Files.readString(pidFile).strip());
            assertEquals(daemon, up.mainPid());
            assertEquals(List.of(daemon), h.call(s::pids));
            assertEquals((int) ProcessHandle.current().pid(), ppid(daemon), "re-parented to the manager");
            h.run(s::stop);
            h.awaitSub(s, "inactive", "dead", T);
            assertTrue(Harness.gone(daemon));
        }
    }

    @Test
    void aSimpleServicesEscapedGrandchildIsKilledWhenItStops() throws Exception {
        try (Harness h = new Harness()) {
            Path pidFile = h.dir.resolve("gc.pid");
            ServiceSupervisor s = h.add("escape.service", Svc.sh("(setsid sleep 1000 & echo $! > " + pidFile + "); exec sleep 1000"));
            h.run(s::start);
            h.awaitSub(s, "active", "running", T);
            Harness.poll(() -> Files.exists(pidFile) && pids(h, s).size() == 2, T, "grandchild");
            int gc = Integer.parseInt(Files.readString(pidFile).strip());
            assertTrue(h.call(s::pids).contains(gc));
            h.run(s::stop);
            h.awaitSub(s, "inactive", "dead", T);
            assertTrue(Harness.gone(gc));
        }
    }

    static int ppid(int pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(s.substring(s.lastIndexOf(')') + 2).split(" ")[1]);
    }

    @Test
    void execOfAMissingBinaryFailsWithResultExecAndTheOsError() throws Exception {
        try (Harness h = new Harness()) {
            ServiceSupervisor s = h.add("missing.service", Svc.of("/usr/bin/does-not-exist"));
            h.run(s::start);
            UnitSnapshot f = h.awaitSub(s, "failed", "failed", T);
            assertEquals(Result.EXEC, f.result());
            assertEquals("Stage: executing command / Error: No such file or directory (/usr/bin/does-not-exist)", f.resultDetail());
        }
    }

    @Test
    void execOfANonExecutableFileFailsWithPermissionDenied() throws Exception {
        try (Harness h = new Harness()) {
            Path f = h.dir.resolve("script.sh");
            Files.writeString(f, "#!/bin/sh\nsleep 1000\n");
            ServiceSupervisor s = h.add("noexec.service", Svc.of(f.toString()));
            h.run(s::start);
            UnitSnapshot r = h.awaitSub(s, "failed", "failed", T);
            assertEquals(Result.EXEC, r.result());
            assertEquals("Stage: executing command / Error: Permission denied (" + f + ")", r.resultDetail());
        }
    }

    @Test
    void aServiceThatClosesStdoutEarlyKeepsRunningAndItsEarlierOutputIsLogged() throws Exception {
        try (Harness h = new Harness()) {
            ServiceSupervisor s = h.add("quiet.service", Svc.sh("echo before; echo err >&2; exec >&- 2>&-; exec sleep 1000"));
            h.run(s::start);
            h.awaitSub(s, "active", "running", T);
            Harness.poll(() -> LogReader.tail(h.ctx.logDir(), "quiet.service", 10).size() == 2, T, "two lines logged");
            List<String> lines = LogReader.tail(h.ctx.logDir(), "quiet.service", 10);
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stdout before")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stderr err")), lines.toString());
            // its output FIFOs stay open in the manager (they outlive runs and the manager); nothing else is watched
            Harness.poll(() -> h.os.watchedPipes() == 2, T, "only the service's two output FIFOs watched");
            assertEquals("running", h.snap(s).sub().word());
            h.run(s::stop);
            h.awaitSub(s, "inactive", "dead", T);
        }
    }

    @Test
    void zombiesLeftByAServicesChildrenAreReapedWhenItStops() throws Exception {
        try (Harness h = new Harness()) {
            // sh forks two short children then execs sleep, which never waits for them: they stay zombies
            ServiceSupervisor s = h.add("zombies.service", Svc.sh("sleep 0.01 & sleep 0.01 & exec sleep 1000"));
            h.run(s::start);
            UnitSnapshot up = h.awaitSub(s, "active", "running", T);
            int main = up.mainPid();
            Harness.poll(() -> zombieChildren(main).size() == 2, T, "two zombie children of the main process");
            List<Integer> z = zombieChildren(main);
            h.run(s::stop);
            h.awaitSub(s, "inactive", "dead", T);
            Harness.poll(() -> z.stream().allMatch(Harness::gone), T, "zombies reaped");
            assertTrue(Harness.gone(main));
        }
    }

    static List<Integer> zombieChildren(int parent) {
        List<Integer> out = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                try {
                    String st = Files.readString(p.resolve("stat"));
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[1]) == parent && f[0].equals("Z")) out.add(Integer.parseInt(p.getFileName().toString()));
                } catch (Exception e) {
                    // gone meanwhile
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }


    static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    @Test
    void userGroupUmaskWorkingDirectoryAndLimitsAreApplied() throws Exception {
        try (Harness h = new Harness()) {
            Path out = Files.createTempDirectory("svcmgr-ids");
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path f = out.resolve("ids");
            Svc svc = Svc.sh("{ id -u; id -g; umask; pwd; ulimit -n; echo $HOME; } > " + f + "; exec sleep 1000");
            svc.user = "nobody";
            svc.umask = 027;
            svc.workingDirectory = "/tmp";
            svc.limits = new dev.svcmgr.units.Limits(null, null, null, 1234L, 0L);
            ServiceSupervisor s = h.add("ids.service", svc);
            h.run(s::start);
            UnitSnapshot up = h.awaitSub(s, "active", "running", T);
            Harness.poll(() -> lines(f).size() == 6, T, "ids written");
            List<String> l = lines(f);
            String uid = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(x -> x.startsWith("nobody:"))
                    .map(x -> x.split(":")[2]).findFirst().orElseThrow();
            assertEquals(uid, l.get(0));
            String gid = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(x -> x.startsWith("nobody:"))
                    .map(x -> x.split(":")[3]).findFirst().orElseThrow();
            assertEquals(gid, l.get(1), "the user's primary group");
            assertEquals("0027", l.get(2));
            assertEquals("/tmp", l.get(3));
            assertEquals("1234", l.get(4));
            assertEquals(up.mainPid(), h.call(s::pids).get(0), "the service kept the spawned PID through the prologue");
            // the shell writes the file, then execs sleep: the same PID runs sleep once that exec is done
            Harness.poll(() -> {
                try {
                    return Files.readString(Path.of("/proc/" + up.mainPid() + "/comm")).strip().equals("sleep");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }, T, "the main PID execs sleep");
            assertEquals(up.mainPid(), h.call(s::pids).get(0));

            Path g = out.resolve("groups");
            Svc grp = Svc.sh("{ id -u; id -g; id -G; } > " + g + "; exec sleep 1000");
            grp.user = "nobody";
            grp.group = "daemon";
            grp.supplementaryGroups = List.of("users");
            ServiceSupervisor s2 = h.add("groups.service", grp);
            h.run(s2::start);
            h.awaitSub(s2, "active", "running", T);
            Harness.poll(() -> lines(g).size() == 3, T, "groups written");
            assertEquals(List.of(uid, "1", "1 100"), lines(g));
        }
    }




    @Test
    void readinessByPathWaitsForThePath() throws Exception {
        try (Harness h = new Harness()) {
            Path ready = h.dir.resolve("ready");
            Svc svc = Svc.sh("sleep 0.1; touch " + ready + "; exec sleep 1000");
            svc.ready = Readiness.path(ready.toString());
            ServiceSupervisor s = h.add("path.service", svc);
            h.run(s::start);
            h.awaitSub(s, "starting", "start", T);
            h.awaitSub(s, "active", "running", T);
            assertTrue(Files.exists(ready));
        }
    }

    @Test
    void readinessByExecPollsUntilTheProbeSucceeds() throws Exception {
        try (Harness h = new Harness()) {
            Path ready = h.dir.resolve("r");
            Svc svc = Svc.sh("sleep 0.2; touch " + ready + "; exec sleep 1000");
            svc.ready = Readiness.exec(List.of("test", "-e", ready.toString()));
            ServiceSupervisor s = h.add("probe.service", svc);
            h.run(s::start);
            h.awaitSub(s, "active", "running", T);
            assertTrue(Files.exists(ready));
        }
    }

    @Test
    void anExecServiceIsStartedOnlyOnceItsProgramRunsAndAFailedExecIsResultExec() throws Exception {
        try (Harness h = new Harness()) {
            ServiceSupervisor s = h.add("exec.service", Svc.of("sleep", "1000").type(ServiceType.EXEC));
            h.run(s::start);
            UnitSnapshot up = h.awaitSub(s, "active", "running", T);
            // the program has been executed by the time the unit is running: its exe link (set at the start
            // of the exec; the comm follows a moment later, after the close-on-exec that tells the spawner)
            assertTrue(Files.readSymbolicLink(Path.of("/proc/" + up.mainPid() + "/exe")).toString().endsWith("/sleep"),
                    Files.readSymbolicLink(Path.of("/proc/" + up.mainPid() + "/exe")).toString());

            // checked before spawning: a user that cannot run the program makes setpriv's exec fail
            Path f = h.dir.resolve("rootonly");
            Files.writeString(f, "#!/bin/sh\nsleep 1000\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(h.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Svc bad = Svc.of(f.toString()).type(ServiceType.EXEC);
            bad.user = "nobody";
            ServiceSupervisor b = h.add("badexec.service", bad);
            h.run(b::start);
            UnitSnapshot r = h.awaitSub(b, "failed", "failed", T);
            assertEquals(Result.EXEC, r.result());
            // from the spawner, the exec's own error; from the JVM's shell prologue, its exit status
            assertTrue(r.resultDetail().startsWith("Stage: executing command / Error: Permission denied (" + f + ")")
                    || r.resultDetail().startsWith("Stage: executing command / Error: exited with status")
                    && r.resultDetail().contains("before the program was executed (" + f), r.resultDetail());
        }
    }

    @Test
    void readinessByTcpWaitsUntilAConnectionSucceeds() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Harness h = new Harness()) {
            Svc svc = Svc.of("sleep", "1000");
            svc.ready = Readiness.tcp("127.0.0.1", port);
            ServiceSupervisor s = h.add("tcp.service", svc);
            h.run(s::start);
            h.awaitSub(s, "starting", "start", T);
            long end = System.nanoTime() + 100_000_000L;
            while (System.nanoTime() < end) {
                assertEquals("start", h.snap(s).sub().word(), "not ready while nothing listens");
                Thread.sleep(5);
            }
            try (java.net.ServerSocket server = new java.net.ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
                h.awaitSub(s, "active", "running", T);
            }
        }
    }

    @Test
    void environmentFilesAndEnvironmentAreAppliedInOrder() throws Exception {
        try (Harness h = new Harness()) {
            Path envf = h.dir.resolve("env");
            Files.writeString(envf, "# comment\nA=from-file\nB=\"quoted value\"\nexport C=c\n");
            Path out = h.dir.resolve("out");
            Svc svc = Svc.sh("echo \"$A|$B|$C|$D\" > " + out + "; exec sleep 1000");
            svc.envFiles.add(new dev.svcmgr.units.EnvFile(envf.toString(), false));
            svc.envFiles.add(new dev.svcmgr.units.EnvFile(h.dir.resolve("absent").toString(), true));
            svc.env.put("C", "from-unit");
            svc.env.put("D", "d");
            ServiceSupervisor s = h.add("env.service", svc);
            h.run(s::start);
            h.awaitSub(s, "active", "running", T);
            Harness.poll(() -> lines(out).size() == 1, T, "env written");
            assertEquals(List.of("from-file|quoted value|from-unit|d"), lines(out));

            Svc missing = Svc.of("sleep", "1000");
            missing.envFiles.add(new dev.svcmgr.units.EnvFile(h.dir.resolve("absent").toString(), false));
            ServiceSupervisor m = h.add("noenv.service", missing);
            h.run(m::start);
            UnitSnapshot f = h.awaitSub(m, "failed", "failed", T);
            assertEquals(Result.EXEC, f.result());
            assertEquals("Stage: reading environment file / Error: No such file or directory (" + h.dir.resolve("absent") + ")",
                    f.resultDetail());
        }
    }

    @Test
    void aMissingWorkingDirectoryOrUserFailsWithItsStage() throws Exception {
        try (Harness h = new Harness()) {
            Svc dir = Svc.of("sleep", "1000");
            dir.workingDirectory = "/nonexistent-dir";
            ServiceSupervisor d = h.add("dir.service", dir);
            h.run(d::start);
            UnitSnapshot r = h.awaitSub(d, "failed", "failed", T);
            assertEquals("Stage: changing to the working directory / Error: No such file or directory (/nonexistent-dir)",
                    r.resultDetail());
            Svc user = Svc.of("sleep", "1000");
            user.user = "no-such-user-svcmgr";
            ServiceSupervisor u = h.add("user.service", user);
            h.run(u::start);
            UnitSnapshot r2 = h.awaitSub(u, "failed", "failed", T);
            assertEquals(Result.EXEC, r2.result());
            assertEquals("Stage: determining user / Error: no such user (no-such-user-svcmgr)", r2.resultDetail());
        }
    }



    @Test
    void aForkBombIsHeldByLimitsPids() throws Exception {
        try (Harness h = new Harness()) {
            // forks until fork fails; dash then gives up with status 2
            Svc svc = Svc.sh("while :; do sleep 1000 & done").restart(RestartPolicy.NO);
            svc.limits = new dev.svcmgr.units.Limits(null, null, 10L, null, null);
            ServiceSupervisor s = h.add("bomb.service", svc);
            h.run(s::start);
            int most = 0;
            long end = System.nanoTime() + T.toNanos();
            while (System.nanoTime() < end && !h.snap(s).active().word().equals("failed")) {
                most = Math.max(most, pids(h, s).size());
                Thread.sleep(1);
            }
            List<String> w = h.call(s::warnings);
            org.junit.jupiter.api.Assumptions.assumeTrue(w.isEmpty(), "no pids controller here: " + w);
            UnitSnapshot f = h.awaitSub(s, "failed", "failed", T);
            assertEquals(Result.EXIT_CODE, f.result());
            assertTrue(most <= 10, "never more than limits.pids tasks: " + most);
            assertTrue(h.call(s::pids).isEmpty(), "every process of the bomb is gone");
            long t0 = System.nanoTime();
            h.run(() -> { });
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the manager stays responsive");
        }
    }

    @Test
    void aPartialLastLineIsLoggedWhenTheServiceExits() throws Exception {
        try (Harness h = new Harness()) {
            ServiceSupervisor s = h.add("partial.service",
                    Svc.sh("printf 'one\\ntwo'").type(ServiceType.ONESHOT).restart(RestartPolicy.NO));
            h.run(s::start);
            h.await(s, x -> x.active().word().equals("inactive") && x.result() == Result.SUCCESS, T, "done");
            Harness.poll(() -> LogReader.tail(h.ctx.logDir(), "partial.service", 5).size() == 2, T, "both lines");
            List<String> l = LogReader.tail(h.ctx.logDir(), "partial.service", 5);
            assertTrue(l.get(0).endsWith(" stdout one") && l.get(1).endsWith(" stdout two"), l.toString());
            assertNotNull(l.get(0).substring(0, 24));
        }
    }
}
