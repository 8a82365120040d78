package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.Verb;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.units.Unit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction verbs ({@code start}, {@code stop}, {@code restart}, {@code try-restart},
 * {@code reload}, {@code isolate}) and the final actions ({@code poweroff}, {@code reboot},
 * {@code halt}): a request becomes one submitted transaction, answered when its jobs have ended
 * (or at once with {@code no-block}) from the transaction's completion; no thread waits for it.
 */
final class Transactions {
    private final Context cx;

    Transactions(Context cx) { this.cx = cx; }

    /** The engine's verb for a transaction verb of the protocol. */
    static dev.svcmgr.graph.Request.Verb verbOf(Verb v) {
        return switch (v) {
            case START -> dev.svcmgr.graph.Request.Verb.START;
            case STOP -> dev.svcmgr.graph.Request.Verb.STOP;
            case RESTART -> dev.svcmgr.graph.Request.Verb.RESTART;
            case TRY_RESTART -> dev.svcmgr.graph.Request.Verb.TRY_RESTART;
            case RELOAD -> dev.svcmgr.graph.Request.Verb.RELOAD;
            case ISOLATE -> dev.svcmgr.graph.Request.Verb.ISOLATE;
            case RELOAD_OR_RESTART -> dev.svcmgr.graph.Request.Verb.RELOAD_OR_RESTART;
            case TRY_RELOAD_OR_RESTART -> dev.svcmgr.graph.Request.Verb.TRY_RELOAD_OR_RESTART;
            default -> throw new IllegalArgumentException(v + " is not a transaction");
        };
    }

    /** The job mode a request names ({@code replace} when it names none). */
    static JobMode modeOf(String mode) {
        if (mode == null || mode.equals("replace")) return JobMode.REPLACE;
        if (mode.equals("fail")) return JobMode.FAIL;
        return JobMode.ISOLATE;
    }

    CompletableFuture<Reply> transaction(Request.Transaction req) throws InterruptedException {
        List<String> names = cx.expand(req.units());
        if (Context.matchedNothing(req.units(), names)) {
            // as systemctl: a pattern that matches no unit makes a request with nothing to do
            return CompletableFuture.completedFuture(new Reply.Done(true, List.of(), null, List.of(), null, null));
        }
        JobMode mode = modeOf(req.mode());
        dev.svcmgr.graph.Request.Verb v = verbOf(req.verb());
        Object submitted = cx.onLoop(() -> {
            List<String> canon = new ArrayList<>();
            for (String n : names) {
                String k = cx.known(n);
                if (k == null) return Context.noSuchUnit(n);
                canon.add(k);
            }
            if (v == dev.svcmgr.graph.Request.Verb.ISOLATE) {
                Unit t = cx.m().unit(canon.get(0));
                if (!t.allowIsolate()) {
                    return new Reply.Error(ErrorKind.REFUSED, canon.get(0) + " may not be isolated (it lacks allow-isolate: true)");
                }
            }
            if (cx.m().isStopping() && (v == dev.svcmgr.graph.Request.Verb.START || v == dev.svcmgr.graph.Request.Verb.RESTART
                    || v == dev.svcmgr.graph.Request.Verb.ISOLATE || v == dev.svcmgr.graph.Request.Verb.RELOAD_OR_RESTART)) {
                return new Reply.Error(ErrorKind.REFUSED, "refused: the system is shutting down");
            }
            return trySubmit(new dev.svcmgr.graph.Request(v, canon, mode, false));
        });
        return await(submitted, req.noBlock()).thenApply(done -> done instanceof Outcome o ? outcome(o) : (Reply) done);
    }

    /** On the loop: the transaction's future, or the rejection's reply. */
    Object trySubmit(dev.svcmgr.graph.Request r) {
        try {
            return cx.m().submit(r);
        } catch (Manager.Refused e) {
            return rejection(e.rejection());
        }
    }

    /** A reply to send at once, or the {@link Outcome} once the submitted transaction has finished; nothing waits for it. */
    static CompletableFuture<Object> await(Object submitted, boolean noBlock) {
        if (submitted instanceof Reply) return CompletableFuture.completedFuture(submitted);
        if (noBlock) return CompletableFuture.completedFuture(new Reply.Queued());
        @SuppressWarnings("unchecked") CompletableFuture<Outcome> f = (CompletableFuture<Outcome>) submitted;
        return f.handle((o, x) -> x != null
                ? new Reply.Error(ErrorKind.INTERNAL, "internal error: " + (x.getCause() != null ? x.getCause() : x)) : o);
    }

    static Reply.Error rejection(Rejection r) { return Reply.Error.rejected(r.error(), r.cycle()); }

    /** How the transaction ended: every job, what replaced it, the failures of units it did not name. */
    static Reply.Done outcome(Outcome o) {
        List<Reply.Done.Job> jobs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (JobRecord j : o.jobs()) {
            jobs.add(new Reply.Done.Job(j.unit(), j.type().word(), j.result() == null ? null : j.result().word(), j.detail(),
                    j.millis()));
            if (j.failed()) failures.add(j.type().word() + " " + j.unit() + ": " + j.result().word() + detail(j));
        }
        List<String> ignored = new ArrayList<>();
        for (JobRecord j : o.success() ? o.ignoredFailures() : List.<JobRecord>of()) {
            ignored.add(j.type().word() + " " + j.unit() + " failed: " + j.result().word() + detail(j) + "; ignored: wanted, not required");
        }
        String canceled = o.canceledBy() == null ? null : "replaced by " + o.canceledBy();
        if (canceled != null) return new Reply.Done(false, jobs, canceled, ignored, ErrorKind.CANCELED, "canceled: " + canceled);
        if (!o.success()) return new Reply.Done(false, jobs, null, ignored, ErrorKind.FAILED, String.join("; ", failures));
        return new Reply.Done(true, jobs, null, ignored, null, null);
    }

    private static String detail(JobRecord j) { return j.detail() == null ? "" : " (" + j.detail() + ")"; }

    /** {@code poweroff}, {@code reboot}, {@code halt}: answered first, then every unit stops and the daemon acts or exits. */
    void finalAction(Request.Power req, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        String verb = req.verb().word();
        out.send(new Reply.Power(verb, Daemon.isPid1()));
        out.drain(2_000);
        cx.daemon.shutdown(Daemon.isPid1() ? verb : null, verb + ".target");
    }
}
