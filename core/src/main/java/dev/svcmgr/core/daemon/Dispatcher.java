package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

import java.io.IOException;

/**
 * Turns a control-socket request into the handler for its verb (docs/protocol.md): reads in
 * {@link Queries}, transactions and final actions in {@link Transactions}, {@code run} in {@link
 * Runs}, other changes in {@link Changes}, streams in {@link Streams}, the graph's views in {@link
 * Plans}. Runs on a control worker thread; each handler maps its request record to manager calls
 * (on the loop, through {@link Context}) and a reply record.
 */
final class Dispatcher implements ControlServer.Handler {
    private final Queries queries;
    private final Transactions transactions;
    private final Runs runs;
    private final Changes changes;
    private final Streams streams;
    private final Plans plans;
    private final Daemon daemon;

    Dispatcher(Daemon daemon) {
        this.daemon = daemon;
        Context cx = new Context(daemon);
        queries = new Queries(cx);
        transactions = new Transactions(cx);
        runs = new Runs(cx, transactions);
        changes = new Changes(cx);
        streams = new Streams(cx);
        plans = new Plans(cx);
    }

    @Override
    public void handle(Request<?> req, Peer peer, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        // the codec made the record that belongs to the verb: each cast below holds by construction
        switch (req.verb()) {
            case PING -> out.send(Queries.ping());
            case UNITS -> out.send(queries.units((Request.Units) req, peer));
            case SYSTEM -> Context.replyLater(out, queries.system((Request.SystemState) req));
            case STATE -> out.send(queries.state());
            case WHY -> out.send(queries.why((Request.Why) req));
            case ANALYZE -> out.send(queries.analyze());
            case TIMERS -> out.send(queries.timers());
            case SOCKETS -> out.send(queries.sockets());
            case ADOPT -> out.send(changes.adopt((Request.Adopt) req));
            case JOBS -> out.send(queries.jobs());
            case UNIT_FILES -> out.send(queries.unitFiles());
            case GET_DEFAULT -> out.send(queries.getDefault());
            case SET_DEFAULT -> out.send(changes.setDefault((Request.SetDefault) req));
            case START, STOP, RESTART, TRY_RESTART, RELOAD, ISOLATE, RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART ->
                    Context.replyLater(out, transactions.transaction((Request.Transaction) req));
            case POWEROFF, REBOOT, HALT -> transactions.finalAction((Request.Power) req, out);
            case RUN -> Context.replyLater(out, runs.run((Request.Run) req));
            case ENABLE, DISABLE, MASK, UNMASK -> out.send(changes.choice((Request.Choice) req));
            case RESET_FAILED -> out.send(changes.resetFailed((Request.ResetFailed) req));
            case KILL -> out.send(changes.kill((Request.Kill) req));
            case DAEMON_RELOAD -> out.send(changes.daemonReload());
            case DAEMON_REEXEC -> changes.reexec(out);
            case DEBUG_FAULT -> out.send(changes.injectFault((Request.DebugFault) req));
            case EVENTS -> streams.events((Request.Events) req, out);
            case LOGS -> streams.logs((Request.Logs) req, peer, out);
            case PLAN -> out.send(plans.plan((Request.Plan) req));
            case GRAPH -> out.send(plans.graph((Request.Graph) req));
            case DEPENDENCIES -> out.send(plans.dependencies((Request.Dependencies) req));
            case SIMULATE -> out.send(plans.simulate((Request.Simulate) req));
            case RENDER -> out.send(render((Request.Render) req, peer, out));
        }
    }

    /** A read command's output made here ({@link Renderer}); a renderer that fails renders nothing, and the client runs the command itself. */
    private Reply.Rendered render(Request.Render req, Peer peer, ControlServer.ReplyStream out) {
        try {
            return daemon.renderer().render(req, new InProcess(this, peer, out));
        } catch (RuntimeException | StackOverflowError e) {
            return Reply.Rendered.notTaken();
        }
    }
}
