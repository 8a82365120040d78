package dev.svcmgr.cli.client;

import dev.svcmgr.core.daemon.InProcess;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.Codec;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.Values;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One request to the daemon over {@code control.sock} (docs/protocol.md): a {@link Request} record
 * out, {@link Reply} records back, written and read by the protocol's {@link Codec}. A missing
 * daemon is reported at once, never waited for.
 *
 * <p>Timeouts: an ordinary request (a read, enable, kill, daemon-reload, ...) gets its answer
 * within {@link #DEFAULT_TIMEOUT} or fails with {@link NoAnswer}. A request that is meant to
 * wait, a transaction without {@code no-block} ({@code start}, {@code stop}, {@code run}, ...),
 * {@code system} with {@code wait}, waits as long as it takes: the jobs have timeouts of their
 * own. A stream ({@code events}, {@code logs --follow}) must send its first line within the
 * timeout, then runs until it ends. {@code --timeout} or {@code SVCMGR_TIMEOUT} (a duration;
 * {@code 0} or {@code infinity} for none) replaces the default and applies to waiting requests
 * too.
 */
public final class Client {
    /** How long an ordinary request may take when no timeout is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    private final Path socket;
    /** The timeout given by the user (null: the default policy; {@link Duration#ZERO}: none). */
    private final Duration given;

    public Client(Path runtimeDir) { this(runtimeDir, null); }

    /** A client whose requests wait at most {@code timeout} ({@link Duration#ZERO}: no limit; null: the defaults above). */
    public Client(Path runtimeDir, Duration timeout) {
        this.socket = runtimeDir.resolve("control.sock");
        this.given = timeout;
    }

    /** The timeout named by {@code SVCMGR_TIMEOUT} or {@code --timeout}: null when {@code text} is null; ZERO for none. */
    public static Duration parseTimeout(String text) {
        if (text == null) return null;
        String t = text.trim();
        if (t.equals("0")) return Duration.ZERO;
        Duration d = Values.parseDuration(t);
        return d.equals(Durations.INFINITY) ? Duration.ZERO : d;
    }

    /** The limit for {@code req}'s first answer; ZERO for none. */
    Duration timeoutFor(Request<?> req) {
        if (given != null) return given;
        return req.waitsForJobs() ? Duration.ZERO : DEFAULT_TIMEOUT;
    }

    private SocketChannel open() throws NoDaemon {
        if (!Files.exists(socket)) {
            throw new NoDaemon("no svcmgr daemon is running (no control socket at " + socket
                    + "); start one with 'svcmgr daemon' or name its --runtime-dir");
        }
        try {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new NoDaemon("cannot reach the daemon at " + socket + " (" + e.getMessage() + ")");
        }
    }

    /** Sends one request and returns its reply; an error reply is thrown as {@link DaemonError}. */
    public <R extends Reply> R call(Request<R> req) throws NoDaemon, IOException, DaemonError {
        Reply[] first = new Reply[1];
        stream(req, r -> {
            first[0] = r;
            return false;
        });
        if (first[0] == null) throw new IOException("the daemon closed the connection without an answer");
        if (first[0] instanceof Reply.Error e) throw new DaemonError(e);
        @SuppressWarnings("unchecked") R r = (R) first[0];
        return r;
    }

    /**
     * Sends one request and hands every reply line to {@code each} until it returns false or the
     * stream ends: first the request's reply (or a {@link Reply.Error}), then, for a stream, its
     * lines ({@link Reply.EventLine}, {@link Reply.LogLine}, {@link Reply.Keepalive}, {@link
     * Reply.End}, or an error when the daemon cut the stream off). Connecting, sending and the
     * first line are bounded by the timeout.
     */
    public void stream(Request<?> req, Predicate<Reply> each) throws NoDaemon, IOException {
        Rendering local = LOCAL.get();
        if (local != null) {
            inProcess(local.calls, req, each);
            return;
        }
        Duration limit = timeoutFor(req);
        try (SocketChannel c = open()) {
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> alarm = limit.isZero() ? null : TIMER.schedule(() -> {
                expired.set(true);
                try {
                    c.close(); // wakes the connect, write or read below
                } catch (IOException ignored) {
                    // closed already
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            try {
                try {
                    c.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    if (expired.get()) throw noAnswer(limit);
                    throw new NoDaemon("no svcmgr daemon answers at " + socket + " (" + e.getMessage() + ")");
                }
                ByteBuffer b = ByteBuffer.wrap((Codec.write(req) + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) c.write(b);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                String line;
                boolean first = true;
                while ((line = in.readLine()) != null) {
                    if (alarm != null) {
                        alarm.cancel(false);
                        alarm = null;
                        if (expired.get()) throw noAnswer(limit);
                    }
                    Map<String, Object> m;
                    try {
                        m = Json.parseObject(line);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("the daemon sent a reply that is not JSON: " + e.getMessage());
                    }
                    Reply reply = decode(req, m, first);
                    first = false;
                    if (!each.test(reply)) return;
                }
                if (expired.get()) throw noAnswer(limit);
            } catch (IOException e) {
                if (expired.get() && !(e instanceof NoAnswer)) throw noAnswer(limit);
                throw e;
            } finally {
                if (alarm != null) alarm.cancel(false);
            }
        }
    }

    private static Reply decode(Request<?> req, Map<String, Object> m, boolean first) throws IOException {
        try {
            return first ? Codec.reply(req, m) : Codec.streamLine(m);
        } catch (BadRequest e) {
            throw new IOException("the daemon sent a reply this client cannot read: " + e.getMessage());
        }
    }

    /** A command running inside the daemon ({@link #inDaemon}): whom its requests go to, and whether it was {@link #abandon abandoned}. */
    private static final class Rendering {
        final InProcess calls;
        boolean abandoned;

        Rendering(InProcess calls) { this.calls = calls; }
    }

    /** This thread's command inside the daemon, or null: its requests go to the daemon it runs in, not to a socket. */
    private static final ThreadLocal<Rendering> LOCAL = new ThreadLocal<>();

    /** True while this thread's command runs inside the daemon ({@link #inDaemon}). */
    public static boolean inDaemonNow() { return LOCAL.get() != null; }

    /**
     * Inside the daemon: what this command is printing would not be what the client's own JVM prints (it would read
     * unit files with the daemon's rights, or format a time in the daemon's zone), so the rendering is not used and
     * the client runs the command itself. Outside the daemon: nothing.
     */
    public static void abandon() {
        Rendering r = LOCAL.get();
        if (r != null) r.abandoned = true;
    }

    /**
     * Runs {@code command} with every client of this thread answered by {@code calls}: a command rendered inside
     * the daemon for the native client ({@code render}, docs/protocol.md). The replies are the same JSON lines the
     * socket would carry, read by the same code. Returns null when the command {@link #abandon abandoned} it.
     */
    public static <T> T inDaemon(InProcess calls, java.util.function.Supplier<T> command) {
        Rendering before = LOCAL.get(), mine = new Rendering(calls);
        LOCAL.set(mine);
        try {
            T t = command.get();
            return mine.abandoned ? null : t;
        } finally {
            LOCAL.set(before);
        }
    }

    private static void inProcess(InProcess local, Request<?> req, Predicate<Reply> each) throws IOException {
        boolean[] first = {true};
        try {
            local.stream(req, m -> {
                Reply reply;
                try {
                    reply = decode(req, m, first[0]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                first[0] = false;
                return each.test(reply);
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static NoAnswer noAnswer(Duration limit) {
        return new NoAnswer("no answer from the daemon within " + human(limit)
                + " (it may be overloaded or stuck); try again, or allow longer with --timeout or SVCMGR_TIMEOUT");
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** The daemon did not answer within the timeout. */
    public static final class NoAnswer extends IOException {
        public NoAnswer(String message) { super(message); }
    }

    /** One timer thread for every client of this process (a daemon thread: it never keeps the CLI alive). */
    private static final ScheduledExecutorService TIMER;

    static {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "svcmgr-client-timeout");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        TIMER = t;
    }
}
