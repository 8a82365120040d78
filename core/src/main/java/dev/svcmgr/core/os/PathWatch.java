package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches paths for path units (units.md "Paths") through one inotify descriptor and one thread.
 * Chosen over Java's {@code WatchService}: that reports no {@code IN_CLOSE_WRITE} (a write that is
 * closed: what {@code path-changed} means), coalesces events itself and watches directories only.
 *
 * <p>A file is watched through its directory, by name: so it is seen when it is created, written,
 * closed, replaced by a rename (editors and package managers write a new file and rename it over the
 * old one) or removed, whatever its inode. A directory (a path ending in {@code /} or naming an
 * existing directory) is watched itself: any entry created, written, moved or removed in it counts. A
 * directory that does not exist yet is waited for: its nearest existing ancestor is watched for the
 * next component, and the watch moves down as each one appears. A watched directory that is removed
 * or moved away is looked for again. A queue overflow counts as an event for every watch.
 */
public final class PathWatch implements AutoCloseable {
    /** What a watch reports: something happened to the path ({@code write} true for a plain write, IN_MODIFY). */
    @FunctionalInterface
    public interface Listener {
        void changed(boolean write);
    }

    /** A watch; closing it stops the reports. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    static final int IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80,
            IN_CREATE = 0x100, IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800, IN_Q_OVERFLOW = 0x4000,
            IN_IGNORED = 0x8000, IN_ONLYDIR = 0x1000000;
    /** Every directory is watched with this one mask (a second add_watch on an inode replaces the mask). */
    private static final int MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
            | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

    private final int fd;
    private final Epoll epoll = new Epoll();
    private final Thread thread;
    private volatile boolean closed;
    // guarded by this
    private final Map<Integer, List<W>> byWd = new HashMap<>();
    private final List<W> all = new ArrayList<>();

    /** One watch: the path asked for, and where it is watched from now. */
    private final class W implements Handle {
        final Path target;
        final boolean directory;
        final Listener listener;
        /** The directory watched now, the name looked for in it (null: any entry), its wd. */
        Path dir;
        String name;
        int wd = -1;
        /** Waiting for a missing directory: the watched ancestor's child on the way to the target. */
        boolean waiting;

        W(Path target, boolean directory, Listener listener) {
            this.target = target;
            this.directory = directory;
            this.listener = listener;
        }

        @Override
        public void close() { remove(this); }
    }

    /** Starts the watcher (its descriptor and thread). */
    public PathWatch() {
        fd = Native.C.inotify_init1(Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0) throw new IllegalStateException("inotify_init1: " + Native.strerror(Native.errno()));
        epoll.add(fd);
        thread = new Thread(this::run, "svcmgr-paths");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches {@code path} (absolute); {@code l} is called on the watcher thread for every event about
     * it, and once more whenever the watch had to move (the path's directory appeared or went).
     */
    public synchronized Handle watch(String path, Listener l) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        boolean dir = path.endsWith("/") || Files.isDirectory(p);
        W w = new W(p, dir, l);
        all.add(w);
        place(w);
        return w;
    }

    /** How many watches the kernel holds now (tests). */
    synchronized int kernelWatches() { return byWd.size(); }

    /** Puts {@code w} on the deepest existing directory on its way to its target. */
    private void place(W w) {
        // a directory made between finding the deepest one and watching it is seen by looking again
        for (int attempt = 0; attempt < 64 && placeOnce(w); attempt++) { }
    }

    /** One try of {@link #place}; true when the next directory on the way appeared meanwhile (try again). */
    private boolean placeOnce(W w) {
        unplace(w);
        Path want = w.directory ? w.target : w.target.getParent();
        Path at = want;
        while (at != null && !Files.isDirectory(at)) at = at.getParent();
        if (at == null) at = Path.of("/");
        w.waiting = !at.equals(want);
        w.dir = at;
        if (w.waiting) w.name = want.getName(at.getNameCount()).toString();
        else w.name = w.directory ? null : w.target.getFileName().toString();
        int wd = Native.C.inotify_add_watch(fd, at.toString(), MASK);
        if (wd < 0) return false; // unreadable: nothing to report (the path stays unwatched, as if missing)
        w.wd = wd;
        byWd.computeIfAbsent(wd, k -> new ArrayList<>()).add(w);
        return w.waiting && Files.isDirectory(at.resolve(w.name));
    }

    private void unplace(W w) {
        if (w.wd < 0) return;
        List<W> l = byWd.get(w.wd);
        if (l != null) {
            l.remove(w);
            if (l.isEmpty()) {
                byWd.remove(w.wd);
                Native.C.inotify_rm_watch(fd, w.wd);
            }
        }
        w.wd = -1;
    }

    private synchronized void remove(W w) {
        all.remove(w);
        unplace(w);
    }

    private void run() {
        Pointer events = Epoll.events(4);
        Pointer scratch = Memory.allocateDirect(Native.RT, 8, true);
        Pointer buf = Memory.allocateDirect(Native.RT, 64 * 1024, true);
        byte[] bytes = new byte[64 * 1024];
        while (!closed) {
            int n = epoll.await(events, 4, -1);
            for (int i = 0; i < n; i++) {
                int ready = Epoll.readyFd(events, i);
                if (ready == epoll.wakeFd) {
                    epoll.drainWake(scratch);
                    continue;
                }
                long got;
                while ((got = Native.C.read(fd, buf, bytes.length)) > 0) {
                    buf.get(0, bytes, 0, (int) got);
                    dispatch(bytes, (int) got);
                }
            }
        }
        Native.C.close(fd);
    }

    /** Parses {@code struct inotify_event}s (wd, mask, cookie, len, name) and tells the watches concerned. */
    private void dispatch(byte[] b, int len) {
        List<Runnable> calls = new ArrayList<>();
        synchronized (this) {
            for (int off = 0; off + 16 <= len; ) {
                int wd = le(b, off), mask = le(b, off + 4), nameLen = le(b, off + 12);
                int end = off + 16;
                while (end < off + 16 + nameLen && b[end] != 0) end++;
                String name = nameLen == 0 ? null : new String(b, off + 16, end - off - 16, StandardCharsets.UTF_8);
                off += 16 + nameLen;
                if ((mask & IN_Q_OVERFLOW) != 0) {
                    for (W w : List.copyOf(all)) calls.add(() -> w.listener.changed(false));
                    continue;
                }
                List<W> ws = byWd.get(wd);
                if (ws == null) continue;
                for (W w : List.copyOf(ws)) event(w, mask, name, calls);
            }
        }
        for (Runnable r : calls) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a listener's bug must not stop the watcher
            }
        }
    }

    private void event(W w, int mask, String name, List<Runnable> calls) {
        if ((mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) {
            // the watched directory went: look for the way to the target again
            place(w);
            calls.add(() -> w.listener.changed(false));
            return;
        }
        if (w.waiting) {
            if (name != null && name.equals(w.name) && (mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
                place(w);
                calls.add(() -> w.listener.changed(false));
            }
            return;
        }
        if (w.name != null && !w.name.equals(name)) return;
        boolean write = (mask & ~(IN_MODIFY)) == 0;
        calls.add(() -> w.listener.changed(write));
    }

    private static int le(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    @Override
    public void close() {
        closed = true;
        epoll.wake();
    }
}
