package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.os.ReadyPipe;
import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** {@link ReadinessPort} on the host: the file system, non-blocking sockets, {@code java.net.http}, {@link ReadyPipe}. */
final class SystemReadiness implements ReadinessPort {
    static final SystemReadiness INSTANCE = new SystemReadiness();

    private SystemReadiness() {}

    @Override
    public boolean exists(String unit, String path) { return Files.exists(Path.of(path)); }

    @Override
    public Integer readPid(String unit, String pidFile) {
        try {
            return Integer.parseInt(Files.readString(Path.of(pidFile)).strip());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Connection connect(String unit, String host, int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        boolean now;
        try {
            ch.configureBlocking(false);
            now = ch.connect(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        return new Connection() {
            private boolean first = true;

            @Override
            public boolean finish() throws IOException {
                if (first) {
                    first = false;
                    return now;
                }
                return ch.finishConnect();
            }

            @Override
            public void close() { closeQuietly(ch); }
        };
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void get(String unit, URI uri, Consumer<Boolean> answer) { HttpProbe.once(uri, answer); }

    @Override
    public Pipe pipe(String unit) throws SpawnException {
        ReadyPipe p = ReadyPipe.open();
        return new Pipe() {
            @Override
            public SpawnRequest attach(SpawnRequest main, int fd) { return main.withReadyPipe(p, fd); }

            @Override
            public boolean check() { return p.check(); }

            @Override
            public void close() { p.close(); }
        };
    }
}
