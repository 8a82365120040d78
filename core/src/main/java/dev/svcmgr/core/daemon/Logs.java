package dev.svcmgr.core.daemon;

import dev.svcmgr.core.log.LogReader;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code logs} verb: the last lines of a unit's log and, with follow, every new line. All
 * followed logs share one polling thread ({@code control-logs}, there only while somebody
 * follows); a line goes to the client's bounded queue, and a client that does not read is cut
 * off by the control server, never waited for.
 */
final class Logs {
    private Logs() {}

    /** How often followed logs are polled. */
    static final long POLL_MILLIS = 100;

    private static final List<LogReader.Polled> FOLLOWED = new ArrayList<>();
    private static Thread poller;

    static void stream(Path logDir, String unit, int n, boolean follow, String warning, ControlServer.ReplyStream out)
            throws IOException, InterruptedException {
        out.send(new Reply.LogsStarted(unit, warning));
        if (!follow) {
            for (String line : LogReader.tail(logDir, unit, n)) out.send(new Reply.LogLine(line));
            out.send(new Reply.End());
            return;
        }
        out.detach(true);
        // the last n lines are the reply proper (bounded by n); what follows is a live stream
        boolean[] live = {false};
        LogReader.Polled[] self = new LogReader.Polled[1];
        LogReader.Polled f;
        try {
            f = LogReader.followPolled(logDir, unit, n, line -> {
                Reply.LogLine l = new Reply.LogLine(line);
                if (!live[0]) {
                    try {
                        out.send(l);
                    } catch (IOException gone) {
                        // noticed below
                    }
                } else if (!out.stream(l) && self[0] != null) {
                    self[0].close();
                }
            });
        } catch (UncheckedIOException e) {
            out.send(new Reply.Error(ErrorKind.FAILED, "cannot read the log of " + unit + ": " + e.getMessage()));
            out.finish();
            return;
        }
        self[0] = f;
        live[0] = true;
        synchronized (Logs.class) {
            FOLLOWED.add(f);
            if (poller == null) {
                poller = new Thread(Logs::pollAll, "control-logs");
                poller.setDaemon(true);
                poller.start();
            }
        }
        out.onClose(f::close);
    }

    private static void pollAll() {
        while (true) {
            List<LogReader.Polled> now;
            synchronized (Logs.class) {
                FOLLOWED.removeIf(LogReader.Polled::isClosed);
                if (FOLLOWED.isEmpty()) {
                    poller = null;
                    return;
                }
                now = new ArrayList<>(FOLLOWED);
            }
            for (LogReader.Polled f : now) {
                try {
                    f.poll();
                } catch (IOException | RuntimeException e) {
                    f.close(); // unreadable: this follow ends, the others go on
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
