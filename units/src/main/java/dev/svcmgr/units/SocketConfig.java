package dev.svcmgr.units;

import java.util.List;

/**
 * A socket unit's settings (units.md "Sockets"): the sockets the manager binds and holds, passed to
 * the service as {@code sd_listen_fds(3)} expects, in the order of {@code listen}.
 *
 * @param listen      what to bind, in order (fds 3, 4, ... in the service)
 * @param socketMode  mode of unix sockets and FIFOs (default 0666)
 * @param socketUser  owner of unix sockets and FIFOs, or null
 * @param socketGroup group of unix sockets and FIFOs, or null
 * @param backlog     the listen backlog of stream sockets
 * @param service     the service the sockets are for
 */
public record SocketConfig(List<Listen> listen, int socketMode, String socketUser, String socketGroup, int backlog,
                           String service) {
    /** The default backlog (systemd's SOMAXCONN default is 4096; the spec's example says 128). */
    public static final int DEFAULT_BACKLOG = 128;

    public SocketConfig { listen = List.copyOf(listen); }

    /** The kinds of {@code listen} entries. */
    public enum Kind {
        TCP("tcp"), UNIX("unix"), UDP("udp"), FIFO("fifo");

        private final String word;

        Kind(String word) { this.word = word; }

        public String word() { return word; }
    }

    /**
     * One entry: {@code host} is null for every address ({@code ":8080"}), a literal IPv4 or IPv6
     * address otherwise; {@code port} 0 picks a free one; {@code path} for unix sockets and FIFOs.
     *
     * @param name the LISTEN_FDNAMES entry (default: the socket unit's full name)
     */
    public record Listen(Kind kind, String host, int port, String path, String name) {
        /** As written: {@code tcp 127.0.0.1:8080}, {@code unix /run/app.sock}. */
        public String describe() {
            return kind.word() + " " + (path != null ? path : (host == null ? "" : host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        }
    }
}
