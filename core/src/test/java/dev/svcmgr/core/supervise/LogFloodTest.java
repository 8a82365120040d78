package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.log.LogReader;
import dev.svcmgr.units.LogConfig;
import dev.svcmgr.units.RestartPolicy;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFloodTest {
    static final int LINES = 200_000; // ~100 bytes each: 20 MB of output
    static final long MAX = 2L * 1024 * 1024;

    @Test
    void aTwentyMegabyteFloodRotatesLosesNoLineAndNeitherBlocksTheLoopNorAnotherService() throws Exception {
        try (Harness h = new Harness()) {
            Svc flood = Svc.of("seq", "-f", "line %08.0f " + "x".repeat(82), "1", Integer.toString(LINES))
                    .restart(RestartPolicy.NO);
            flood.log = new LogConfig(MAX, 20);
            Svc ticker = Svc.sh("i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.01; done");
            ServiceSupervisor f = h.add("flood.service", flood);
            ServiceSupervisor t = h.add("ticker.service", ticker);
            h.run(t::start);
            h.awaitSub(t, "active", "running", Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            h.run(f::start);
            long worst = 0;
            int ticksBefore = ticks(h);
            boolean tickerMoved = false;
            while (!lastLineWritten(h.ctx.logDir())) {
                long p = System.nanoTime();
                h.run(() -> { });
                worst = Math.max(worst, System.nanoTime() - p);
                if (ticks(h) > ticksBefore) tickerMoved = true;
                assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "flood took over a minute");
                Thread.sleep(5);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            h.await(f, x -> x.active().word().equals("inactive") && x.result() == Result.SUCCESS, Duration.ofSeconds(10), "done");
            assertTrue(worst < 1_000_000_000L, "loop answered within 1 s during the flood (typically under 20 ms), worst " + worst / 1_000_000 + " ms");
            assertTrue(tickerMoved, "the other service's lines kept coming during the flood");

            List<Path> files = new ArrayList<>();
            for (int i = 20; i >= 1; i--) {
                Path p = LogFile.rotated(h.ctx.logDir(), "flood.service", i);
                if (Files.exists(p)) files.add(p);
            }
            files.add(LogFile.current(h.ctx.logDir(), "flood.service"));
            assertTrue(files.size() > 5, "rotated " + files.size());
            int expect = 1;
            for (Path p : files) {
                assertTrue(Files.size(p) <= MAX, p + " is " + Files.size(p));
                try (BufferedReader r = Files.newBufferedReader(p)) {
                    for (String l; (l = r.readLine()) != null; ) {
                        assertTrue(l.matches("\\S+Z stdout line \\d{8} x{82}"), "whole record: " + l);
                        assertEquals(expect, Integer.parseInt(l.substring(37, 45)), "line order in " + p);
                        expect++;
                    }
                }
            }
            assertEquals(LINES + 1, expect, "every line once");
            System.out.println("flood of " + LINES + " lines logged in " + ms + " ms; worst loop latency "
                    + worst / 1_000_000 + " ms; files " + files.size());
        }
    }

    private static int ticks(Harness h) {
        List<String> l = LogReader.tail(h.ctx.logDir(), "ticker.service", 1);
        return l.isEmpty() ? 0 : Integer.parseInt(l.get(0).substring(l.get(0).lastIndexOf(' ') + 1));
    }

    private static boolean lastLineWritten(Path dir) {
        List<String> l = LogReader.tail(dir, "flood.service", 1);
        return !l.isEmpty() && l.get(0).contains(String.format("line %08d ", LINES));
    }
}
