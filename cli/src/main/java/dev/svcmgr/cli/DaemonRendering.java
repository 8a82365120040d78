package dev.svcmgr.cli;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DirectCommand;
import dev.svcmgr.cli.client.Habits;
import dev.svcmgr.core.daemon.InProcess;
import dev.svcmgr.core.daemon.Renderer;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The read commands rendered inside the daemon for the native client ({@code render}, docs/protocol.md): {@code
 * status}, {@code list-units}, {@code why}, {@code show} and {@code list-dependencies} in the fixed shapes of
 * {@link FastPath}, run by the same command classes as in a client's JVM, their requests answered in the daemon
 * for the client that asked ({@link InProcess}: same handler, same permissions), their output returned in the
 * order it was written. The client pays for no JVM start (docs/benchmarks.md, issue 13).
 *
 * <p>{@code show} reads the unit files, which the daemon reads as its own user: it is rendered for root and the
 * daemon's user only, and every other user's client runs it itself, reading the files with that user's rights.
 *
 * <p>What a client's JVM would take from its environment comes with the request: whether its output is
 * coloured, and its {@code TZ}. A {@code TZ} other than the daemon's, another verb or another shape is not
 * taken: the client then runs the command itself, so the output is the same either way (NativeClientTest).
 */
public final class DaemonRendering implements Renderer {
    /** The verbs rendered in the daemon. */
    static final Set<String> VERBS = Set.of("status", "list-units", "why", "show", "list-dependencies");
    /** Most words of a rendered command line (more: the client's JVM, so that one request stays small). */
    static final int MAX_ARGS = 256;
    /** Most characters of a rendering held in the daemon (more: the client's JVM renders it). */
    static final int MAX_CHARS = 8 << 20;

    /** This build's id (target/classes/dev/svcmgr/cli/build-id, written with the native client); null when there is none. */
    public static final String BUILD = build();

    private static String build() {
        try (java.io.InputStream in = DaemonRendering.class.getResourceAsStream("build-id")) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public Reply.Rendered render(Request.Render req, InProcess calls) {
        List<String> argv = req.argv();
        // the output is this daemon's code's: only for a client of the same build (after an upgrade, until the daemon
        // re-executes itself, the client's JVM renders)
        if (BUILD == null || !BUILD.equals(req.build())) return Reply.Rendered.notTaken();
        if (argv.size() > MAX_ARGS || !VERBS.contains(argv.get(0)) || !Objects.equals(req.tz(), System.getenv("TZ"))) {
            return Reply.Rendered.notTaken();
        }
        // show reads the unit files: here as the daemon's user, in a client's JVM as the client's. A file another user
        // may not read (its environment may hold a secret) must not be shown to them through the daemon.
        if (argv.get(0).equals("show") && !calls.peer().privileged()) return Reply.Rendered.notTaken();
        DirectCommand c = FastPath.direct(argv.toArray(new String[0]));
        if (c == null) return Reply.Rendered.notTaken();
        Pieces pieces = new Pieces();
        // as Main.run's writers: buffered (a piece ends at a println or a flush, as the JVM's output reaches the
        // descriptor), -q leaves stdout empty
        PrintWriter out = Habits.quiet(argv) ? new PrintWriter(OutputStream.nullOutputStream())
                : new PrintWriter(new BufferedWriter(pieces.writer(false)), true);
        PrintWriter err = new PrintWriter(new BufferedWriter(pieces.writer(true)), true);
        c.colour(req.colour());
        Integer code = Client.inDaemon(calls, () -> c.callDirect(out, err));
        out.flush();
        err.flush();
        List<Reply.Rendered.Piece> output = pieces.list();
        return code == null || output == null ? Reply.Rendered.notTaken() : new Reply.Rendered(true, code, output);
    }

    /** What a command wrote to its two writers, as pieces in the order written; at most {@link #MAX_CHARS}. */
    private static final class Pieces {
        private final List<Reply.Rendered.Piece> done = new ArrayList<>();
        private StringBuilder current;
        private boolean currentErr, overflow;
        private long chars;

        Writer writer(boolean err) {
            return new Writer() {
                @Override
                public void write(char[] b, int off, int len) {
                    synchronized (Pieces.this) {
                        if (overflow || (chars += len) > MAX_CHARS) {
                            overflow = true;
                            return;
                        }
                        if (current == null || currentErr != err) {
                            end();
                            current = new StringBuilder();
                            currentErr = err;
                        }
                        current.append(b, off, len);
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
        }

        private void end() {
            if (current != null && current.length() > 0) done.add(new Reply.Rendered.Piece(currentErr, current.toString()));
            current = null;
        }

        /** The pieces; null when there was more than {@link #MAX_CHARS}. */
        synchronized List<Reply.Rendered.Piece> list() {
            end();
            return overflow ? null : done;
        }
    }
}
