package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Socket units through a real daemon (units.md "Sockets"): sockets bound by the manager and passed as
 * sd_listen_fds(3) expects, a service started by its first connection, connections never refused across
 * a restart and a kill -9, a bind conflict failing the socket unit with result resources, and a real
 * daemon built for socket activation (dbus-daemon --address=systemd:).
 */
class SocketsTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    /** A server that accepts only on descriptor 3, answers "hello" and writes its LISTEN_* environment once. */
    private static String echo(Path env) {
        return "exec: [/usr/bin/python3, -c, \"import os,socket\\n"
                + "open('" + env + "','w').write('%s %s %s %d' % (os.environ.get('LISTEN_FDS'), os.environ.get('LISTEN_PID'),"
                + " os.environ.get('LISTEN_FDNAMES'), os.getpid()))\\n"
                + "s=socket.socket(fileno=3)\\n"
                + "while True:\\n  c,_=s.accept(); c.sendall(b'hello'); c.close()\"]\n";
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sockets() {
        return (List<Map<String, Object>>) Json.parse(h.cli("list-sockets", "--json").out());
    }

    private static String hello(int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes());
        }
    }

    @Test
    @DisplayName("the first connection starts the service with the sockets at 3.. (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES); none refused across restart and kill -9")
    void activationAndNoConnectionRefused() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sockets-"));
        Path env = h.base.resolve("env");
        h.unit("echo.service.yaml", echo(env) + "restart: always\nrestart-delay: 100ms\nstart-limit: {burst: 100, interval: 10s}\n");
        h.unit("echo.socket.yaml", "listen:\n  - tcp: \"127.0.0.1:0\"\n  - unix: " + h.base.resolve("ctl.sock") + "\n    name: control\n");
        h.unit("multi-user.target.yaml", "wants: [echo.socket]\n");
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        assertEquals("inactive\n", h.cli("is-active", "echo.service").out(), "not started before a connection");
        List<Map<String, Object>> ss = sockets();
        assertEquals(2, ss.size(), ss.toString());
        String tcp = (String) ss.stream().filter(m -> ((String) m.get("listen")).startsWith("tcp ")).findFirst().orElseThrow().get("listen");
        int port = Integer.parseInt(tcp.substring(tcp.lastIndexOf(':') + 1));
        assertTrue(port > 0, "the chosen port is shown: " + tcp);
        String status = h.cli("status", "echo.socket").out();
        assertTrue(status.contains("     Listen: " + tcp) && status.contains("unix " + h.base.resolve("ctl.sock")), status);

        assertEquals("hello", hello(port), "the first connection is served by the service it started");
        assertEquals("active\n", h.cli("is-active", "echo.service").out());
        String[] e = Files.readString(env).split(" ");
        assertEquals("2", e[0], "LISTEN_FDS");
        assertEquals(e[3], e[1], "LISTEN_PID is the service's own PID");
        assertEquals("echo.socket:control", e[2], "LISTEN_FDNAMES: the unit's name by default, then the entry's name");
        assertEquals(1L, ((Number) sockets().get(0).get("accepted")).longValue());

        // hammer connections while the service is restarted and killed: none refused, every one served
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger(), refused = new AtomicInteger(), cut = new AtomicInteger(), other = new AtomicInteger();
        List<String> others = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread hammer = new Thread(() -> {
            while (go.get()) {
                try {
                    String got = hello(port);
                    if (got.equals("hello")) served.incrementAndGet();
                    else if (got.isEmpty()) cut.incrementAndGet(); // accepted by the process that was then stopped or killed
                    else others.add("got '" + got + "'");
                } catch (ConnectException x) {
                    refused.incrementAndGet();
                } catch (java.net.SocketException x) {
                    if (String.valueOf(x.getMessage()).contains("reset")) cut.incrementAndGet();
                    else others.add(x.toString());
                } catch (Exception x) {
                    others.add(x.toString());
                }
            }
        });
        hammer.start();
        try {
            DaemonHarness.await("some connections served", T, () -> served.get() >= 20);
            assertEquals(0, h.cli("restart", "echo.service").code());
            int afterRestart = served.get();
            DaemonHarness.await("connections served after the restart", T, () -> served.get() >= afterRestart + 20);
            long main = ((Number) ((Map<?, ?>) Json.parse(h.cli("status", "echo.service", "--json").out())).get("main-pid")).longValue();
            new ProcessBuilder("kill", "-KILL", Long.toString(main)).start().waitFor();
            int afterKill = served.get();
            DaemonHarness.await("connections served after kill -9 and the automatic restart", T, () -> served.get() >= afterKill + 20);
            // the manager re-executes itself: the sockets are handed over, not bound again (the port stays, the unit active)
            assertEquals(0, h.cli("daemon-reexec").code(), DaemonHarness.read(h.stderr));
            DaemonHarness.await("the daemon answers after daemon-reexec", T, () -> h.cli("is-active", "echo.socket").code() == 0);
            assertEquals(tcp, sockets().stream().filter(m -> ((String) m.get("listen")).startsWith("tcp ")).findFirst().orElseThrow()
                    .get("listen"), "the same socket after daemon-reexec");
            long again = ((Number) ((Map<?, ?>) Json.parse(h.cli("status", "echo.service", "--json").out())).get("main-pid")).longValue();
            new ProcessBuilder("kill", "-KILL", Long.toString(again)).start().waitFor();
            int afterReexec = served.get();
            DaemonHarness.await("connections served after daemon-reexec and another kill -9", T, () -> served.get() >= afterReexec + 20);
            // the manager killed and started again while the service runs: the service keeps serving (it holds its
            // copy), and the new manager takes the sockets back from it instead of binding again (the port is in use)
            h.process().destroyForcibly();
            assertTrue(h.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            int whileDown = served.get();
            DaemonHarness.await("connections served while no manager runs", T, () -> served.get() >= whileDown + 20);
            h.start("--target", "multi-user.target");
            DaemonHarness.await("echo.socket active under the new manager", T, () -> h.cli("is-active", "echo.socket").code() == 0);
            assertEquals(tcp, sockets().stream().filter(m -> ((String) m.get("listen")).startsWith("tcp ")).findFirst().orElseThrow()
                    .get("listen"), "the same socket, taken back from the running service");
            assertTrue(DaemonHarness.read(h.stderr).contains("took its sockets back from its running service"), DaemonHarness.read(h.stderr));
            long third = ((Number) ((Map<?, ?>) Json.parse(h.cli("status", "echo.service", "--json").out())).get("main-pid")).longValue();
            new ProcessBuilder("kill", "-KILL", Long.toString(third)).start().waitFor();
            int afterRestartOfManager = served.get();
            DaemonHarness.await("connections served by the service the new manager restarted", T,
                    () -> served.get() >= afterRestartOfManager + 20);
        } finally {
            go.set(false);
            hammer.join(30_000);
        }
        System.out.println("sockets: " + served.get() + " connections served across a restart and a kill -9, " + refused.get()
                + " refused, " + cut.get() + " cut (accepted by the process that was stopped or killed), other failures: " + others
                + " (restart, kill -9, daemon-reexec, kill -9, manager killed and started again, kill -9)");
        assertEquals(0, refused.get(), "connections refused");
        assertEquals(List.of(), others, "connections that failed otherwise");
        assertTrue(cut.get() <= 4, "at most the connection each ended process had accepted is cut: " + cut.get());

        assertEquals(0, h.cli("stop", "echo.socket", "echo.service").code());
        assertTrue(sockets().isEmpty(), "stopping the socket unit closes its sockets");
        assertTrue(!Files.exists(h.base.resolve("ctl.sock")), "and removes its unix socket");
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("a port already taken fails the socket unit with result resources and the OS error; the rest runs")
    void bindConflict() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sockets-"));
            h.unit("b.service.yaml", "exec: [/bin/sleep, '1000']\n");
            h.unit("b.socket.yaml", "listen:\n  - tcp: \"127.0.0.1:" + taken.getLocalPort() + "\"\n");
            h.unit("ok.service.yaml", "exec: [/bin/sleep, '1000']\n");
            h.unit("multi-user.target.yaml", "wants: [b.socket, ok.service]\n");
            h.start("--target", "multi-user.target");
            assertEquals("degraded\n", h.cli("is-system-running", "--wait").out());
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) Json.parse(h.cli("status", "b.socket", "--json").out());
            assertEquals("failed", st.get("active"));
            assertEquals("resources", st.get("result"));
            assertEquals("cannot bind tcp 127.0.0.1:" + taken.getLocalPort() + ": Address already in use", st.get("result-detail"), st.toString());
            assertEquals("active\n", h.cli("is-active", "ok.service").out());
            assertEquals(0, h.terminate());
        }
    }

    @Test
    @DisplayName("udp, a FIFO and IPv6: a datagram starts the service, so do bytes in the FIFO; [::1]:0 is bound; two units asking for one port: the second fails")
    void datagramsFifosAndIpv6() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sockets-"));
        Path fifo = h.base.resolve("ctl.fifo");
        Path ran = h.base.resolve("ran");
        // each run records how it was woken, reading what is waiting on its descriptors, then ends
        String server = "exec: [/usr/bin/python3, -c, \"import os,socket,select\\n"
                + "r,_,_=select.select([3,4],[],[],10)\\n"
                + "out=[]\\n"
                + "if 3 in r: out.append('udp:'+socket.socket(fileno=3).recv(64).decode())\\n"
                + "if 4 in r: out.append('fifo:'+os.read(4,64).decode())\\n"
                + "open('" + ran + "','a').write(' '.join(out)+'\\\\n')\"]\nrestart: no\n";
        h.unit("dgram.service.yaml", server);
        h.unit("dgram.socket.yaml", "listen:\n  - udp: \"127.0.0.1:0\"\n  - fifo: " + fifo + "\n");
        h.unit("six.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("six.socket.yaml", "listen:\n  - tcp: \"[::1]:0\"\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        h.unit("first.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("first.socket.yaml", "listen: [{tcp: \"127.0.0.1:" + port + "\"}]\n");
        h.unit("second.service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("second.socket.yaml", "listen: [{tcp: \"127.0.0.1:" + port + "\"}]\nafter: [first.socket]\n");
        h.unit("multi-user.target.yaml", "wants: [dgram.socket, six.socket, first.socket, second.socket]\n");
        h.start("--target", "multi-user.target");
        h.cli("is-system-running", "--wait");
        String udp = (String) sockets().stream().filter(m -> ((String) m.get("listen")).startsWith("udp ")).findFirst().orElseThrow().get("listen");
        int udpPort = Integer.parseInt(udp.substring(udp.lastIndexOf(':') + 1));
        try (java.net.DatagramSocket d = new java.net.DatagramSocket()) {
            byte[] b = "ping".getBytes();
            d.send(new java.net.DatagramPacket(b, b.length, java.net.InetAddress.getByName("127.0.0.1"), udpPort));
        }
        DaemonHarness.await("the datagram started the service", T, () -> DaemonHarness.read(ran).contains("udp:ping"));
        DaemonHarness.await("the run ended", T, () -> h.cli("is-active", "dgram.service").code() != 0);
        Files.writeString(fifo, "poke");
        DaemonHarness.await("bytes in the FIFO started it again", T, () -> DaemonHarness.read(ran).contains("fifo:poke"));
        assertTrue(sockets().stream().anyMatch(m -> ((String) m.get("listen")).matches("tcp \\[::1\\]:[1-9][0-9]*")), sockets().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) Json.parse(h.cli("status", "second.socket", "--json").out());
        assertEquals("resources", second.get("result"), second.toString());
        assertEquals("cannot bind tcp 127.0.0.1:" + port + ": Address already in use", second.get("result-detail"));
        assertEquals("active\n", h.cli("is-active", "first.socket").out());
        assertEquals(0, h.terminate());
    }

    @Test
    @DisplayName("a real daemon built for socket activation: dbus-daemon --address=systemd: answers on the manager's unix socket")
    void dbusDaemon() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dbus-daemon")) && Files.isExecutable(Path.of("/usr/bin/dbus-send")),
                "dbus-daemon and dbus-send are not installed (.ci/run installs them)");
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-sockets-"));
        Path bus = h.base.resolve("bus");
        h.unit("bus.service.yaml", "exec: [/usr/bin/dbus-daemon, --session, --nofork, --nopidfile, '--address=systemd:']\n");
        h.unit("bus.socket.yaml", "listen:\n  - unix: " + bus + "\n");
        h.unit("multi-user.target.yaml", "wants: [bus.socket]\n");
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        Process send = new ProcessBuilder("/usr/bin/dbus-send", "--bus=unix:path=" + bus, "--print-reply", "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames").redirectErrorStream(true).start();
        String reply = new String(send.getInputStream().readAllBytes());
        assertEquals(0, send.waitFor(), reply + DaemonHarness.read(h.logs.resolve("bus.service.log")));
        assertTrue(reply.contains("\"org.freedesktop.DBus\""), reply);
        assertEquals("active\n", h.cli("is-active", "bus.service").out(), "started by dbus-send's connection");
        assertEquals(0, h.terminate());
    }
}
