package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.SocketPort;
import dev.svcmgr.core.os.SocketActivity;
import dev.svcmgr.core.os.SocketBinder;
import dev.svcmgr.units.SocketConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's {@link SocketPort}: sockets bound by {@link SocketBinder}, first connections seen by one
 * {@link SocketActivity} (made when the first socket unit starts), {@code socket-user} and
 * {@code socket-group} applied to unix sockets and FIFOs.
 *
 * <p>Across {@code daemon-reexec} the sockets are handed over, never bound again: before the exec
 * every held descriptor is made inheritable and listed in {@link #ENV} ({@code unit=fd@address|...;...});
 * the new image takes them back when it restores each socket unit, and closes those no unit claims.
 */
final class SocketUnits implements SocketPort {
    /** The environment variable that carries the sockets across the manager's own exec. */
    static final String ENV = "SVCMGR_SOCKETS";

    private final PrintStream err;
    private SocketActivity activity;
    /** Sockets bound now, by unit (for the hand-over). */
    private final Map<String, List<SocketBinder.Bound>> held = new java.util.concurrent.ConcurrentHashMap<>();
    /** Sockets a former image handed over, by unit, until claimed. */
    private final Map<String, List<SocketBinder.Bound>> inherited = new java.util.concurrent.ConcurrentHashMap<>();

    SocketUnits(PrintStream err, String handedOver) {
        this.err = err;
        if (handedOver == null || handedOver.isEmpty()) return;
        for (String unit : handedOver.split(";")) {
            int eq = unit.indexOf('=');
            if (eq < 0) continue;
            List<SocketBinder.Bound> bs = new ArrayList<>();
            for (String b : unit.substring(eq + 1).split("\\|")) {
                int at = b.indexOf('@');
                try {
                    int fd = Integer.parseInt(b.substring(0, at));
                    if (SocketBinder.isOpen(fd)) {
                        SocketBinder.keepAcrossExec(fd, false);
                        bs.add(new SocketBinder.Bound(fd, b.substring(at + 1)));
                    }
                } catch (RuntimeException e) {
                    // a malformed entry: that unit binds again
                }
            }
            inherited.put(unit.substring(0, eq), bs);
        }
    }

    /** Makes every held socket inheritable and returns their list for {@link #ENV} (just before the exec). */
    String handOver() {
        StringBuilder b = new StringBuilder();
        for (var e : held.entrySet()) {
            if (b.length() > 0) b.append(';');
            b.append(e.getKey()).append('=');
            boolean first = true;
            for (SocketBinder.Bound s : e.getValue()) {
                SocketBinder.keepAcrossExec(s.fd(), true);
                b.append(first ? "" : "|").append(s.fd()).append('@').append(s.address());
                first = false;
            }
        }
        return b.toString();
    }

    /** The descriptors of every held socket. */
    List<Integer> heldFds() {
        List<Integer> out = new ArrayList<>();
        for (var l : held.values()) for (SocketBinder.Bound s : l) out.add(s.fd());
        return out;
    }

    /** The exec failed: the sockets are close-on-exec again. */
    void handOverFailed() {
        for (var l : held.values()) for (SocketBinder.Bound s : l) SocketBinder.keepAcrossExec(s.fd(), false);
    }

    /** After the restore: sockets handed over that no socket unit claimed (its file is gone, it was not active) are closed. */
    void closeUnclaimed() {
        for (var l : inherited.values()) for (SocketBinder.Bound s : l) SocketBinder.closeFd(s.fd());
        inherited.clear();
    }

    private synchronized SocketActivity activity() {
        if (activity == null) activity = new SocketActivity();
        return activity;
    }

    @Override
    public Bound bind(String unit, SocketConfig cfg, Integer servicePid) throws IOException {
        List<SocketBinder.Spec> specs = new ArrayList<>();
        for (SocketConfig.Listen l : cfg.listen()) {
            specs.add(new SocketBinder.Spec(l.kind().word(), l.host(), l.port(), l.path(), cfg.socketMode(), cfg.backlog()));
        }
        List<SocketBinder.Bound> handed = inherited.remove(unit);
        List<SocketBinder.Bound> bound;
        List<SocketBinder.Bound> reclaimed = null;
        if (handed != null && handed.size() == specs.size()) {
            bound = handed; // the former image's sockets: never bound again (connections waiting in them are kept)
        } else if (servicePid != null && (reclaimed = SocketBinder.reclaim(servicePid, specs)) != null) {
            bound = reclaimed; // a killed manager's sockets, still held by the running service: taken back from it
            err.println("svcmgr: " + unit + ": took its sockets back from its running service (PID " + servicePid + ")");
        } else {
            if (handed != null) for (SocketBinder.Bound s : handed) SocketBinder.closeFd(s.fd());
            bound = SocketBinder.bind(specs);
        }
        for (SocketConfig.Listen l : cfg.listen()) {
            if (l.path() == null || cfg.socketUser() == null && cfg.socketGroup() == null) continue;
            try {
                var lookup = Path.of(l.path()).getFileSystem().getUserPrincipalLookupService();
                var view = Files.getFileAttributeView(Path.of(l.path()), java.nio.file.attribute.PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (cfg.socketUser() != null) view.setOwner(lookup.lookupPrincipalByName(cfg.socketUser()));
                if (cfg.socketGroup() != null) view.setGroup(lookup.lookupPrincipalByGroupName(cfg.socketGroup()));
            } catch (IOException | RuntimeException e) {
                SocketBinder.close(bound, specs);
                throw new IOException("cannot give " + l.path() + " to " + (cfg.socketUser() == null ? "" : cfg.socketUser())
                        + (cfg.socketGroup() == null ? "" : ":" + cfg.socketGroup()) + ": " + e.getMessage());
            }
        }
        List<Integer> fds = bound.stream().map(SocketBinder.Bound::fd).toList();
        List<String> addresses = bound.stream().map(SocketBinder.Bound::address).toList();
        Bound result = new Bound() {
            @Override
            public List<Integer> fds() { return fds; }

            @Override
            public List<String> addresses() { return addresses; }

            @Override
            public void onActivity(Runnable r) {
                java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
                Runnable first = () -> {
                    if (!once.compareAndSet(false, true)) return;
                    for (int fd : fds) activity().unwatch(fd);
                    r.run();
                };
                for (int fd : fds) activity().watch(fd, first);
            }

            @Override
            public void stopWatching() {
                for (int fd : fds) activity().unwatch(fd);
            }

            @Override
            public void close() {
                stopWatching();
                held.remove(unit);
                SocketBinder.close(bound, specs);
            }
        };
        held.put(unit, bound);
        return result;
    }
}
