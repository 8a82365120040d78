package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code svcmgr logs} against a real daemon (cli.md "More commands"): several units merged in time
 * order with each line headed by its unit, {@code -u}, {@code --since}/{@code --until} with real
 * times, the log of an ended transient unit, per-unit permissions for a non-root client, and
 * {@code -f} on two units.
 */
class LogsTest {
    private DaemonHarness h;

    @BeforeEach
    void harness() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-logs-"));
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    /** A service running {@code script} with sh, then sleeping. */
    private void scripted(String unit, String script) throws Exception {
        Path f = h.base.resolve(unit + ".sh");
        Files.writeString(f, script + "\nexec /bin/sleep 2147483647\n");
        h.unit(unit + ".service.yaml", "exec: [/bin/sh, " + f + "]\n");
    }

    /** Waits until {@code unit}'s log has a line ending in {@code text}. */
    private void awaitLog(String unit, String text) throws InterruptedException {
        DaemonHarness.await("'" + text + "' in the log of " + unit, Duration.ofSeconds(20), () -> DaemonHarness.read(
                h.logs.resolve(unit + ".service.log")).lines().anyMatch(l -> l.endsWith(" " + text)));
    }

    /** The text of each line of {@code out} after the time and stream, with its unit header when there is one. */
    private static List<String> texts(String out) {
        List<String> got = new ArrayList<>();
        for (String l : out.lines().toList()) got.add(l.replaceFirst("^(\\S+: )?\\S+Z (stdout|stderr) ", "$1"));
        return got;
    }

    /**
     * Two services that write three lines each, alternately: each writes its next line once the
     * other's last one is in the other's log (and 50 ms have passed, so no two share a millisecond).
     */
    private void alternating() throws Exception {
        String wait = "w() { until grep -q \" stdout $2\\$\" " + h.logs + "/$1.service.log 2>/dev/null; do sleep 0.01; done; sleep 0.05; }\n";
        scripted("a", wait + "echo a1; w b b1; echo a2; w b b2; echo a3");
        scripted("b", wait + "w a a1; echo b1; w a a2; echo b2; w a a3; echo b3");
    }

