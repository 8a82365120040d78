package dev.svcmgr.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle daemon does not wake up (issue 13: "idle CPU stays 0"): once the boot's after-work is done, none of
 * its own threads ({@code svcmgr-*}, {@code control-*}) is scheduled while nothing happens. Read from the
 * kernel's context-switch counts of each thread, so a thread that polls (a timeout in a loop, a periodic tick)
 * is caught however little CPU it takes. The JVM's own threads are not counted (the launcher's flags for
 * them are measured in docs/benchmarks.md).
 */
class IdleTest {
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    /** Context switches of the daemon's own threads, by thread id and name. */
    private static Map<String, Long> switches(long pid) {
        Map<String, Long> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    if (!comm.startsWith("svcmgr-") && !comm.startsWith("control-")) continue;
                    long n = 0;
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                            n += Long.parseLong(l.substring(l.indexOf(':') + 1).strip());
                        }
                    }
                    out.put(t.getFileName() + " " + comm, n);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the daemon's threads: " + e);
        }
        return out;
    }

    @Test
    @DisplayName("an idle daemon's own threads stay asleep: a 3 s window with no context switch comes, and stays")
    void anIdleDaemonDoesNotWakeUp() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-idle-"));
        for (String n : new String[] {"a", "b", "c"}) h.unit(n + ".service.yaml", "exec: [/bin/sleep, '1000']\n");
        h.unit("multi-user.target.yaml", "wants: [a.service, b.service, c.service]\n");
        Files.createSymbolicLink(h.units.resolve("default.target.yaml"), Path.of("multi-user.target.yaml"));
        h.start();
        DaemonHarness.await("the boot", Duration.ofSeconds(30), () -> h.cli("is-active", "a", "b", "c").code() == 0);
        long pid = h.process().pid();
        Map<String, Long> last = new HashMap<>(switches(pid));
        assertTrue(last.keySet().stream().anyMatch(k -> k.endsWith(" svcmgr-loop")), "the daemon's threads are seen: " + last);
        long[] quietSince = {System.nanoTime()};
        Map<String, Long> woke = new TreeMap<>();
        // the boot's after-work (a debounced state file, the records' compaction) ends within seconds; then 3 s
        // without a single switch of any own thread. A thread that polls never gives such a window.
        DaemonHarness.await("3 s in which no thread of the daemon's own wakes (woke last: " + woke + ")", Duration.ofSeconds(30), () -> {
            Map<String, Long> now = switches(pid), these = new TreeMap<>();
            for (var e : now.entrySet()) {
                Long before = last.get(e.getKey());
                if (before == null || !before.equals(e.getValue())) these.put(e.getKey(), e.getValue() - (before == null ? 0 : before));
            }
            last.clear();
            last.putAll(now);
            if (!these.isEmpty()) {
                woke.clear();
                woke.putAll(these); // for the message: the threads that woke last
                quietSince[0] = System.nanoTime();
            }
            return System.nanoTime() - quietSince[0] >= Duration.ofSeconds(3).toNanos();
        });
    }
}
