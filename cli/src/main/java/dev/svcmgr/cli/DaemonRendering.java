package dev.svcmgr.cli;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DirectCommand;
import dev.svcmgr.cli.client.Habits;
import dev.svcmgr.core.daemon.InProcess;
import dev.svcmgr.core.daemon.Renderer;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

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

    @Override
    public Reply.Rendered render(Request.Render req, InProcess calls) {
        List<String> argv = req.argv();
        if (!VERBS.contains(argv.get(0)) || !Objects.equals(req.tz(), System.getenv("TZ"))) return Reply.Rendered.notTaken();
        // show reads the unit files: here as the daemon's user, in a client's JVM as the client's. A file another user
        // may not read (its environment may hold a secret) must not be shown to them through the daemon.
        if (argv.get(0).equals("show") && !calls.peer().privileged()) return Reply.Rendered.notTaken();
        DirectCommand c = FastPath.direct(argv.toArray(new String[0]));
        if (c == null) return Reply.Rendered.notTaken();
        Pieces pieces = new Pieces();
        // as Main.run: -q leaves stdout empty
        PrintWriter out = Habits.quiet(argv) ? new PrintWriter(OutputStream.nullOutputStream()) : new PrintWriter(pieces.writer(false), true);
        PrintWriter err = new PrintWriter(pieces.writer(true), true);
        c.colour(req.colour());
        int code = Client.inDaemon(calls, () -> c.callDirect(out, err));
        out.flush();
        err.flush();
        return new Reply.Rendered(true, code, pieces.list());
    }

    /** What a command wrote to its two writers, as pieces in the order written. */
    private static final class Pieces {
        private final List<Reply.Rendered.Piece> done = new ArrayList<>();
        private StringBuilder current;
        private boolean currentErr;

        Writer writer(boolean err) {
            return new Writer() {
                @Override
                public void write(char[] b, int off, int len) {
                    synchronized (Pieces.this) {
                        if (current == null || currentErr != err) {
                            Pieces.this.end(current);
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

        private void end(StringBuilder piece) {
            if (piece != null && piece.length() > 0) done.add(new Reply.Rendered.Piece(currentErr, piece.toString()));
        }

        synchronized List<Reply.Rendered.Piece> list() {
            end(current);
            current = null;
            return done;
        }
    }
}
