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
    @Test
    void readsTheNumericUidAndPidOfTheConnectingProcess() throws Exception {
        Path dir = Files.createTempDirectory("svcmgr-peercred-");
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(sock));
                try (SocketChannel accepted = server.accept()) {
                    PeerCredentials.Credentials c = PeerCredentials.of(accepted);
                    assertNotNull(c, "the channel's descriptor could not be read");
                    assertEquals(PeerCredentials.euid(), c.uid());
                    assertEquals(ProcessHandle.current().pid(), c.pid());
                    assertTrue(c.fd() > 2, "descriptor " + c.fd());
                }
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aClosedChannelHasNoCredentials() throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.close();
        assertEquals(null, PeerCredentials.of(c));
    }

    @Test
    void aPeerThatClosedIsGoneOneThatOnlyStoppedWritingIsNot() throws Exception {
        Path dir = Files.createTempDirectory("svcmgr-peergone-");
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            SocketChannel half = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            SocketChannel full = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            try (SocketChannel a = server.accept(); SocketChannel b = server.accept()) {
                assertFalse(PeerCredentials.peerGone(a), "connected");
                half.shutdownOutput(); // still reading: the answer must reach it
                full.close();
                assertFalse(PeerCredentials.peerGone(a), "a half-closed peer is still there");
                assertTrue(PeerCredentials.peerGone(b), "a closed peer is gone");
            } finally {
                half.close();
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }
}
