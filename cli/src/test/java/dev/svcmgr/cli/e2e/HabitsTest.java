package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What systemctl users type by habit (cli.md "More commands"), against a real daemon: -q and the
 * accepted no-op options, globs, did-you-mean, list-unit-files, list-jobs, get/set-default (kept
 * across a daemon restart), reload-or-restart, enable/disable --now, show -p --value, edit.
 */
class HabitsTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private DaemonHarness system() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-habits-"));
        Path reloaded = h.base.resolve("reloaded");
        h.unit("web.service.yaml", "description: web\nexec: [/bin/sleep, '1000']\nexec-reload: [/bin/sh, -c, 'echo r >> " + reloaded + "']\n"
                + "install:\n  wanted-by: [multi-user.target]\n");
        h.unit("api.service.yaml", "description: api\nexec: [/bin/sleep, '1000']\n");
        h.unit("broken.service.yaml", "description: fails\nexec: [/bin/false]\nrestart: 'no'\n");
        h.unit("worker@.service.yaml", "description: worker %i\nexec: [/bin/sleep, '1000']\n");
        h.unit("multi-user.target.yaml", "description: multi\nwants: [api.service, worker@1.service, worker@2.service, broken.service]\n"
                + "allow-isolate: true\n");
        h.unit("rescue.target.yaml", "description: rescue\nwants: [rescued.service]\nallow-isolate: true\n");
        h.unit("rescued.service.yaml", "description: only in rescue\nexec: [/bin/sleep, '1000']\n");
        Files.createSymbolicLink(h.units.resolve("default.target.yaml"), Path.of("multi-user.target.yaml"));
        h.start();
        DaemonHarness.await("the boot", T, () -> h.cli("is-active", "web", "api", "worker@1", "worker@2").code() == 0
                && h.cli("is-failed", "broken").code() == 0);
        return h;
    }

    private long mainPid(String unit) {
        DaemonHarness.Cli c = h.cli("show", unit, "-p", "MainPID", "--value");
        assertEquals(0, c.code(), c.toString());
        return c.out().isBlank() ? 0 : Long.parseLong(c.out().strip());
    }

    @Test
    @DisplayName("-q prints nothing and keeps the exit code; --no-pager, -l, --full are accepted; --no-legend, --failed; a mistyped verb gets a did-you-mean")
    void quietAndNoOpOptions() throws Exception {
        system();
        DaemonHarness.Cli q = h.cli("is-active", "-q", "web");
        assertEquals(0, q.code(), q.toString());
        assertEquals("", q.out());
        DaemonHarness.Cli qFailed = h.cli("is-active", "--quiet", "broken");
        assertEquals(3, qFailed.code(), qFailed.toString());
        assertEquals("", qFailed.out());
        DaemonHarness.Cli qStatus = h.cli("status", "web", "-q", "--no-pager", "-l");
        assertEquals(0, qStatus.code(), qStatus.toString());
        assertEquals("", qStatus.out());
        DaemonHarness.Cli qMissing = h.cli("is-active", "-q", "nosuch");
        assertEquals(4, qMissing.code(), qMissing.toString());
        assertEquals("", qMissing.out());
        assertTrue(qMissing.err().contains("nosuch.service"), qMissing.toString());
        DaemonHarness.Cli stopQ = h.cli("stop", "-q", "api");
        assertEquals(0, stopQ.code(), stopQ.toString());
        assertEquals(3, h.cli("is-active", "api").code());

        DaemonHarness.Cli full = h.cli("list-units", "--no-pager", "--full", "--no-legend");
        assertEquals(0, full.code(), full.toString());
        assertFalse(full.out().contains("UNIT") || full.out().contains("listed"), full.out());
        assertTrue(full.out().lines().anyMatch(l -> l.startsWith("web.service ")), full.out());

        DaemonHarness.Cli failed = h.cli("list-units", "--failed", "--no-legend");
        assertEquals(0, failed.code(), failed.toString());
        assertEquals(List.of("broken.service"), failed.out().lines().map(l -> l.split(" +")[0]).toList(), failed.out());

        DaemonHarness.Cli typo = h.cli("statsu", "web");
        assertEquals(2, typo.code(), typo.toString());
        assertTrue(typo.err().contains("unknown command 'statsu'; did you mean 'status'?"), typo.toString());
        DaemonHarness.Cli typo2 = h.cli("list-unit-file");
        assertTrue(typo2.err().contains("did you mean 'list-unit-files'?"), typo2.toString());
        DaemonHarness.Cli none = h.cli("frobnicate");
        assertEquals(2, none.code());
        assertFalse(none.err().contains("did you mean"), none.toString());

        DaemonHarness.Cli plain = h.cli("list-dependencies", "multi-user.target", "--plain");
        assertEquals(0, plain.code(), plain.toString());
        assertTrue(plain.out().startsWith("multi-user.target\n"), plain.out());
        assertTrue(plain.out().contains("\n  web.service\n") && !plain.out().contains("●") && !plain.out().contains("─"), plain.out());
    }

    @Test
    @DisplayName("globs match the loaded units: stop 'worker@*' stops both instances and nothing else; a pattern matching nothing")
    void globs() throws Exception {
        system();
        DaemonHarness.Cli states = h.cli("is-active", "worker@*");
        assertEquals(0, states.code(), states.toString());
        assertEquals("active\nactive\n", states.out());
        DaemonHarness.Cli stop = h.cli("stop", "worker@*");
        assertEquals(0, stop.code(), stop.toString());
        assertEquals(3, h.cli("is-active", "worker@1").code());
        assertEquals(3, h.cli("is-active", "worker@2").code());
        assertEquals(0, h.cli("is-active", "web", "api").code());
        DaemonHarness.Cli list = h.cli("list-units", "worker@*", "--no-legend");
        assertEquals(2, list.out().lines().count(), list.out());
        DaemonHarness.Cli start = h.cli("start", "worker@?.service");
        assertEquals(0, start.code(), start.toString());
        assertEquals(0, h.cli("is-active", "worker@1", "worker@2").code());
        DaemonHarness.Cli nothing = h.cli("is-active", "nomatch*");
        assertEquals(4, nothing.code(), nothing.toString());
        assertTrue(nothing.err().contains("no loaded unit matches 'nomatch*'"), nothing.toString());
        assertEquals(0, h.cli("stop", "nomatch*").code());
        DaemonHarness.Cli bad = h.cli("stop", "web/*");
        assertNotEquals(0, bad.code());
        assertFalse(bad.err().contains("Exception"), bad.toString());
    }

    @Test
    @DisplayName("list-unit-files, get-default and set-default (kept across a daemon restart, which then boots to it)")
    void unitFilesAndDefault() throws Exception {
        system();
        DaemonHarness.Cli files = h.cli("list-unit-files");
        assertEquals(0, files.code(), files.toString());
        assertTrue(files.out().lines().findFirst().orElse("").matches("UNIT FILE +STATE"), files.out());
        assertTrue(files.out().contains("\nweb.service ") && files.out().lines().anyMatch(l -> l.matches("web\\.service +enabled")), files.out());
        assertTrue(files.out().lines().anyMatch(l -> l.matches("worker@\\.service +static")), files.out());
        assertFalse(files.out().contains("worker@1"), files.out());
        assertEquals(0, h.cli("disable", "web").code());
        DaemonHarness.Cli disabled = h.cli("list-unit-files", "--state", "disabled", "--json");
        List<?> json = (List<?>) Json.parse(disabled.out().strip());
        assertEquals(1, json.size(), disabled.out());
        @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) json.get(0);
        assertEquals("web.service", row.get("unit"));
        assertEquals("disabled", row.get("state"));

        assertEquals("multi-user.target\n", h.cli("get-default").out());
        DaemonHarness.Cli set = h.cli("set-default", "rescue.target");
        assertEquals(0, set.code(), set.toString());
        assertEquals("rescue.target\n", h.cli("get-default").out());
        DaemonHarness.Cli notTarget = h.cli("set-default", "web.service");
        assertEquals(1, notTarget.code(), notTarget.toString());
        assertEquals(0, h.terminate());
        h.start();
        assertEquals("rescue.target\n", h.cli("get-default").out());
        DaemonHarness.await("the boot to rescue.target", T, () -> h.cli("is-active", "rescued").code() == 0);
        assertEquals(3, h.cli("is-active", "api").code(), "multi-user.target is not booted any more");
    }

    @Test
    @DisplayName("reload-or-restart reloads what can reload and restarts the rest; try-reload-or-restart leaves inactive units alone")
    void reloadOrRestart() throws Exception {
        system();
        long web = mainPid("web"), api = mainPid("api");
        DaemonHarness.Cli r = h.cli("reload-or-restart", "web", "api");
        assertEquals(0, r.code(), r.toString());
        assertEquals(web, mainPid("web"), "web reloaded in place");
        assertTrue(Files.exists(h.base.resolve("reloaded")), "exec-reload ran");
        assertNotEquals(api, mainPid("api"), "api restarted");
        assertEquals(0, h.cli("stop", "api").code());
        DaemonHarness.Cli t = h.cli("try-reload-or-restart", "api", "web");
        assertEquals(0, t.code(), t.toString());
        assertEquals(3, h.cli("is-active", "api").code(), "an inactive unit stays inactive");
        assertEquals(2, Files.readAllLines(h.base.resolve("reloaded")).size());
        DaemonHarness.Cli started = h.cli("reload-or-restart", "api");
        assertEquals(0, started.code(), started.toString());
        assertEquals(0, h.cli("is-active", "api").code(), "reload-or-restart starts an inactive unit");
    }

    @Test
    @DisplayName("enable --now starts, disable --now stops; show -p NAME,NAME and --value; list-jobs shows a running and a waiting job")
    void nowShowAndJobs() throws Exception {
        system();
        DaemonHarness.Cli dis = h.cli("disable", "--now", "web");
        assertEquals(0, dis.code(), dis.toString());
        assertEquals("disabled\n", h.cli("is-enabled", "web").out());
        assertEquals(3, h.cli("is-active", "web").code());
        DaemonHarness.Cli en = h.cli("enable", "--now", "web");
        assertEquals(0, en.code(), en.toString());
        assertEquals(0, h.cli("is-active", "web").code());

        DaemonHarness.Cli props = h.cli("show", "web", "-p", "ActiveState,MainPID");
        List<String> lines = props.out().lines().toList();
        assertEquals(2, lines.size(), props.out());
        assertTrue(lines.contains("ActiveState=active") && lines.stream().anyMatch(l -> l.matches("MainPID=[1-9][0-9]*")), props.out());
        assertEquals("active\n", h.cli("show", "web", "--property", "ActiveState", "--value").out());
        DaemonHarness.Cli unknown = h.cli("show", "web", "-p", "Nonsense");
        assertEquals(2, unknown.code(), unknown.toString());

        Path gate = h.base.resolve("gate");
        h.unit("slow.service.yaml", "exec: [/bin/sh, -c, 'while [ ! -e " + gate + " ]; do sleep 0.05; done; exec sleep 1000']\n"
                + "ready: {path: " + gate + "}\ntimeout-start: 60s\n");
        h.unit("after-slow.service.yaml", "exec: [/bin/sleep, '1000']\nrequires: [slow.service]\n");
        assertEquals(0, h.cli("daemon-reload").code());
        assertEquals(0, h.cli("start", "--no-block", "after-slow").code());
        DaemonHarness.await("slow.service starting", T, () -> h.cli("is-active", "slow").out().equals("starting\n"));
        DaemonHarness.Cli jobs = h.cli("list-jobs");
        assertEquals(0, jobs.code(), jobs.toString());
        assertTrue(jobs.out().lines().findFirst().orElse("").matches("JOB +UNIT +TYPE +STATE"), jobs.out());
        assertTrue(jobs.out().lines().anyMatch(l -> l.matches("[0-9]+ +slow\\.service +start +running")), jobs.out());
        assertTrue(jobs.out().lines().anyMatch(l -> l.matches("[0-9]+ +after-slow\\.service +start +waiting")), jobs.out());
        List<?> json = (List<?>) Json.parse(h.cli("list-jobs", "--json").out().strip());
        assertEquals(2, json.size());
        Files.createFile(gate);
        DaemonHarness.await("both started", T, () -> h.cli("is-active", "slow", "after-slow").code() == 0);
        assertEquals("No jobs running.\n", h.cli("list-jobs").out());
    }

    @Test
    @DisplayName("edit installs a checked drop-in and reloads; an edit with errors is not installed and is kept; --full copies the unit")
    void edit() throws Exception {
        system();
        Path good = script("good.sh", "printf 'environment:\\n  FOO: bar\\n' > \"$1\"\n");
        Path bad = script("bad.sh", "printf 'restat: always\\n' > \"$1\"\n");
        Path full = script("full.sh", "sed -i 's/only in rescue/edited in place/' \"$1\"\n");

        Result ok = cliWithEditor(good, "edit", "web");
        assertEquals(0, ok.code, ok.toString());
        Path dropIn = h.units.resolve("web.service.d/override.yaml");
        assertEquals("environment:\n  FOO: bar\n", Files.readString(dropIn));
        assertTrue(h.cli("cat", "web").out().contains("# " + dropIn), "the daemon sees the drop-in after the reload");

        Result broken = cliWithEditor(bad, "edit", "api");
        assertEquals(1, broken.code, broken.toString());
        assertFalse(Files.exists(h.units.resolve("api.service.d/override.yaml")));
        assertTrue(broken.err.contains("unknown key 'restat'") && broken.err.contains("kept in /"), broken.toString());
        String kept = broken.err.substring(broken.err.lastIndexOf("kept in ") + "kept in ".length()).strip();
        assertEquals("restat: always\n", Files.readString(Path.of(kept)));
        Files.delete(Path.of(kept));

        Result nothing = cliWithEditor(Path.of("/bin/true"), "edit", "api");
        assertEquals(0, nothing.code, nothing.toString());
        assertTrue(nothing.out.contains("Nothing changed"), nothing.toString());

        Result copy = cliWithEditor(full, "edit", "--full", "rescued");
        assertEquals(0, copy.code, copy.toString());
        DaemonHarness.Cli show = h.cli("show", "rescued", "-p", "Description", "--value");
        assertEquals("edited in place\n", show.out(), "--full of a unit of the first directory edits it in place: " + copy);
    }

    private Path script(String name, String body) throws Exception {
        Path p = h.base.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private record Result(int code, String out, String err) {
        @Override
        public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    /** The CLI in its own JVM with EDITOR set, as a user runs it. */
    private Result cliWithEditor(Path editor, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(DaemonHarness.java());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--runtime-dir", h.runtime.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("VISUAL");
        pb.environment().put("EDITOR", editor.toString());
        pb.redirectOutput(h.base.resolve("edit.out").toFile()).redirectError(h.base.resolve("edit.err").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "svcmgr edit ended");
        return new Result(p.exitValue(), Files.readString(h.base.resolve("edit.out")), Files.readString(h.base.resolve("edit.err")));
    }
}
