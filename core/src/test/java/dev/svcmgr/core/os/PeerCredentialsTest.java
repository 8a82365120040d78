package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's SO_PEERCRED through jnr on a channel's descriptor (docs/security.md). */
class PeerCredentialsTest {
    /** What runs against a listening socket ({@link #withServer}). */
    private interface OnServer {
        void run(ServerSocketChannel server, UnixDomainSocketAddress address) throws Exception;
    }

    /** Runs {@code body} against a Unix socket listening in a fresh directory, removed afterwards. */
    private static void withServer(OnServer body) throws Exception {
        Path dir = Files.createTempDirectory("svcmgr-peercred-");
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            body.run(server, UnixDomainSocketAddress.of(sock));
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void readsTheNumericUidAndPidOfTheConnectingProcess() throws Exception {
        withServer((server, address) -> {
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(address);
                try (SocketChannel accepted = server.accept()) {
                    PeerCredentials.Credentials c = PeerCredentials.of(accepted);
                    assertNotNull(c, "the channel's descriptor could not be read");
                    assertEquals(PeerCredentials.euid(), c.uid());
                    assertEquals(ProcessHandle.current().pid(), c.pid());
                    assertTrue(c.fd() > 2, "descriptor " + c.fd());
                }
            }
        });
    }

    @Test
    void aClosedChannelHasNoCredentials() throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.close();
        assertEquals(null, PeerCredentials.of(c));
    }

    @Test
    void aPeerThatClosedIsGoneOneThatOnlyStoppedWritingIsNot() throws Exception {
        withServer((server, address) -> {
            SocketChannel half = SocketChannel.open(address);
            SocketChannel full = SocketChannel.open(address);
            try (SocketChannel a = server.accept(); SocketChannel b = server.accept()) {
                assertFalse(PeerCredentials.peerGone(a), "connected");
                half.shutdownOutput(); // still reading: the answer must reach it
                full.close();
                assertFalse(PeerCredentials.peerGone(a), "a half-closed peer is still there");
                assertTrue(PeerCredentials.peerGone(b), "a closed peer is gone");
            } finally {
                half.close();
            }
        });
    }
}
