package dev.svcmgr.cli.e2e;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Path units through a real daemon and the real inotify (units.md "Paths"): a service restarts by
 * itself when its configuration is replaced the way editors and package managers do it (a new file
 * renamed over the old one), and a path whose directory is made later is still seen.
 */
class PathUnitsTest {
    private static final Duration T = Duration.ofSeconds(30);
    private DaemonHarness h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    @SuppressWarnings("unchecked")
    private long mainPid(String unit) {
        Object p = ((Map<String, Object>) Json.parse(h.cli("status", unit, "--json").out())).get("main-pid");
        return p instanceof Number n ? n.longValue() : -1;
    }

    @Test
    @DisplayName("action restart: the configuration replaced by rename restarts the service with it; a directory made later is watched")
    void aReplacedConfigurationRestartsTheService() throws Exception {
        h = new DaemonHarness(Files.createTempDirectory(Path.of("/tmp"), "svcmgr-paths-"));
        Path conf = h.base.resolve("etc/app.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "version 1\n");
        Path later = h.base.resolve("later/spool/go");
        Path ran = h.base.resolve("ran");
        h.unit("app.service.yaml", "exec: [/bin/sh, -c, 'cat " + conf + "; exec sleep 1000']\n");
        h.unit("app.path.yaml", "path-changed: " + conf + "\naction: restart\n");
        h.unit("job.service.yaml", "type: oneshot\nexec: [/bin/sh, -c, 'echo ran >> " + ran + "']\n");
        h.unit("job.path.yaml", "path-exists: " + later + "\n");
        h.unit("multi-user.target.yaml", "wants: [app.service, app.path, job.path]\n");
        h.start("--target", "multi-user.target");
        assertEquals(0, h.cli("is-system-running", "--wait").code(), DaemonHarness.read(h.stderr));
        String list = h.cli("list-units").out();
        assertTrue(list.matches("(?s).*app\\.path +loaded +active +running.*"), "its service runs: " + list);
        assertTrue(list.matches("(?s).*job\\.path +loaded +active +watching.*"), list);
        long first = mainPid("app.service");
        assertTrue(first > 0);

        Path tmp = conf.resolveSibling(".app.conf.new");
        Files.writeString(tmp, "version 2\n");
        Files.move(tmp, conf, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DaemonHarness.await("app.service restarted by app.path", T, () -> {
            long now = mainPid("app.service");
            return now > 0 && now != first;
        });
        DaemonHarness.await("the new configuration in its log", T,
                () -> DaemonHarness.read(h.logs.resolve("app.service.log")).contains("stdout version 2"));
        long second = mainPid("app.service");
        assertNotEquals(first, second);
        // the replaced file is watched too (another inode): a second edit restarts it again
        Files.writeString(conf, "version 3\n");
        DaemonHarness.await("restarted again", T, () -> {
            long now = mainPid("app.service");
            return now > 0 && now != second;
        });

        Files.createDirectories(later.getParent());
        Files.writeString(later, "");
        DaemonHarness.await("job.service started once the trigger appeared in a directory made later", T, () -> Files.exists(ran));
        assertEquals(0, h.terminate());
    }
}
