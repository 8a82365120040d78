package dev.svcmgr.cli.e2e;

import dev.svcmgr.cli.Main;
import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timer units through a real daemon, as a user drives them (units.md "Timers", cli.md
 * {@code list-timers}, {@code analyze calendar}): real processes started by elapses, the last trigger
 * kept in the state directory, timers re-armed across {@code daemon-reexec}.
 */
class TimersTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private static long runs(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    @DisplayName("a timer starts its oneshot on-active, then on-unit-inactive; list-timers, status, the stamp file; re-armed after daemon-reexec")
    void aTimerRunsItsServiceAndSurvivesReexec() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-timers-"));
        Path ran = h.base.resolve("ran");
        h.unit("tick.service.yaml", "type: oneshot\nexec: [/bin/sh, -c, 'echo run >> " + ran + "']\n");
        h.unit("tick.timer.yaml", "on-active: 1s\non-unit-inactive: 1s\n");
        h.unit("multi-user.target.yaml", "wants: [tick.timer]\n");
        h.start("--target", "multi-user.target");
        DaemonHarness.await("two runs of tick.service", T, () -> runs(ran) >= 2);

        DaemonHarness.Cli list = h.cli("list-timers");
        assertEquals(0, list.code(), list.toString());
        String[] lines = list.out().split("\n");
        assertTrue(lines[0].matches("NEXT +LEFT +LAST +PASSED +UNIT +ACTIVATES"), list.out());
        assertTrue(lines[1].contains("tick.timer") && lines[1].endsWith("tick.service"), list.out());
        assertTrue(list.out().endsWith("\n1 timer listed.\n"), list.out());

        // the timer fires about once a second and rewrites its stamp: an answer and a read of the file, again
        // until no firing fell between the two
        DaemonHarness.await("list-timers' last run equal to the stamp file", T, () -> {
            try {
                DaemonHarness.Cli json = h.cli("list-timers", "--json");
                @SuppressWarnings("unchecked") List<Map<String, Object>> ts = (List<Map<String, Object>>) Json.parse(json.out());
                assertEquals(1, ts.size(), json.out());
                assertEquals("tick.timer", ts.get(0).get("unit"));
                assertEquals("tick.service", ts.get(0).get("activates"));
                assertNotNull(ts.get(0).get("last"), json.out());
                Instant last = Instant.parse((String) ts.get(0).get("last"));
                return last.equals(Instant.parse(Files.readString(h.state.resolve("timers/tick.timer")).trim()));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        DaemonHarness.Cli status = h.cli("status", "tick.timer");
        assertTrue(status.out().contains("Active: active (") && status.out().contains("   Triggers: tick.service\n"), status.out());
        assertTrue(status.out().contains("    Trigger: "), status.out());

        DaemonHarness.Cli re = h.cli("daemon-reexec");
        assertEquals(0, re.code(), re + DaemonHarness.read(h.stderr));
        DaemonHarness.await("the daemon answers again", T, () -> h.cli("is-active", "tick.timer").code() == 0);
        long before = runs(ran);
        DaemonHarness.await("runs go on after daemon-reexec", T, () -> runs(ran) >= before + 2);
        assertEquals(0, h.cli("stop", "tick.timer").code());
        assertEquals("inactive\n", h.cli("is-active", "tick.timer").out());
        assertEquals(0, h.terminate());
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("analyze calendar: normalized form and next elapses offline; a bad expression exits 1 naming its column")
    void analyzeCalendar() {
        String[] ok = run("analyze", "calendar", "Mon,Tue,Wed 8:3", "--iterations", "3");
        assertEquals("0", ok[0], ok[2]);
        assertTrue(ok[1].startsWith("  Original form: Mon,Tue,Wed 8:3\nNormalized form: Mon..Wed *-*-* 08:03:00\n    Next elapse: "), ok[1]);
        assertTrue(ok[1].contains("       Iter. #3: "), ok[1]);
        String[] js = run("analyze", "calendar", "--json", "hourly", "2000-01-01");
        assertEquals("0", js[0], js[2]);
        @SuppressWarnings("unchecked") List<Map<String, Object>> docs = (List<Map<String, Object>>) Json.parse(js[1]);
        assertEquals("*-*-* *:00:00", docs.get(0).get("normalized"));
        assertEquals(1, ((List<?>) docs.get(0).get("next")).size());
        assertEquals(List.of(), docs.get(1).get("next"), "a date in the past never elapses");
        String[] bad = run("analyze", "calendar", "*-13-01");
        assertEquals("1", bad[0]);
        assertTrue(bad[2].startsWith("svcmgr: bad calendar event '*-13-01' at column 3: "), bad[2]);
        assertEquals("2", run("analyze", "calendar", "hourly", "--iterations", "0")[0]);
    }
}
