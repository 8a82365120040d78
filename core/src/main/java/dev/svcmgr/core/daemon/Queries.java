package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The verbs that read runtime state: {@code ping}, {@code units}, {@code system}, {@code state},
 * {@code why}, {@code analyze}. Each turns its request into copies made on the loop and a reply
 * rendered off it.
 */
final class Queries {
    /** Identifies this image of the daemon: a re-executed daemon keeps its PID, not this. */
    static final long IMAGE = new java.util.Random().nextLong() & Long.MAX_VALUE;

    /** The daemon's software version, as {@code ping} answers it. */
    static final String SOFTWARE_VERSION = "0.1.0";

    private final Context cx;

    Queries(Context cx) { this.cx = cx; }

    static Reply.Ping ping() { return new Reply.Ping(SOFTWARE_VERSION, ProcessHandle.current().pid(), IMAGE); }

    /** A unit's captured state, or the stand-in for a name no unit has. */
    private record Row(Views.Captured unit, String missing) {}

    /** {@code units}: the named units in detail, or every unit (every one that is not inactive and loaded, unless {@code all}). */
    Reply.Units units(Request.Units req, Peer peer) throws InterruptedException {
        List<String> names = cx.expand(req.units());
        if (Context.matchedNothing(req.units(), names)) return new Reply.Units(List.of());
        Daemon d = cx.daemon;
        List<Row> rows;
        if (names.isEmpty()) {
            List<String> every = cx.onLoop(() -> cx.m().unitNames());
            rows = cx.onLoopSliced(every, n -> new Row(Views.capture(cx.m(), d.choices(), n, null, false), null));
        } else {
            Context.Looked l = cx.lookUp(names);
            rows = cx.onLoopSliced(names, n -> {
                String k = cx.known(n, l);
                return k == null ? new Row(null, n) : new Row(Views.capture(cx.m(), d.choices(), k, l.get(cx.m(), n), true), null);
            });
        }
        Instant loadedAt = d.loadedAt();
        List<UnitInfo> list = new ArrayList<>();
        for (Row r : rows) {
            if (r.missing() != null) {
                list.add(UnitInfo.notFound(r.missing()));
                continue;
            }
            UnitInfo info = Views.render(r.unit(), loadedAt);
            if (!names.isEmpty() || req.all() || !"inactive".equals(info.active()) || !"loaded".equals(info.load())) list.add(info);
        }
        return new Reply.Units(withoutUnreadableContent(list, peer));
    }

