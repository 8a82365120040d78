package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each setting is checked from inside a real sandboxed process. */
class SandboxingTest {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

    record Run(ExitStatus status, String output) {}

    /** Runs {@code script} under the plan's prefix through the real runtime; returns its status and output. */
    static Run run(Sandboxing.Plan plan, String script) throws Exception {
        List<String> argv = new ArrayList<>(plan.prefix());
        argv.addAll(List.of("/bin/sh", "-c", script));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<ExitStatus> done = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try (ProcessRuntime rt = ProcessRuntime.linux("svcmgr-sbx-" + ProcessHandle.current().pid(), false)) {
            rt.spawn(SpawnRequest.of(argv, ENV, null), (p, st) -> done.complete(st), new OutputListener() {
                int open = 2;

                @Override
                public void data(int stream, byte[] buf, int len) {
                    synchronized (out) { out.write(buf, 0, len); }
                }

                @Override
                public void closed(int stream) {
                    if (--open == 0) closed.complete(null);
                }
            });
            ExitStatus st = done.get(10, TimeUnit.SECONDS);
            closed.get(5, TimeUnit.SECONDS);
            synchronized (out) { return new Run(st, out.toString(StandardCharsets.UTF_8)); }
        }
    }

    static void assumeNamespaces() {
        assumeTrue(Sandboxing.namespaces() == null, "namespaces refused here (skipped): " + Sandboxing.namespaces());
    }

