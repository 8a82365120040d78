package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Event;
import dev.svcmgr.core.protocol.Codec;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

    void logs(Request.Logs req, Peer peer, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        String name = Context.canonical(req.unit());
        int n = (int) Math.max(0, Math.min(Integer.MAX_VALUE, req.lines()));
        Context.Looked l = cx.lookUp(List.of(name));
        String k = cx.onLoop(() -> cx.known(name, l));
        if (k == null) {
            out.send(Context.noSuchUnit(name));
            return;
        }
        if (!mayReadLogs(peer, k, out)) return;
        // a log that could not be written is said so, never shown as merely empty
        String warning = cx.onLoop(() -> cx.m().driver(k) instanceof dev.svcmgr.core.supervise.SupervisorDriver d ? d.supervisor().logProblem() : null);
        Logs.stream(cx.daemon.options().logDir(), k, n, req.follow(), warning, out);
    }

    /**
     * True when {@code peer} may read {@code unit}'s logs: root, the daemon's user, the user the unit
     * runs as, or a member of the log group ({@link ReadAccess#mayReadLogs}); otherwise the refusal
     * is sent.
     */
    private boolean mayReadLogs(Peer peer, String unit, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        if (peer.privileged()) return true;
        String[] user = cx.onLoop(() -> {
            Unit u = cx.m().unit(unit);
            return new String[] {u == null || u.service() == null ? null : u.service().user()};
        });
        if (cx.daemon.access().mayReadLogs(peer, user[0])) return true;
        out.send(new Reply.Error(ErrorKind.DENIED, cx.daemon.access().logsDenied(unit)));
        return false;
    }
}
