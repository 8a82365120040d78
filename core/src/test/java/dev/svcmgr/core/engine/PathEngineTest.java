package dev.svcmgr.core.engine;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path units (units.md "Paths") on the manual clock with a watcher fired by hand. */
class PathEngineTest extends EngineHarness {
    /** The watcher port: the listeners of each watched path, fired by the test. */
    private final Map<String, List<PathWatcher.Listener>> watched = new ConcurrentHashMap<>();

    private final PathWatcher fake = (path, l) -> {
        watched.computeIfAbsent(path, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(l);
        return () -> watched.get(path).remove(l);
    };

    private void fire(String path, boolean write) {
        for (PathWatcher.Listener l : watched.getOrDefault(path, List.of())) l.changed(write);
        loop.runUntilIdle();
    }

    private void bootWatching() throws Exception {
        boot();
        onLoopRun(() -> manager.setPathWatcher(fake));
    }

    private void advance(Duration d) {
        loop.advance(d);
        loop.runUntilIdle();
    }

    private List<String> calls() { return new ArrayList<>(world.calls); }

    @Test
    @DisplayName("path-changed: a plain write does nothing, a closed write starts the service 100 ms later; a burst acts once")
    void pathChanged() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\n");
        unit("app.path.yaml", "path-changed: /etc/app/app.conf\n");
        bootWatching();
        run(Request.Verb.START, "app.path");
        assertEquals(ActiveState.ACTIVE, active("app.path"));
        assertEquals(SubState.WATCHING, onLoop(() -> manager.snapshot("app.path").sub()));
        fire("/etc/app/app.conf", true);
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), calls(), "a write not yet closed");
        for (int i = 0; i < 5; i++) {
            fire("/etc/app/app.conf", false);
            advance(Duration.ofMillis(15));
        }
        assertEquals(List.of(), calls(), "75 ms after the first event");
        advance(Duration.ofMillis(25));
        assertEquals(List.of("start app.service"), calls(), "5 events within 100 ms act once, at 100 ms");
        assertEquals(SubState.RUNNING, onLoop(() -> manager.snapshot("app.path").sub()));
    }

    @Test
    @DisplayName("action restart: a running service restarts; a stopped one starts")
    void restart() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\n");
        unit("app.path.yaml", "path-modified: /etc/app/\naction: restart\n");
        bootWatching();
        run(Request.Verb.START, "app.path", "app.service");
        world.calls.clear();
        fire("/etc/app/", true);
        advance(PathDriver.COALESCE);
        assertEquals(List.of("stop app.service", "start app.service"), calls());
        assertEquals(ActiveState.ACTIVE, active("app.service"));
        run(Request.Verb.STOP, "app.service");
        world.calls.clear();
        fire("/etc/app/", false);
        advance(PathDriver.COALESCE);
        assertEquals(List.of("start app.service"), calls());
    }

    @Test
    @DisplayName("action reload: a running service reloads; a stopped one starts")
    void reload() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\nexec-reload: [/bin/true]\n");
        unit("app.path.yaml", "path-changed: /etc/app/app.conf\naction: reload\n");
        bootWatching();
        run(Request.Verb.START, "app.path");
        fire("/etc/app/app.conf", false);
        advance(PathDriver.COALESCE);
        assertEquals(List.of("start app.service"), calls());
        world.calls.clear();
        fire("/etc/app/app.conf", false);
        advance(PathDriver.COALESCE);
        assertEquals(List.of("reload app.service"), calls());
    }

    @Test
    @DisplayName("path-exists: acts at start when it exists, when it appears, and again when the service stops while it still exists")
    void pathExists() throws Exception {
        unit("job.service.yaml", "exec: [/bin/true]\n");
        unit("job.path.yaml", "path-exists: /run/job/trigger\n");
        files.file("/run/job/trigger", 0);
        bootWatching();
        run(Request.Verb.START, "job.path");
        advance(PathDriver.COALESCE);
        assertEquals(List.of("start job.service"), calls());
        // the service ends while the trigger is still there: it runs again
        onLoopRun(() -> world.drivers.get("job.service").exitCleanly());
        advance(PathDriver.COALESCE);
        assertEquals(List.of("start job.service", "start job.service"), calls());
        // this time it removes the trigger before ending: nothing more
        files.remove("/run/job/trigger");
        onLoopRun(() -> world.drivers.get("job.service").exitCleanly());
        advance(Duration.ofSeconds(5));
        assertEquals(2, calls().size());
        fire("/run/job/trigger", false); // an event while it does not exist (removed): nothing
        advance(Duration.ofSeconds(1));
        assertEquals(2, calls().size());
        files.file("/run/job/trigger", 0);
        fire("/run/job/trigger", false);
        advance(PathDriver.COALESCE);
        assertEquals(3, calls().size());
    }

    @Test
    @DisplayName("directory-not-empty: acts while the directory holds an entry")
    void directoryNotEmpty() throws Exception {
        unit("spool.service.yaml", "exec: [/bin/true]\n");
        unit("spool.path.yaml", "directory-not-empty: /var/spool/app\n");
        files.directory("/var/spool/app");
        bootWatching();
        run(Request.Verb.START, "spool.path");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), calls(), "empty at start");
        files.file("/var/spool/app/job1", 10);
        fire("/var/spool/app", false);
        advance(PathDriver.COALESCE);
        assertEquals(List.of("start spool.service"), calls());
    }

    @Test
    @DisplayName("a stopped path unit stops watching; events of its earlier activation are dropped")
    void stopStopsWatching() throws Exception {
        unit("app.service.yaml", "exec: [/bin/true]\n");
        unit("app.path.yaml", "path-changed: /etc/app/app.conf\n");
        bootWatching();
        run(Request.Verb.START, "app.path");
        assertEquals(1, watched.get("/etc/app/app.conf").size());
        fire("/etc/app/app.conf", false);
        run(Request.Verb.STOP, "app.path"); // within the 100 ms: the pending action is dropped
        advance(Duration.ofSeconds(1));
        assertTrue(watched.get("/etc/app/app.conf").isEmpty(), "the watch is closed");
        assertEquals(List.of(), calls());
        assertEquals(ActiveState.INACTIVE, active("app.path"));
    }
}