    @Test
    void aFileWrittenToAPrivateTmpIsNotVisibleOutside() throws Exception {
        assumeNamespaces();
        String name = "svcmgr-private-tmp-" + ProcessHandle.current().pid();
        Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, true, false, null, List.of()));
        assertEquals(List.of("private-tmp"), plan.applied());
        Run r = run(plan, "echo secret > /tmp/" + name + " && ls /tmp");
        assertEquals(0, r.status().code(), r.output());
        assertEquals(name, r.output().strip(), "the service sees a fresh /tmp holding only its own file");
        assertFalse(Files.exists(Path.of("/tmp", name)), "not visible outside");
    }

    @Test
    void theNotifySocketUnderAPrivateTmpStaysReachableWhateverTheServicesUmask() throws Exception {
        assumeNamespaces();
        Path dir = Files.createDirectories(Path.of("/tmp", "svcmgr-sbx-notify-" + ProcessHandle.current().pid(), "run"));
        try {
            Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, true, false, null, List.of()),
                    dir.resolve("notify.sock").toString());
            // a service with UMask=007 (Debian's redis): the directories made to reach the socket must still be searchable
            List<String> prefix = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077; exec \"$@\"", "umask"));
            prefix.addAll(plan.prefix());
            Run r = run(new Sandboxing.Plan(prefix, plan.applied(), plan.notApplied()), "stat -c %a " + dir.getParent() + " " + dir);
            assertEquals(0, r.status().code(), r.output());
            assertEquals("755\n755", r.output().strip().replace("\r", ""), r.output());
        } finally {
            Files.deleteIfExists(dir);
            Files.deleteIfExists(dir.getParent());
        }
    }

    @Test
    void aPrivateNetworkHasOnlyLoopbackAndItIsUp() throws Exception {
        assumeNamespaces();
        Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, false, true, null, List.of()));
        Run r = run(plan, "ls /sys/class/net; echo --; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags;"
                + " echo --; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
        assertEquals(0, r.status().code(), r.output());
        String[] parts = r.output().split("--\n");
        assertEquals("lo", parts[0].strip(), r.output());
        int flags = Integer.decode(parts[1].strip().lines().toList().get(1));
        assertTrue((flags & 1) != 0, "lo is up: " + r.output());
        assertEquals("lo", parts[2].strip(), "/proc/net/dev lists only lo: " + r.output());
    }

    @Test
    void writingToAReadOnlyPathFails() throws Exception {
        assumeNamespaces();
        Path dir = Files.createTempDirectory("svcmgr-ro");
        Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, false, false, null, List.of(dir.toString())));
        Run r = run(plan, "if (echo x > " + dir + "/f) 2>/dev/null; then echo wrote; else echo refused; fi; grep ' " + dir + " ' /proc/self/mounts");
        assertTrue(r.output().startsWith("refused"), r.output());
        assertTrue(r.output().contains(" ro,") || r.output().contains(" ro "), "mounted read-only: " + r.output());
        assertTrue(Files.isWritable(dir) && Files.notExists(dir.resolve("f")), "outside it stays writable and empty");
        Files.delete(dir);
    }

    @Test
    void theServicesOwnDirectoriesStayWritableBelowAReadOnlyPathAndAPrivateTmp() throws Exception {
        assumeNamespaces();
        Path ro = Files.createTempDirectory(Path.of("/var/tmp"), "svcmgr-ro"); // not below the private /tmp
        Path own = Files.createDirectories(ro.resolve("app/state"));
        Path inTmp = Files.createDirectories(Path.of("/tmp", "svcmgr-own-" + ProcessHandle.current().pid()));
        try {
            Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, true, false, null, List.of(ro.toString()),
                    List.of(own.toString(), inTmp.toString())));
            Run r = run(plan, "echo a > " + own + "/f && echo b > " + inTmp + "/g && echo ok;"
                    + " if (echo x > " + ro + "/other) 2>/dev/null; then echo wrote; else echo refused; fi");
            assertEquals(0, r.status().code(), r.output());
            assertEquals(List.of("ok", "refused"), r.output().strip().lines().toList());
            assertEquals("a\n", Files.readString(own.resolve("f")), "written through to the host's directory");
            assertEquals("b\n", Files.readString(inTmp.resolve("g")), "below the private /tmp: the host's directory");
        } finally {
            for (Path p : List.of(own.resolve("f"), own, own.getParent(), ro, inTmp.resolve("g"), inTmp)) Files.deleteIfExists(p);
        }
    }

    @Test
    void noNewPrivilegesIsSetInTheService() throws Exception {
        Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(true, false, false, null, List.of()));
        assumeTrue(plan.notApplied().isEmpty(), "setpriv missing (skipped): " + plan.notApplied());
        Run r = run(plan, "grep NoNewPrivs /proc/self/status");
        assertEquals("NoNewPrivs:\t1", r.output().strip());
    }

    @Test
    void aRootDirectoryIsTheServicesSlash() throws Exception {
        assumeNamespaces();
        Path root = Files.createTempDirectory("svcmgr-root");
        for (String l : List.of("bin", "lib", "lib64", "sbin")) Files.createSymbolicLink(root.resolve(l), Path.of("usr", l));
        Files.createDirectories(root.resolve("usr"));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("marker"), "inside\n");
        Path own = Files.createTempDirectory("svcmgr-own"); // a directory of the service's own, on the host
        // the jail's /usr is the host's, bound read-only by the sandbox itself (read-only paths are under the root)
        Process bind = new ProcessBuilder("/usr/bin/mount", "--bind", "/usr", root.resolve("usr").toString()).inheritIO().start();
        assertEquals(0, bind.waitFor());
        try {
            Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(true, true, false, root.toString(), List.of("/usr"),
                    List.of(own.toString())));
            assertEquals(List.of("private-tmp", "read-only-paths /usr", "root-directory " + root, "no-new-privileges"), plan.applied());
            Run r = run(plan, "cat /marker; ls /tmp | wc -l; touch /usr/x 2>/tmp/err || echo usr-ro; echo in > " + own + "/f");
            assertEquals(0, r.status().code(), r.output());
            assertEquals(List.of("inside", "1", "usr-ro"), r.output().strip().lines().toList(),
                    "/tmp holds the mount point of the service's own directory");
            assertEquals("in\n", Files.readString(own.resolve("f")), "the service's own directory is the host's, inside the root");
        } finally {
            new ProcessBuilder("/usr/bin/umount", "-l", root.resolve("usr").toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void settingsTheHostCannotHonourAreReportedWithTheReason() {
        Sandboxing.Plan plan = Sandboxing.plan(new Sandboxing.Settings(false, false, false, "/nonexistent/jail", List.of("/nonexistent/ro")));
        if (Sandboxing.namespaces() == null) {
            assertEquals(List.of("sandbox.root-directory /nonexistent/jail not applied: not a directory",
                    "sandbox.read-only-paths /nonexistent/ro not applied: /nonexistent/ro does not exist"), plan.notApplied());
        } else {
            assertTrue(plan.notApplied().stream().allMatch(l -> l.contains(Sandboxing.namespaces())), plan.notApplied().toString());
        }
        assertTrue(plan.prefix().isEmpty(), "nothing to wrap: " + plan.prefix());
        assertTrue(plan.applied().isEmpty());
    }
}
