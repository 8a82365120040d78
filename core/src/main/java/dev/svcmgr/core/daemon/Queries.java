package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Unit;
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
        List<String> names = Context.canonical(req.units());
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
