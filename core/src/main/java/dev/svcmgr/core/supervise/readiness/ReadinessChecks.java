package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.units.Readiness;

import java.net.URI;
import java.util.List;

/**
 * The readiness checks, one per {@code ready:} kind (docs/readiness-limits.md), and the forking
 * daemon's. Intervals: {@code path} and {@code tcp} every 20 ms; {@code fd} after 1, 2, 4 ... ms up
 * to 250 ms; {@code http} after 10 ms, then half as long again each time up to 500 ms, one request
 * at a time; {@code exec} 100 ms after each failed probe; a forking daemon's pid file every 10 ms.
 */
public final class ReadinessChecks {
    private ReadinessChecks() {}

    /** The check for {@code r} (null: {@code started}). */
    public static ReadinessCheck of(Readiness r, ReadinessContext ctx, ReadinessCheck.Listener l) {
        Readiness ready = r == null ? Readiness.STARTED : r;
        return switch (ready.kind()) {
            case STARTED -> new Started(ctx, l);
            case NOTIFY -> new Notify(ctx, l);
            case PATH -> new PathCheck(ctx, l, ready.path());
            case TCP -> new Tcp(ctx, l, ready.host(), ready.port());
            case HTTP -> new Http(ctx, l, HttpProbe.uri(ready.url()));
            case FD -> new Fd(ctx, l, ready.fd());
            case EXEC -> new Exec(ctx, l, ready.command());
        };
    }

    /** A forking service's: its daemon, from {@code pidFile} (polled until it names a live process), or the only process left. */
    public static ReadinessCheck forking(String pidFile, ReadinessContext ctx, ReadinessCheck.Listener l) {
        return new Forking(ctx, l, pidFile);
    }

    /** Why {@code r} cannot be checked at all (a {@code Stage: ... / Error: ...} detail), or null. */
    public static String problem(Readiness r) {
        if (r != null && r.kind() == Readiness.Kind.HTTP && HttpProbe.uri(r.url()) == null) {
            return "Stage: waiting for readiness / Error: ready: " + r.describe() + " is not an absolute http:// or https:// URL";
        }
        return null;
    }

    /** Ready as soon as it begins. */
    static final class Started extends AbstractCheck {
        Started(ReadinessContext ctx, Listener l) { super(ctx, l); }

        @Override
        public void begin() { ready(); }
    }

    /** {@code READY=1} from one of the service's processes while starting (the supervisor hands it over). */
    static final class Notify extends AbstractCheck {
        Notify(ReadinessContext ctx, Listener l) { super(ctx, l); }

        @Override
        public void begin() { }

        @Override
        public void notified() { ready(); }
    }

    /** {@code path: P}: polls every 20 ms for P. */
    static final class PathCheck extends AbstractCheck {
        private final String path;

        PathCheck(ReadinessContext ctx, Listener l, String path) {
            super(ctx, l);
            this.path = path;
        }

        @Override
        public void begin() {
            if (ctx.port().exists(ctx.unit(), path)) ready();
            else later(20, this::begin);
        }
    }

    /** {@code tcp: host:port}: a non-blocking connect attempt every 20 ms; a pending one is followed up, a refused one made again. */
    static final class Tcp extends AbstractCheck {
        private final String host;
        private final int port;
        private ReadinessPort.Connection pending;

        Tcp(ReadinessContext ctx, Listener l, String host, int port) {
            super(ctx, l);
            this.host = host;
            this.port = port;
        }

        @Override
        public void begin() {
            ReadinessPort.Connection c = pending;
            pending = null;
            try {
                if (c == null) c = ctx.port().connect(ctx.unit(), host, port);
                if (c.finish()) {
                    c.close();
                    ready();
                    return;
                }
            } catch (java.io.IOException e) {
                if (c != null) c.close();
                c = null; // refused: a new connection next time
            }
            pending = c;
            later(20, this::begin);
        }

        @Override
        public void cancel() {
            super.cancel();
            if (pending != null) pending.close(); // the start ended another way: the pending connection goes
            pending = null;
        }
    }

    /** {@code http: URL}: one GET at a time; a 2xx answer is ready, anything else is tried again later. */
    static final class Http extends AbstractCheck {
        private final URI uri;
        private long interval;

        Http(ReadinessContext ctx, Listener l, URI uri) {
            super(ctx, l);
            this.uri = uri;
        }

        @Override
        public void begin() {
            ctx.port().get(ctx.unit(), uri, ok -> ctx.loop().execute(() -> {
                if (cancelled) return;
                if (ok) {
                    ready();
                } else {
                    interval = HttpProbe.next(interval);
                    later(interval, this::begin);
                }
            }));
        }
    }

    /** {@code fd: N}: a newline on the readiness pipe, checked after 1, 2, 4 ... ms, at most every 250 ms. */
    static final class Fd extends AbstractCheck {
        private final int fd;
        private ReadinessPort.Pipe pipe;
        private long interval;

        Fd(ReadinessContext ctx, Listener l, int fd) {
            super(ctx, l);
            this.fd = fd;
        }

        @Override
        public SpawnRequest prepare(SpawnRequest main) throws SpawnException {
            if (pipe != null) pipe.close();
            pipe = ctx.port().pipe(ctx.unit());
            return pipe.attach(main, fd);
        }

        @Override
        public void begin() {
            if (pipe != null && pipe.check()) {
                pipe.close();
                pipe = null;
                ready();
                return;
            }
            interval = interval <= 0 ? 1 : Math.min(250, interval * 2); // a poll(2) per check: cheap, so start at 1 ms
            later(interval, this::begin);
        }

        @Override
        public void close() {
            cancel();
            if (pipe != null) pipe.close();
            pipe = null;
        }
    }

    /** {@code exec: [...]}: the probe runs as the control process until it exits 0, again 100 ms after each failure. */
    static final class Exec extends AbstractCheck {
        private final List<String> command;

        Exec(ReadinessContext ctx, Listener l, List<String> command) {
            super(ctx, l);
            this.command = command;
        }

        @Override
        public void begin() {
            try {
                ctx.runProbe(command);
            } catch (SpawnException e) {
                failed(e.detail());
            }
        }

        @Override
        public void probeExited(boolean ok) {
            if (ok) ready();
            else later(100, this::begin);
        }
    }

    /** A forking service whose first process exited cleanly: its daemon is the main process. */
    static final class Forking extends AbstractCheck {
        private final String pidFile;

        Forking(ReadinessContext ctx, Listener l, String pidFile) {
            super(ctx, l);
            this.pidFile = pidFile;
        }

        @Override
        public void begin() {
            if (pidFile != null) {
                Integer pid = ctx.port().readPid(ctx.unit(), pidFile);
                if (pid == null || !ctx.alive(pid)) {
                    later(10, this::begin);
                    return;
                }
                foundMain(pid);
            } else {
                List<Integer> left = ctx.groupPids();
                if (left.size() == 1) foundMain(left.get(0));
            }
            ready();
        }
    }
}
