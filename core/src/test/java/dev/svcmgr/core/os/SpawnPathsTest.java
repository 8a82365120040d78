package dev.svcmgr.core.os;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two spawn paths of the Linux adapter (svcmgr-spawn, and posix_spawn from the JVM with its shell
 * prologue) give a service the same process: what {@code /proc} says of one must be what it says of
 * the other, set-up by set-up. A smoke test of the spawn paths, not a timing.
 */
class SpawnPathsTest {
    static ProcessRuntime spawner;
    static ProcessRuntime jvm;
    /** svcmgr-spawn told to join every cgroup by writing cgroup.procs (its way where clone3 is refused). */
    static ProcessRuntime written;
    final Map<Integer, ExitStatus> exits = new ConcurrentHashMap<>();

    @BeforeAll
    static void up() {
        long me = ProcessHandle.current().pid();
        spawner = ProcessRuntime.linux("svcmgr-paths-" + me, true, true);
        jvm = ProcessRuntime.linux("svcmgr-paths-jvm-" + me, true, false);
        System.setProperty("svcmgr.spawner", "write");
        try {
            written = ProcessRuntime.linux("svcmgr-paths-written-" + me, true, true);
        } finally {
            System.clearProperty("svcmgr.spawner");
        }
    }

    @AfterAll
    static void down() {
        spawner.close();
        jvm.close();
        written.close();
    }

