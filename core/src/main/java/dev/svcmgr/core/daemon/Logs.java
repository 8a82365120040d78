package dev.svcmgr.core.daemon;

import dev.svcmgr.core.log.LogReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The {@code logs} verb: the last lines of a unit's log and, with follow, every new line. */
final class Logs {
    private Logs() {}

    static void stream(Path logDir, String unit, int n, boolean follow, ControlServer.ReplyStream out)
            throws IOException, InterruptedException {
        out.send(Replies.ok(Map.of("stream", "logs", "unit", unit)));
        if (!follow) {
            for (String line : LogReader.tail(logDir, unit, n)) out.send(Map.of("line", line));
            out.send(Map.of("end", true));
            return;
        }
        BlockingQueue<String> q = new ArrayBlockingQueue<>(10_000);
        try (LogReader.Follow f = LogReader.follow(logDir, unit, n, line -> {
            try {
                q.put(line);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            while (!out.closed()) {
                String line = q.poll(1, TimeUnit.SECONDS);
                try {
                    out.send(line == null ? Map.of("keepalive", true) : Map.of("line", line));
                } catch (UncheckedIOException | IOException e) {
                    return;
                }
            }
        }
    }
}
