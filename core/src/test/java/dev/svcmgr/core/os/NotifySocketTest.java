package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NotifySocketTest {

    static final String PY = "import os,socket,sys\n"
            + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
            + "s.sendto(sys.argv[1].encode(),os.environ['NOTIFY_SOCKET'])\n";

    @Test
    void aDatagramArrivesWithTheSendersKernelCheckedPidAndItsFields() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Path dir = Files.createTempDirectory("svcmgr-notify");
        LinkedBlockingQueue<NotifySocket.Message> q = new LinkedBlockingQueue<>();
        try (NotifySocket s = NotifySocket.open(dir.resolve("notify.sock"), q::add)) {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-c", PY, "READY=1\nSTATUS=serving 3 clients\nMAINPID=42");
            pb.environment().put("NOTIFY_SOCKET", s.path().toString());
            Process p = pb.inheritIO().start();
            NotifySocket.Message m = q.poll(5, TimeUnit.SECONDS);
            assertNotNull(m, "no datagram within 5 s");
            assertEquals(p.pid(), m.pid());
            assertEquals(0, m.uid());
            assertEquals("1", m.fields().get("READY"));
            assertEquals("serving 3 clients", m.fields().get("STATUS"));
            assertEquals("42", m.fields().get("MAINPID"));
            assertEquals(0, p.waitFor());
        }
        assertTrue(Files.notExists(dir.resolve("notify.sock")), "close removes the socket file");
    }

    /** As root, systemd-notify 252 sends its state with its parent's PID in the credentials (the service's shell). */
    @Test
    void systemdNotifyWaitsOnItsBarrierUntilTheDescriptorsAreClosed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "systemd-notify not installed (skipped)");
        Path dir = Files.createTempDirectory("svcmgr-notify");
        LinkedBlockingQueue<NotifySocket.Message> q = new LinkedBlockingQueue<>();
        try (NotifySocket s = NotifySocket.open(dir.resolve("n.sock"), q::add)) {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/systemd-notify", "--ready", "--status=warming up");
            pb.environment().put("NOTIFY_SOCKET", s.path().toString());
            Process p = pb.inheritIO().start();
            List<NotifySocket.Message> got = new java.util.ArrayList<>();
            long end = System.nanoTime() + 5_000_000_000L;
            while (p.isAlive() && System.nanoTime() < end) {
                NotifySocket.Message m = q.poll(50, TimeUnit.MILLISECONDS);
                if (m == null) continue;
                got.add(m);
                // the sender is still alive while its message is being looked at: its PID can be checked
                assertTrue(ProcessHandle.of(m.pid()).isPresent(), "sender alive until its descriptors are closed");
                m.closeFds();
            }
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "systemd-notify returned");
            assertEquals(0, p.exitValue());
            assertTrue(got.stream().anyMatch(m -> "1".equals(m.fields().get("READY"))
                    && "warming up".equals(m.fields().get("STATUS"))
                    && (m.pid() == p.pid() || m.pid() == ProcessHandle.current().pid())), "READY and STATUS from systemd-notify: " + got);
        }
    }
}