    @Test
    @DisplayName("two units merged in time order, each line headed by its unit; -u the same; one unit keeps its plain lines")
    void mergedInTimeOrder() throws Exception {
        alternating();
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "a", "b").code());
        awaitLog("b", "b3");
        List<String> merged = List.of("a.service: a1", "b.service: b1", "a.service: a2", "b.service: b2", "a.service: a3", "b.service: b3");
        DaemonHarness.Cli both = h.cli("logs", "b", "a");
        assertEquals(0, both.code(), both.toString());
        assertEquals(merged, texts(both.out()));
        DaemonHarness.Cli u = h.cli("logs", "-u", "a", "-u", "b.service");
        assertEquals(merged, texts(u.out()), u.toString());
        DaemonHarness.Cli last3 = h.cli("logs", "a", "b", "-n", "3");
        assertEquals(merged.subList(3, 6), texts(last3.out()), last3.toString());
        DaemonHarness.Cli one = h.cli("logs", "a");
        assertEquals(List.of("a1", "a2", "a3"), texts(one.out()), one.toString());
        assertTrue(one.out().lines().allMatch(l -> l.matches("\\S+Z stdout a\\d")), one.out());
        DaemonHarness.Cli all = h.cli("logs");
        assertEquals(merged, texts(all.out()), all.toString());
        DaemonHarness.Cli json = h.cli("logs", "a", "b", "-n", "1", "--json");
        @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) Json.parse(json.out().strip());
        assertEquals("b.service", o.get("unit"));
        assertEquals("b3", o.get("text"));
        assertEquals("stdout", o.get("stream"));
        assertEquals(o.get("time") + " stdout b3", o.get("line"));
        Instant.parse((String) o.get("time"));
        DaemonHarness.Cli nope = h.cli("logs", "a", "nope");
        assertEquals(4, nope.code(), nope.toString());
        assertTrue(nope.err().contains("nope.service not found"), nope.err());
    }

    @Test
    @DisplayName("--since and --until keep the lines of their span: ISO with an offset, local time, N min ago, today; a bad time is exit 2")
    void sinceAndUntil() throws Exception {
        Path go = h.base.resolve("go");
        scripted("c", "echo early; until [ -e " + go + " ]; do sleep 0.01; done; echo late");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "c").code());
        awaitLog("c", "early");
        TimeUnit.MILLISECONDS.sleep(50); // a boundary strictly between the two lines' milliseconds
        Instant mid = Instant.now();
        TimeUnit.MILLISECONDS.sleep(50);
        Files.createFile(go);
        awaitLog("c", "late");
        String local = LocalDateTime.ofInstant(mid, ZoneId.systemDefault()).toString();
        assertEquals(List.of("late"), texts(h.cli("logs", "c", "--since", mid.toString()).out()));
        assertEquals(List.of("early"), texts(h.cli("logs", "c", "--until", mid.toString()).out()));
        assertEquals(List.of("late"), texts(h.cli("logs", "c", "--since", local).out()));
        assertEquals(List.of("early"), texts(h.cli("logs", "c", "--until", local.replace('T', ' ')).out()));
        assertEquals(List.of("early", "late"), texts(h.cli("logs", "c", "--since", "10 min ago").out()));
        assertEquals(List.of(), texts(h.cli("logs", "c", "--until", "1 h ago").out()));
        assertEquals(List.of("late"), texts(h.cli("logs", "--since", mid.toString()).out().replace("c.service: ", "")));
        assertEquals(List.of("late"), texts(h.cli("logs", "c", "-n", "1", "--since", "today").out()));
        DaemonHarness.Cli bad = h.cli("logs", "c", "--since", "tomorrow");
        assertEquals(2, bad.code(), bad.toString());
        assertEquals("svcmgr: logs: --since: cannot read 'tomorrow' as a time: expected an ISO time (2026-12-02T10:00:00Z;"
                + " local time without an offset), today, yesterday, now, 'N min ago' or 'N h ago'\n", bad.err());
        DaemonHarness.Cli both = h.cli("logs", "c", "-f", "--until", "now");
        assertEquals(2, both.code(), both.toString());
        assertEquals(1, both.err().lines().count(), both.err());
    }

    @Test
    @DisplayName("the log of an ended transient unit stays readable by name, and logs with no unit includes it")
    void endedTransientUnit() throws Exception {
        scripted("d", "echo steady");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "d").code());
        DaemonHarness.Cli once = h.cli("run", "--oneshot", "--unit", "once", "--", "/bin/sh", "-c", "echo from-transient");
        assertEquals(0, once.code(), once.toString());
        DaemonHarness.await("once gone from the unit list", Duration.ofSeconds(10),
                () -> !h.cli("list-units", "--all").out().contains("once.service"));
        awaitLog("d", "steady");
        DaemonHarness.Cli byName = h.cli("logs", "once");
        assertEquals(0, byName.code(), byName.toString());
        assertEquals(List.of("from-transient"), texts(byName.out()));
        List<String> all = texts(h.cli("logs").out());
        assertTrue(all.contains("once.service: from-transient") && all.contains("d.service: steady"), all.toString());
    }

    @Test
    @DisplayName("a non-root client sees only its own units' lines merged, and one line for a named unit it may not read")
    void nonRootClientReadsOnlyItsOwn() throws Exception {
        OtherUser.assumeAvailable();
        try (OtherUser user = OtherUser.create(null)) {
            Path script = h.base.resolve("say.sh");
            Files.writeString(script, "echo \"$1\"\nexec /bin/sleep 2147483647\n");
            h.unit("mine.service.yaml", "exec: [/bin/sh, " + script + ", mine-line]\nuser: " + user.name + "\n");
            h.unit("root.service.yaml", "exec: [/bin/sh, " + script + ", secret-line]\n");
            h.start("--no-boot", "--log-group", "");
            assertEquals(0, h.cli("start", "mine", "root").code());
            awaitLog("mine", "mine-line");
            awaitLog("root", "secret-line");
            DaemonHarness.Cli all = user.cli(h.runtime, "logs");
            assertEquals(0, all.code(), all.toString());
            assertEquals(List.of("mine.service: mine-line"), texts(all.out()), all.toString());
            DaemonHarness.Cli named = user.cli(h.runtime, "logs", "mine", "root");
            assertEquals(1, named.code(), named.toString());
            assertEquals(List.of("mine.service: mine-line"), texts(named.out()), named.toString());
            assertEquals("svcmgr: permission denied: the logs of root.service are readable by root, the daemon's user,"
                    + " the user the unit runs as\n", named.err());
            DaemonHarness.Cli one = user.cli(h.runtime, "logs", "root");
            assertEquals(1, one.code(), one.toString());
            assertFalse(one.out().contains("secret-line"), one.out());
            // the protocol itself never carries a line of a unit the client may not read
            Map<String, Object> raw = user.run(h.runtime.resolve("control.sock"), 60, "stream",
                    "{\"v\":1,\"verb\":\"logs\",\"units\":[\"mine\",\"root\"],\"lines\":100}");
            String lines = raw.get("lines").toString();
            assertTrue(lines.contains("mine-line") && !lines.contains("secret-line") && lines.contains("\"denied\""), lines);
            // no process may run as the account when it is removed (userdel refuses, and the account would stay)
            assertEquals(0, h.terminate(), DaemonHarness.read(h.stderr));
        }
    }

    @Test
    @DisplayName("-f on two units follows both, merged as lines arrive and headed by their units")
    void followTwoUnits() throws Exception {
        String loop = "i=0; while :; do if [ -e " + h.base + "/go-$0-$i ]; then echo $0-$i; i=$((i+1)); fi; sleep 0.02; done";
        h.unit("x.service.yaml", "exec: [/bin/sh, -c, '" + loop + "', x]\n");
        h.unit("y.service.yaml", "exec: [/bin/sh, -c, '" + loop + "', y]\n");
        h.start("--no-boot");
        assertEquals(0, h.cli("start", "x", "y").code());
        Files.createFile(h.base.resolve("go-x-0"));
        awaitLog("x", "x-0");
        List<String> cmd = DaemonHarness.java();
        cmd.addAll(List.of("--runtime-dir", h.runtime.toString(), "logs", "-f", "x", "y"));
        Path out = h.base.resolve("follow.out");
        Process f = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(h.base.resolve("follow.err").toFile()).start();
        try {
            DaemonHarness.await("the backlog line", Duration.ofSeconds(30), () -> DaemonHarness.read(out).contains("x.service: "));
            List<String> want = new ArrayList<>(List.of("x.service: x-0"));
            // in groups written before the follower is checked: a group's lines may come in one poll, merged there
            String[][] groups = {{"y-0"}, {"x-1", "y-1"}, {"y-2", "x-2", "y-3"}};
            for (String[] group : groups) {
                for (String step : group) {
                    String unit = step.substring(0, 1);
                    Files.createFile(h.base.resolve("go-" + step));
                    awaitLog(unit, step);
                    TimeUnit.MILLISECONDS.sleep(5);
                    want.add(unit + ".service: " + step);
                }
                DaemonHarness.await(String.join(", ", group) + " followed", Duration.ofSeconds(20),
                        () -> texts(DaemonHarness.read(out)).equals(want));
            }
            assertTrue(f.isAlive(), DaemonHarness.read(h.base.resolve("follow.err")));
        } finally {
            f.destroy();
            f.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
