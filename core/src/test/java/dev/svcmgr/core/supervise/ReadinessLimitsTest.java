package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.supervise.notify.NotifyHub;
import dev.svcmgr.units.Limits;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.ServiceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Readiness protocols, watchdog, limits and sandbox through a real supervisor and real processes. */
class ReadinessLimitsTest {
    static final String PY = "/usr/bin/python3";
    static final Duration MAX = Duration.ofSeconds(8);
    Harness h;
    Path notify;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness();
        notify = h.dir.resolve("notify.py");
        // like systemd-notify (sd_notify_barrier): after its message, BARRIER=1 with a pipe's write end, then
        // wait until the manager closes it. A sender that exits at once can be reaped before the manager reads
        // its ancestry (a loaded host): that message is then not attributed and dropped (docs/readiness-limits.md)
        Files.writeString(notify, "import array,os,select,socket,sys\n"
                + "a=os.environ['NOTIFY_SOCKET']\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
                + "s.sendto('\\n'.join(sys.argv[1:]).encode(),a)\n"
                + "r,w=os.pipe()\n"
                + "s.sendmsg([b'BARRIER=1'],[(socket.SOL_SOCKET,socket.SCM_RIGHTS,array.array('i',[w]))],0,a)\n"
                + "os.close(w)\n"
                + "select.select([r],[],[],30)\n");
    }

    @AfterEach
    void tearDown() throws Exception { h.close(); }

    private <T> T get(java.util.concurrent.Callable<T> c) {
        try {
            return h.call(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String send(String... fields) { return PY + " " + notify + " " + String.join(" ", fields); }

    private static Svc notifySvc(String script) {
        Svc s = Svc.sh(script).type(ServiceType.NOTIFY);
        s.ready = Readiness.notifyReady();
        return s;
    }

    @Test
    void aNotifyServiceStaysStartingUntilReadyAndShowsItsStatusText() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PY)), "no " + PY);
        ServiceSupervisor s = h.add("n.service", notifySvc(send("STATUS=loading") + "; sleep 0.3; "
                + send("READY=1", "'STATUS=serving 2 clients'") + "; exec sleep 1000"));
        h.run(s::start);
        // every snapshot the supervisor published, not a poll of the current one: a poll can miss the 0.3 s
        // of "loading" on a loaded host (both datagrams then handled between two polls)
        Harness.poll(() -> h.seen.stream().anyMatch(x -> "loading".equals(x.statusText())), MAX, "STATUS=loading published");
        UnitSnapshot loading = h.seen.stream().filter(x -> "loading".equals(x.statusText())).findFirst().orElseThrow();
        assertEquals("starting", loading.active().word(), "not active before READY=1");
        UnitSnapshot up = h.awaitSub(s, "active", "running", MAX);
        assertEquals("serving 2 clients", up.statusText());
        assertTrue(h.seen.stream().filter(x -> x.active().word().equals("active")).allMatch(x -> !"loading".equals(x.statusText())));
    }

    @Test
    void readyFromAProcessOutsideTheServiceIsIgnored() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PY)), "no " + PY);
        Path go = h.dir.resolve("go");
        ServiceSupervisor s = h.add("n.service", notifySvc("while [ ! -e " + go + " ]; do sleep 0.02; done; "
                + send("READY=1") + "; exec sleep 1000"));
        h.run(s::start);
        h.awaitSub(s, "starting", "start", MAX);
        ProcessBuilder pb = new ProcessBuilder(PY, notify.toString(), "READY=1", "STATUS=forged");
        pb.environment().put("NOTIFY_SOCKET", h.ctx.runtimeDir().toAbsolutePath().resolve("notify.sock").toString());
        assertEquals(0, pb.inheritIO().start().waitFor());
        NotifyHub hub = NotifyHub.of(h.ctx.runtimeDir(), h.loop);
        Harness.poll(() -> get(hub::dropped) > 0, MAX, "the forged message was dropped");
        UnitSnapshot still = h.snap(s);
        assertEquals("starting", still.active().word());
        assertNull(still.statusText());
        Files.createFile(go);
        try {
            h.awaitSub(s, "active", "running", MAX);
        } finally {
            Path log = h.dir.resolve("log/n.service.log");
            System.out.println("LOG: " + (Files.exists(log) ? Files.readString(log) : "-") + " dropped " + get(hub::dropped));
        }
    }





    @Test
    void systemdNotifyMarksTheServiceReady() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "systemd-notify not installed (skipped)");
        ServiceSupervisor s = h.add("sn.service", notifySvc("/usr/bin/systemd-notify --ready --status=accepting; exec sleep 1000"));
        h.run(s::start);
        assertEquals("accepting", h.awaitSub(s, "active", "running", MAX).statusText());
    }

    @Test
    void redisInItsSystemdModeIsReadyByNotify() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server not installed (skipped)");
        Path sock = h.dir.resolve("redis.sock");
        ServiceSupervisor s = h.add("redis.service", notifySvc("exec /usr/bin/redis-server --supervised systemd --port 0"
                + " --unixsocket " + sock + " --save '' --appendonly no --dir " + h.dir));
        h.run(s::start);
        UnitSnapshot up = h.awaitSub(s, "active", "running", MAX);
        assertTrue(Files.exists(sock), "redis listens when it says it is ready");
        System.out.println("redis status text: " + up.statusText());
    }


    @Test
    void fdReadinessWaitsForANewlineOnTheDescriptor() throws Exception {
        Svc svc = Svc.sh("sleep 0.3; echo >&3; exec sleep 1000");
        svc.ready = Readiness.fd(3);
        ServiceSupervisor s = h.add("fd.service", svc);
        long t0 = System.nanoTime();
        h.run(s::start);
        h.awaitSub(s, "starting", "start", MAX);
        h.awaitSub(s, "active", "running", MAX);
        assertTrue(System.nanoTime() - t0 > 250_000_000L, "not ready before the newline");
        int main = h.snap(s).mainPid();
        assertFalse(Files.exists(Path.of("/proc/" + main + "/fd/4")), "no other descriptor leaked to the service");
    }


    @Test
    void httpReadinessWaitsForA2xxAnswer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PY)), "no " + PY);
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Svc svc = Svc.sh("sleep 0.3; cd " + h.dir + " && exec " + PY + " -m http.server " + port + " --bind 127.0.0.1");
        svc.ready = Readiness.http("http://127.0.0.1:" + port + "/");
        ServiceSupervisor s = h.add("web.service", svc);
        h.run(s::start);
        h.awaitSub(s, "active", "running", MAX);
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(c.isConnected(), "serving when active");
        }
    }

    @Test
    void allocatingPastTheMemoryLimitFailsWithResultOomKill() throws Exception {
        Svc svc = Svc.sh("exec /usr/bin/tail /dev/zero");
        svc.limits = new Limits(32L << 20, null, null, null, null);
        svc.restart = RestartPolicy.NO;
        ServiceSupervisor s = h.add("oom.service", svc);
        h.run(s::start);
        UnitSnapshot f = h.awaitSub(s, "failed", "failed", MAX);
        List<String> w = h.call(s::warnings);
        assumeTrue(w.isEmpty(), "no memory controller here (skipped): " + w);
        assertEquals(Result.OOM_KILL, f.result(), f.resultDetail());
        assertTrue(f.resultDetail().contains("SIGKILL") && f.resultDetail().contains("OOM"), f.resultDetail());
    }

    @Test
    void aPidsLimitHoldsAForkBombAndStatusCountsTheTasks() throws Exception {
        // bash, not sh: when fork fails dash gives up at once (the service then fails and is cleaned up before
        // the count can be seen: a race this test lost on a host that forks fast), bash retries for seconds
        Svc svc = Svc.of("/bin/bash", "-c", "while :; do sleep 1000 & done 2>/dev/null");
        svc.limits = new Limits(null, null, 12L, null, null);
        ServiceSupervisor s = h.add("bomb.service", svc);
        h.run(s::start);
        h.awaitSub(s, "active", "running", MAX);
        List<String> w = h.call(s::warnings);
        assumeTrue(w.isEmpty(), "no pids controller here (skipped): " + w);
        Harness.poll(() -> { Long t = get(() -> s.usage().tasks()); return t != null && t >= 12; }, MAX, "the bomb hits the limit");
        assertTrue(get(() -> s.usage().tasks()) <= 12 && get(s::pids).size() <= 12, "held at 12: " + get(s::pids));
        // bash retrying its fork takes its time over a SIGTERM: SIGKILL, rather than the stop's 10 s timeout at close
        h.run(() -> s.kill(9));
    }

    @Test
    void aRequiredSandboxThatCannotBeAppliedFailsTheStartWithTheReason() throws Exception {
        Svc svc = Svc.sh("exec sleep 1000");
        svc.sandbox = new Sandbox(true, false, false, false, "/nonexistent/jail", List.of());
        ServiceSupervisor s = h.add("jail.service", svc);
        h.run(s::start);
        UnitSnapshot f = h.awaitSub(s, "failed", "failed", MAX);
        assertEquals(Result.EXEC, f.result());
        assertTrue(f.resultDetail().contains("Stage: applying sandbox") && f.resultDetail().contains("/nonexistent/jail"), f.resultDetail());
    }

    @Test
    void anOptionalSandboxThatCannotBeAppliedStartsWithAWarning() throws Exception {
        Svc svc = Svc.sh("exec sleep 1000");
        svc.sandbox = new Sandbox(false, false, false, false, null, List.of("/nonexistent/ro"));
        ServiceSupervisor s = h.add("ro.service", svc);
        h.run(s::start);
        h.awaitSub(s, "active", "running", MAX);
        List<String> w = h.call(s::warnings);
        assertTrue(w.stream().anyMatch(l -> l.startsWith("sandbox.read-only-paths /nonexistent/ro not applied")), w.toString());
    }

    @Test
    void aSandboxedServiceHasAPrivateTmpAndNoNewPrivileges() throws Exception {
        String name = "svcmgr-sbx-" + ProcessHandle.current().pid();
        Svc svc = Svc.sh("grep NoNewPrivs /proc/self/status > /tmp/" + name + "; exec sleep 1000");
        svc.sandbox = new Sandbox(false, true, true, false, null, List.of());
        ServiceSupervisor s = h.add("sbx.service", svc);
        h.run(s::start);
        h.awaitSub(s, "active", "running", MAX);
        List<String> w = h.call(s::warnings);
        assumeTrue(w.isEmpty(), "sandbox refused here (skipped): " + w);
        int main = h.snap(s).mainPid();
        Path inside = Path.of("/proc/" + main + "/root/tmp/" + name);
        Harness.poll(() -> inside.toFile().length() > 0, MAX, "the file in the service's /tmp");
        assertEquals("NoNewPrivs:\t1", Files.readString(inside).strip());
        assertFalse(Files.exists(Path.of("/tmp", name)), "invisible outside");
    }
}
