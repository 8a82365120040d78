package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Event;
import dev.svcmgr.core.protocol.Codec;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The streaming verbs, {@code events} and {@code logs}: a first reply, then lines until the
 * client goes (or, without follow, an end line). No thread waits on a stream: the loop hands each
 * event to the connection's bounded queue, a log poller hands it each log line, and the control
 * server cuts off a client that falls behind.
 */
final class Streams {
    /** Events that may arrive while a stream sends its backlog; more cut the client off. */
    static final int STREAM_BACKLOG_EVENTS = 50_000;

    private final Context cx;

    Streams(Context cx) { this.cx = cx; }

    /** One event as a JSON line, made once however many clients follow the stream (loop thread only). */
    private Event lastEvent;
    private String lastEventJson;

    private String eventJson(Event e) {
        if (e != lastEvent) {
            lastEventJson = Codec.write(new Reply.EventLine(Views.event(e)));
            lastEvent = e;
        }
        return lastEventJson;
    }

    /**
     * {@code events}: no thread waits for events. The loop hands each event to the connection's
     * queue, which cuts off a client that falls {@link ControlServer#STREAM_BACKLOG} bytes
     * behind; keepalives come from the control server's selector.
     */
    void events(Request.Events req, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        Long since = req.since();
        boolean follow = req.follow();
        // events arriving while the backlog is sent wait here, then go out in order
        List<String> early = new ArrayList<>();
        boolean[] live = {false};
        Object gate = new Object();
        Consumer<Event> sub = new Consumer<>() {
            @Override
            public void accept(Event e) {
                String json = eventJson(e);
                boolean ok;
                synchronized (gate) {
                    if (!live[0]) {
                        early.add(json);
                        ok = early.size() <= STREAM_BACKLOG_EVENTS;
                    } else {
                        ok = out.streamJson(json);
                    }
                }
                if (!ok) cx.m().events().unsubscribe(this);
            }
        };
        record Head(List<Event> backlog, long lost) {}
        Head head = cx.onLoop(() -> {
            var log = cx.m().events();
            List<Event> backlog = since == null ? List.of() : log.after(since);
            long lost = since == null ? 0 : Math.max(0, log.firstRetained() - since - 1);
            if (follow) log.subscribe(sub);
            return new Head(backlog, lost);
        });
        if (follow) {
            out.detach(true);
            out.onClose(() -> cx.loop().execute(() -> cx.m().events().unsubscribe(sub)));
        }
        out.send(new Reply.EventsStarted(head.lost()));
        for (Event e : head.backlog()) out.send(new Reply.EventLine(Views.event(e)));
        if (!follow) {
            out.send(new Reply.End());
            return;
        }
        synchronized (gate) {
            if (early.size() > STREAM_BACKLOG_EVENTS) {
                out.stream(new Reply.Error(ErrorKind.LIMIT, "client too slow: more than " + STREAM_BACKLOG_EVENTS + " events behind"));
                out.finish();
                return;
            }
            for (String json : early) out.streamJson(json);
            early.clear();
            live[0] = true;
        }
    }

    /**
     * {@code logs}: the named units (none: every unit with a log) merged. A named unit is a loaded
     * unit or one whose log is still there (an ended transient unit); one that is neither is an
     * error. One named unit the client may not read is an error, as before several could be named;
     * among several, such units are listed in the first reply's {@code denied} and their lines not
     * sent; with none named, units the client may not read are left out without a word.
     */
    void logs(Request.Logs req, Peer peer, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        int n = req.lines() < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, req.lines());
        if (req.follow() && req.until() != null) {
            out.send(new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: \"until\" and \"follow\" do not go together"));
            return;
        }
        Path logDir = cx.daemon.options().logDir();
        dev.svcmgr.core.os.LogFlusher.SHARED.flushNow(); // the manager's lines appended so far are in the files
        List<String> units = new ArrayList<>();
        Map<String, String> denied = new LinkedHashMap<>();
        if (req.units().isEmpty()) {
            TreeSet<String> all = Logs.unitsWithLogs(logDir);
            for (String u : all) if (mayRead(peer, u)) units.add(u);
        } else {
            List<String> names = new ArrayList<>();
            for (String raw : req.units()) names.add(Context.canonical(raw));
            Context.Looked l = cx.lookUp(names);
            LinkedHashSet<String> found = new LinkedHashSet<>();
            for (String name : names) {
                String k = cx.onLoop(() -> cx.known(name, l));
                if (k == null && Logs.hasLog(logDir, name)) k = name;
                if (k == null) {
                    out.send(Context.noSuchUnit(name));
                    return;
                }
                found.add(k);
            }
            if (found.size() == 1 && !mayReadLogs(peer, found.iterator().next(), out)) return;
            for (String k : found) {
                if (mayRead(peer, k)) units.add(k);
                else denied.put(k, cx.daemon.access().logsDenied(k));
            }
        }
        // a log that could not be written is said so, never shown as merely empty
        Map<String, String> warnings = cx.onLoop(() -> {
            Map<String, String> w = new LinkedHashMap<>();
            for (String u : units) {
                if (cx.m().driver(u) instanceof dev.svcmgr.core.supervise.SupervisorDriver d && d.supervisor().logProblem() != null) {
                    w.put(u, d.supervisor().logProblem());
                }
            }
            return w;
        });
        String first = units.isEmpty() ? null : units.get(0);
        Logs.stream(logDir, units, n, req.follow(), req.since(), req.until(),
                new Reply.LogsStarted(first, warnings.get(first), units, warnings, denied), out);
    }

    /**
     * True when {@code peer} may read {@code unit}'s logs ({@link ReadAccess#mayReadLogs}); the log of a
     * unit no longer loaded (an ended transient unit) counts as the daemon's user's: root, that user
     * and the log group read it.
     */
    private boolean mayRead(Peer peer, String unit) throws InterruptedException {
        if (peer.privileged()) return true;
        String[] user = cx.onLoop(() -> {
            Unit u = cx.m().unit(unit);
            return new String[] {u == null || u.service() == null ? null : u.service().user()};
        });
        return cx.daemon.access().mayReadLogs(peer, user[0]);
    }

    /**
     * True when {@code peer} may read {@code unit}'s logs: root, the daemon's user, the user the unit
     * runs as, or a member of the log group ({@link ReadAccess#mayReadLogs}); otherwise the refusal
     * is sent.
     */
    private boolean mayReadLogs(Peer peer, String unit, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        if (mayRead(peer, unit)) return true;
        out.send(new Reply.Error(ErrorKind.DENIED, cx.daemon.access().logsDenied(unit)));
        return false;
    }
}
