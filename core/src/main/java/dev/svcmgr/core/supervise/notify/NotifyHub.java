package dev.svcmgr.core.supervise.notify;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.NotifySocket;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The manager's one sd_notify socket ({@code <runtime dir>/notify.sock}),
 * shared by every service with {@code ready: notify} or a {@code watchdog}.
 * It is opened when the first such service starts and closed when the last
 * one ends. Each datagram is matched on the event loop to the one registered
 * service whose processes include the sender's kernel-checked PID; datagrams
 * from any other process are dropped. Passed descriptors are closed after the
 * message was handled (this ends {@code systemd-notify}'s barrier wait).
 */
public final class NotifyHub implements NotifyPort {
    private static final Map<Path, NotifyHub> HUBS = new HashMap<>();

    private final Path path;
    private final Loop loop;
    private final List<Target> targets = new ArrayList<>();
    private volatile NotifySocket socket;
    private long dropped;

    private NotifyHub(Path path, Loop loop) {
        this.path = path;
        this.loop = loop;
    }

    /** The socket's path for the manager whose runtime directory is {@code runtimeDir}. */
    public static Path socketPath(Path runtimeDir) { return runtimeDir.toAbsolutePath().resolve("notify.sock"); }

    /** The hub of the manager whose runtime directory is {@code runtimeDir}. */
    public static synchronized NotifyHub of(Path runtimeDir, Loop loop) {
        Path p = socketPath(runtimeDir);
        NotifyHub h = HUBS.get(p);
        if (h == null || h.loop != loop && h.socket == null) { // a new manager on the same directory
            h = new NotifyHub(p, loop);
            HUBS.put(p, h);
        }
        return h;
    }

    /** The socket path ({@code NOTIFY_SOCKET}). */
    public Path path() { return path; }

    @Override
    public String socketPath() { return path.toString(); }

    @Override
    public void register(Target t) throws IOException {
        if (targets.contains(t)) return;
        if (socket == null) socket = NotifySocket.open(path, m -> loop.execute(() -> deliver(m)));
        targets.add(t);
    }

    @Override
    public void unregister(Target t) {
        if (!targets.remove(t) || !targets.isEmpty() || socket == null) return;
        NotifySocket s = socket;
        socket = null;
        s.close();
    }

    /** Messages dropped because no registered service owns the sender. */
    public long dropped() { return dropped; }

    private void deliver(NotifySocket.Message raw) {
        try {
            NotifyMessage m = new NotifyMessage(raw.pid(), raw.fields(), raw.lineage(), raw.cgroup());
            for (Target t : List.copyOf(targets)) {
                if (t.owns(m)) {
                    t.notified(m);
                    return;
                }
            }
            dropped++;
        } finally {
            raw.closeFds();
        }
    }
}