    /**
     * The units as {@code peer} may see them: a problem that quotes a unit file the peer could
     * not read shows only its location and kind ({@link ReadAccess#problem}). Off the loop.
     */
    private List<UnitInfo> withoutUnreadableContent(List<UnitInfo> list, Peer peer) throws InterruptedException {
        if (peer.privileged()) return list;
        UnitSet set = null;
        List<UnitInfo> out = new ArrayList<>(list.size());
        for (UnitInfo info : list) {
            List<String> shown = info.details() == null ? List.of() : info.details().problems();
            if (shown.isEmpty()) {
                out.add(info);
                continue;
            }
            if (set == null) set = cx.onLoop(() -> cx.m().units());
            Unit u = set.lookup(info.unit());
            if (u == null || u.problems().size() != shown.size()) {
                // the definition changed between rendering and filtering (a daemon-reload): fail closed
                out.add(info.withProblems(List.of("the unit's problems changed while they were read (daemon-reload); ask again")));
                continue;
            }
            if (u.problems().stream().noneMatch(p -> p.kind() != null)) {
                out.add(info);
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (Problem p : u.problems()) lines.add(cx.daemon.access().problem(peer, p));
            out.add(info.withProblems(lines));
        }
        return out;
    }

    /** {@code system}; with {@code wait}, answered once the boot transaction has ended (nothing waits for it but a future). */
    CompletableFuture<Reply.SystemState> system(Request.SystemState req) {
        Supplier<Reply.SystemState> now = () -> new Reply.SystemState(cx.m().systemState(), cx.m().failedUnits(), cx.m().jobCount());
        if (!req.waitForBoot()) return cx.onLoopAsync(now);
        return cx.onLoopAsync(() -> cx.m().bootDone())
                .thenCompose(boot -> boot.handle((o, x) -> null))
                .thenCompose(ended -> cx.onLoopAsync(now));
    }

    Reply.State state() throws InterruptedException {
        List<String> dirs = new ArrayList<>();
        for (Path p : cx.daemon.options().unitDirs()) dirs.add(p.toAbsolutePath().toString());
        return cx.onLoop(() -> {
            Map<String, String> states = new LinkedHashMap<>();
            for (String n : cx.m().unitNames()) states.put(n, cx.m().snapshot(n).active().word());
            return new Reply.State(states, dirs, new ArrayList<>(new TreeSet<>(cx.m().masked())),
                    new ArrayList<>(new TreeSet<>(cx.m().disabled())));
        });
    }

    Reply why(Request.Why req) throws InterruptedException {
        String name = Context.canonical(req.unit());
        Context.Looked l = cx.lookUp(List.of(name));
        return cx.onLoop(() -> {
            String k = cx.known(name, l);
            if (k == null) return Context.noSuchUnit(name);
            return Views.why(cx.m(), k);
        });
    }

    /** {@code jobs}: the jobs not finished, oldest first. */
    Reply.Jobs jobs() throws InterruptedException {
        return cx.onLoop(() -> {
            List<Reply.Jobs.Job> out = new ArrayList<>();
            for (var j : cx.m().jobs()) out.add(new Reply.Jobs.Job(j.id(), j.unit(), j.type().word(), j.running() ? "running" : "waiting"));
            return new Reply.Jobs(out);
        });
    }

    /**
     * {@code unit-files}: every unit defined by a file of the unit directories (instances made from
     * templates are not files; the templates are listed by the file's name), with its state as
     * {@code is-enabled} words it. Off the loop but for one copy of the set and the choices.
     */
    Reply.UnitFiles unitFiles() throws InterruptedException {
        Daemon d = cx.daemon;
        record Seen(UnitSet set, java.util.Set<String> masked, java.util.Set<String> disabled) {}
        Seen seen = cx.onLoop(() -> new Seen(cx.m().units(), d.choices().masked(), d.choices().disabled()));
        java.util.TreeMap<String, Reply.UnitFiles.UnitFile> files = new java.util.TreeMap<>();
        for (Unit u : seen.set().units().values()) {
            if (u.fragmentPath() == null || UnitNames.templateOf(u.name()) != null || !inUnitDirs(u.fragmentPath())) continue;
            String state = seen.masked().contains(u.name()) || u.load() == dev.svcmgr.units.LoadState.MASKED ? "masked"
                    : !u.hasInstall() ? "static" : seen.disabled().contains(u.name()) ? "disabled" : "enabled";
            files.put(u.name(), new Reply.UnitFiles.UnitFile(u.name(), u.fragmentPath(), state));
        }
        for (Path dir : d.options().unitDirs()) {
            try (var list = java.nio.file.Files.list(dir)) {
                for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                    String fn = f.getFileName().toString();
                    if (!fn.endsWith(".yaml")) continue;
                    String name = fn.substring(0, fn.length() - ".yaml".length());
                    if (!UnitNames.isTemplate(name) || files.containsKey(name)) continue;
                    String state = seen.masked().contains(name) ? "masked" : templateState(seen.set(), name, seen.disabled());
                    files.put(name, new Reply.UnitFiles.UnitFile(name, f.toString(), state));
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // an unreadable directory lists nothing, as the loader reports it
            }
        }
        return new Reply.UnitFiles(new ArrayList<>(files.values()));
    }

    /** True for a file of one of the unit directories (not a transient unit's). */
    private boolean inUnitDirs(String file) {
        Path f = Path.of(file).toAbsolutePath();
        for (Path dir : cx.daemon.options().unitDirs()) if (f.startsWith(dir.toAbsolutePath())) return true;
        return false;
    }

    /** A template's state: that of an instance made from it (its {@code install} section decides). */
    private static String templateState(UnitSet set, String template, java.util.Set<String> disabled) {
        Unit probe = set.lookup(template.replace("@.", "@list-unit-files."));
        if (probe == null || !probe.hasInstall()) return "static";
        return disabled.contains(template) ? "disabled" : "enabled";
    }

    /** {@code get-default}: what {@code default.target} names (the set-default choice, else the unit file or alias). */
    Reply.Default getDefault() throws InterruptedException {
        String chosen = cx.daemon.choices().defaultTarget();
        String target = cx.onLoop(() -> {
            Unit u = cx.m().units().lookup("default.target");
            return u == null ? null : u.name();
        });
        if (chosen != null) return new Reply.Default(chosen, true);
        return new Reply.Default(target, false);
    }

    Reply.Sockets sockets() throws InterruptedException {
        return cx.onLoop(() -> {
            List<Reply.Sockets.Socket> out = new ArrayList<>();
            for (var s : cx.m().sockets()) out.add(new Reply.Sockets.Socket(s.listen(), s.unit(), s.activates(), s.activations()));
            return new Reply.Sockets(out);
        });
    }

    Reply.Timers timers() throws InterruptedException {
        return cx.onLoop(() -> {
            List<Reply.Timers.Timer> out = new ArrayList<>();
            for (var t : cx.m().timers()) {
                out.add(new Reply.Timers.Timer(t.unit(), t.activates(), t.next() == null ? null : t.next().toString(),
                        t.last() == null ? null : t.last().toString()));
            }
            return new Reply.Timers(out);
        });
    }

    Reply.Analyze analyze() throws InterruptedException {
        return cx.onLoop(() -> new Reply.Analyze(Views.transitions(cx.m())));
    }
}