    /** True when the cgroup is on a cgroup2 hierarchy (where a child can be created in it). */
    static boolean onCgroup2(Path cgroup) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = l.split(" ");
            if (f.length > 2 && f[2].equals("cgroup2") && cgroup.startsWith(f[1])) return true;
        }
        return false;
    }

    static boolean built() { return Spawner.class.getResource(Spawner.RESOURCE) != null; }

    @Test
    void theSpawnerIsUsedWhereTheBuildHasIt() {
        assumeTrue(built(), "this build has no svcmgr-spawn (no C compiler when it was built)");
        assertTrue(spawner.spawning().startsWith("svcmgr-spawn"), spawner.spawning());
        assertTrue(jvm.spawning().startsWith("posix_spawn from the manager"), jvm.spawning());
    }

    @Test
    void bothPathsGiveTheSameProcess() throws Exception {
        assumeTrue(built(), "this build has no svcmgr-spawn");
        Path dir = Files.createTempDirectory("svcmgr-paths");
        dir.toFile().setExecutable(true, false);
        // as root; as a user with its own groups; as a user with another group: (initgroups takes the
        // password entry's group, the process gets the unit's)
        for (String[] who : new String[][] {{null, null}, {"nobody", null}, {"nobody", "root"}}) {
            Map<String, String> a = describe(spawner, who[0], who[1], dir);
            Map<String, String> b = describe(jvm, who[0], who[1], dir);
            Map<String, String> c = describe(written, who[0], who[1], dir);
            assertEquals(b, a, "user " + who[0] + ", group " + who[1]);
            assertEquals(b, c, "user " + who[0] + ", group " + who[1] + ", cgroup.procs written");
            assertEquals("0027", a.get("Umask"));
            assertTrue(a.get("limits").contains("Max open files            1000                 1000"), a.get("limits"));
            assertTrue(a.get("cgroup joined").equals("true"), a.toString());
            assertEquals("[0, 1, 2, 5]", a.get("fds"));
        }
    }

    @Test
    void whereTheTrackingCgroupIsOnCgroup2TheSpawnerCreatesTheServiceInIt() throws Exception {
        assumeTrue(built(), "this build has no svcmgr-spawn");
        ServiceGroup g = spawner.group("into.service", null, new ArrayList<>());
        ServiceGroup h = written.group("into.service", null, new ArrayList<>());
        try {
            assumeTrue(g.cgroup() != null, "no writable cgroup here");
            boolean v2 = onCgroup2(g.cgroup());
            int before = ((LinuxProcessRuntime) spawner).clonedIntoCgroup();
            int beforeWritten = ((LinuxProcessRuntime) written).clonedIntoCgroup();
            for (ServiceGroup in : List.of(g, h)) {
                ProcessRuntime os = in == g ? spawner : written;
                int pid = os.spawn(new SpawnRequest(List.of("/bin/sleep", "1000"), Map.of(), null, null, null, List.of(),
                        null, null, null, in), exits::put, ProcessRuntimeContract.DISCARD);
                RealProcesses.awaitAsleepIn(pid, "sleep");
                assertTrue(Files.readAllLines(in.cgroup().resolve("cgroup.procs")).contains(Integer.toString(pid)),
                        os.spawning() + ": " + pid + " is in " + in.cgroup());
                // a failed exec in the cgroup is told with its stage either way (the clone3 child has its own memory)
                SpawnException e = assertThrows(SpawnException.class, () -> os.spawn(new SpawnRequest(
                        List.of("/nonexistent/program"), Map.of(), null, null, null, List.of(), null, null, null, in),
                        exits::put, ProcessRuntimeContract.DISCARD));
                assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
                os.kill(pid, 9);
                RealProcesses.await(() -> exits.containsKey(pid), pid + " ended");
            }
            // the sleep counts; the failed exec counts nowhere
            assertEquals(v2 ? before + 1 : before, ((LinuxProcessRuntime) spawner).clonedIntoCgroup(),
                    "created in its cgroup by clone3 where the cgroup is on cgroup2 (" + g.cgroup() + ")");
            assertEquals(beforeWritten, ((LinuxProcessRuntime) written).clonedIntoCgroup(), "-Dsvcmgr.spawner=write");
        } finally {
            for (ServiceGroup x : List.of(g, h)) {
                x.killAll();
                x.release();
            }
        }
    }

    /** One service spawned with every set-up a unit can ask for; what /proc says of it. */
    private Map<String, String> describe(ProcessRuntime os, String user, String group, Path dir) throws Exception {
        ServiceGroup g = os.group("paths-" + user + "-" + group + ".service", null, new ArrayList<>());
        ReadyPipe ready = ReadyPipe.open();
        SpawnRequest r = new SpawnRequest(List.of("sleep", "1000"), Map.of("PATH", "/usr/bin:/bin", "A", "b c"),
                dir.toString(), user, group, List.of(), 0027, 1000L, 0L, g)
                .withReadyPipe(ready, 5);
        List<String> out = new ArrayList<>();
        int pid = os.spawn(r, exits::put, new OutputListener() {
            @Override
            public void data(int stream, byte[] buf, int len) { out.add(new String(buf, 0, len)); }

            @Override
            public void closed(int stream) { }
        });
        try {
            // sleep, asleep: its exec complete (the kernel renames a process early in the exec)
            RealProcesses.awaitAsleepIn(pid, "sleep");
            Map<String, String> d = new LinkedHashMap<>();
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                String k = l.substring(0, l.indexOf(':'));
                if (List.of("Umask", "Uid", "Gid", "Groups", "NoNewPrivs", "SigBlk", "SigIgn", "SigCgt").contains(k)) {
                    d.put(k, l.substring(k.length() + 1).strip());
                }
            }
            d.put("limits", Files.readString(Path.of("/proc/" + pid + "/limits")));
            d.put("cwd", Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString());
            // the shell prologue of the JVM's path exports PWD and orders the variables its own way; the
            // spawner passes the environment as given
            d.put("environ", new java.util.TreeSet<>(List.of(Files.readString(Path.of("/proc/" + pid + "/environ"))
                    .split("\u0000"))).stream().filter(v -> !v.startsWith("PWD=")).toList().toString());
            d.put("cmdline", Files.readString(Path.of("/proc/" + pid + "/cmdline")));
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            d.put("session leader", Boolean.toString(stat[3].equals(Integer.toString(pid))));
            List<Integer> fds = new ArrayList<>();
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                s.forEach(f -> fds.add(Integer.parseInt(f.getFileName().toString())));
            }
            fds.sort(null);
            d.put("fds", fds.toString());
            for (int fd : fds) {
                if (fd > 2 && fd != 5) d.put("fd " + fd, Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString());
            }
            d.put("stdin", Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString());
            d.put("fd 5 is a pipe", Boolean.toString(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/5")).toString().startsWith("pipe:")));
            d.put("cgroup joined", Boolean.toString(g.cgroup() == null
                    || Files.readAllLines(g.cgroup().resolve("cgroup.procs")).contains(Integer.toString(pid))));
            return d;
        } finally {
            g.killAll();
            RealProcesses.await(() -> exits.containsKey(pid), pid + " ended");
            g.release();
            ready.close();
        }
    }

    @Test
    void aReadinessDescriptorWhereTheSpawnerKeepsItsOwnCopiesArrives() throws Exception {
        // the spawner moves what it passes above 63 before arranging; a unit's ready fd may be any of those
        // and in a cgroup: there (on cgroup2) the child made by clone3 keeps the pipe that reports its failure up to
        // the exec, which must not be where the readiness descriptor goes
        ServiceGroup g = spawner.group("ready-fd.service", null, new ArrayList<>());
        try {
            for (ServiceGroup in : java.util.Arrays.asList(null, g.cgroup() == null ? null : g)) readyDescriptors(in);
            if (g.cgroup() != null) {
                // an executable file the kernel cannot run: the exec itself fails, in the child, after the descriptors
                Path junk = Files.createTempFile("svcmgr-junk", ".bin");
                Files.write(junk, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
                Files.setPosixFilePermissions(junk, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                for (int fd = 62; fd <= 70; fd++) {
                    ReadyPipe ready = ReadyPipe.open();
                    int n = fd;
                    try {
                        SpawnException e = assertThrows(SpawnException.class, () -> spawner.spawn(SpawnRequest.of(
                                List.of(junk.toString()), Map.of(), g).withReadyPipe(ready, n), exits::put,
                                ProcessRuntimeContract.DISCARD), "ready fd " + n);
                        assertTrue(e.getMessage().contains("Exec format error"), "ready fd " + n + ": " + e.getMessage());
                    } finally {
                        ready.close();
                    }
                }
                Files.delete(junk);
            }
        } finally {
            g.killAll();
            g.release();
        }
    }

    private void readyDescriptors(ServiceGroup in) throws Exception {
        for (int fd = 62; fd <= 70; fd++) {
            ReadyPipe ready = ReadyPipe.open();
            int n = fd;
            int pid = spawner.spawn(SpawnRequest.of(List.of("/bin/sleep", "1000"), Map.of(), in).withReadyPipe(ready, fd),
                    exits::put, ProcessRuntimeContract.DISCARD);
            try {
                RealProcesses.awaitAsleepIn(pid, "sleep");
                List<String> fds = new ArrayList<>();
                try (var st = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    st.forEach(f -> fds.add(f.getFileName().toString()));
                }
                fds.sort(null);
                assertEquals(new java.util.TreeSet<>(List.of("0", "1", "2", Integer.toString(n))), new java.util.TreeSet<>(fds),
                        "descriptors of a service with ready fd " + n + (in == null ? "" : " in " + in.cgroup()));
            } finally {
                spawner.kill(pid, 9);
                RealProcesses.await(() -> exits.containsKey(pid), pid + " ended");
                ready.close();
            }
        }
    }

    @Test
    void asRootTheManagerRaisesItsDescriptorLimitAndItsServicesKeepTheOneItStartedWith() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "not root");
        long[] services = DescriptorLimit.forServices();
        long[] own = DescriptorLimit.get();
        assumeTrue(services != null, "the limit could not be raised here (it is at fs.nr_open already)");
        assertTrue(own[0] > services[0], "the manager's own soft limit " + own[0] + " is above the services' " + services[0]);
        for (ProcessRuntime os : List.of(spawner, jvm)) {
            int pid = os.spawn(SpawnRequest.of(List.of("/bin/sleep", "1000"), Map.of(), null), exits::put,
                    ProcessRuntimeContract.DISCARD);
            try {
                RealProcesses.awaitAsleepIn(pid, "sleep");
                String line = Files.readAllLines(Path.of("/proc/" + pid + "/limits")).stream()
                        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
                String[] v = line.substring("Max open files".length()).trim().split("\\s+");
                assertEquals(List.of(Long.toString(services[0]), Long.toString(services[1])), List.of(v[0], v[1]),
                        os.spawning() + ": " + line);
            } finally {
                os.kill(pid, 9);
                RealProcesses.await(() -> exits.containsKey(pid), pid + " ended");
            }
        }
    }

    @Test
    void aFailedExecIsAStartFailureWithItsStageOnBothPaths() throws Exception {
        Path notElf = Files.createTempFile("svcmgr-not-a-program", "");
        Files.write(notElf, new byte[] {1, 2, 3, 4});
        notElf.toFile().setExecutable(true);
        for (ProcessRuntime os : List.of(spawner, jvm)) {
            SpawnException e = assertThrows(SpawnException.class,
                    () -> os.spawn(SpawnRequest.of(List.of(notElf.toString()), Map.of(), null), exits::put,
                            ProcessRuntimeContract.DISCARD));
            assertTrue(e.getMessage().contains("executing command") && e.getMessage().contains("Exec format error"),
                    os.spawning() + ": " + e.getMessage());
        }
    }

    @Test
    void whenTheSpawnerDiesTheNextSpawnComesFromTheManager() throws Exception {
        assumeTrue(built(), "this build has no svcmgr-spawn");
        ProcessRuntime os = ProcessRuntime.linux("svcmgr-paths-dies-" + ProcessHandle.current().pid(), false, true);
        try {
            int first = os.spawn(SpawnRequest.of(List.of("/bin/sleep", "1000"), Map.of(), null), exits::put,
                    ProcessRuntimeContract.DISCARD);
            String s = os.spawning();
            assertTrue(s.startsWith("svcmgr-spawn (pid "), s);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid (\\d+)").matcher(s);
            assertTrue(m.find(), s);
            int spawnerPid = Integer.parseInt(m.group(1));
            assertTrue(os.kill(spawnerPid, 9));
            RealProcesses.await(() -> !os.spawning().startsWith("svcmgr-spawn"), "the runtime notices the spawner ended");
            assertTrue(os.spawning().contains("svcmgr-spawn ended"), os.spawning());
            int second = os.spawn(SpawnRequest.of(List.of("/bin/sleep", "1000"), Map.of(), null), exits::put,
                    ProcessRuntimeContract.DISCARD);
            RealProcesses.awaitAsleepIn(second, "sleep");
            assertTrue(os.alive(first), "the first service outlived its spawner");
            for (int p : List.of(first, second)) {
                os.kill(p, 15);
                RealProcesses.await(() -> exits.containsKey(p), p + " ended and was reaped");
            }
            assertFalse(os.alive(first));
        } finally {
            os.close();
        }
    }
}
