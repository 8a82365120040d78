package dev.svcmgr.core.daemon;

import dev.svcmgr.core.loop.ThreadLoop;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every request handler needs: the daemon, a way onto the event loop, and unit names made
 * canonical and looked up. Handlers run on a control worker thread: every read or change of unit
 * state is posted to the loop, and the worker waits only for such short loop tasks; whatever takes
 * longer (a transaction, the boot, a stream) is answered later from a completion.
 *
 * <p>No request does much on the loop: names are looked up (template instances compiled) before
 * the loop is asked, the loop only copies state, in slices of at most {@link #LOOP_SLICE_MILLIS}
 * between which other work runs, and views and plans are rendered from those copies on the worker.
 */
final class Context {
    /** Longest the loop works on one slice of a request before other work gets its turn. */
    static final long LOOP_SLICE_MILLIS = 10;

    final Daemon daemon;

    Context(Daemon daemon) { this.daemon = daemon; }

    ThreadLoop loop() { return daemon.loop(); }

    Manager m() { return daemon.manager(); }

    /** Runs {@code f} on the loop and returns its value. */
    <T> T onLoop(Supplier<T> f) throws InterruptedException {
        CompletableFuture<T> c = onLoopAsync(f);
        try {
            return c.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code f} on the loop; the future completes there. */
    <T> CompletableFuture<T> onLoopAsync(Supplier<T> f) {
        CompletableFuture<T> c = new CompletableFuture<>();
        loop().execute(() -> {
            try {
                c.complete(f.get());
            } catch (Throwable t) {
                c.completeExceptionally(t);
            }
        });
        return c;
    }

    /**
     * Applies {@code f} to every item on the loop, a slice of at most {@link #LOOP_SLICE_MILLIS}
     * at a time (other loop work runs between slices), and returns the results in order.
     */
    <A, B> List<B> onLoopSliced(List<A> items, Function<A, B> f) throws InterruptedException {
        List<B> out = new ArrayList<>(items.size());
        CompletableFuture<List<B>> done = new CompletableFuture<>();
        Runnable[] slice = new Runnable[1];
        slice[0] = () -> {
            try {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_SLICE_MILLIS);
                while (out.size() < items.size()) {
                    out.add(f.apply(items.get(out.size())));
                    if (System.nanoTime() - end >= 0) break;
                }
                if (out.size() < items.size()) loop().execute(slice[0]);
                else done.complete(out);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        };
        loop().execute(slice[0]);
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Answers the request when {@code reply} completes (from that thread), then closes the connection. */
    static void replyLater(ControlServer.ReplyStream out, CompletableFuture<? extends Reply> reply) {
        out.detach(false);
        reply.whenComplete((r, x) -> {
            try {
                Throwable cause = x instanceof CompletionException && x.getCause() != null ? x.getCause() : x;
                if (cause instanceof BadRequest b) out.send(new Reply.Error(ErrorKind.BAD_REQUEST, "bad request: " + b.getMessage()));
                else out.send(cause != null ? new Reply.Error(ErrorKind.INTERNAL, "internal error: " + cause) : r);
            } catch (IOException gone) {
                // the client left before its answer
            } finally {
                out.finish();
            }
        });
    }

    // ------------------------------------------------------------ names

    /** {@code redis} means {@code redis.service}; a name that cannot be a unit's is a bad request. */
    static List<String> canonical(List<String> raw) {
        List<String> out = new ArrayList<>(raw.size());
        for (String r : raw) out.add(canonical(r));
        return out;
    }

    /**
     * {@link #canonical(List)} with glob patterns ({@code 'worker@*'}, cli.md "More commands")
     * expanded against the units known now, loaded or still running (each name once, sorted per
     * pattern); a pattern that matches nothing adds nothing.
     */
    List<String> expand(List<String> raw) throws InterruptedException {
        if (raw.stream().noneMatch(UnitNames::isGlob)) return canonical(raw);
        List<String> known = onLoop(() -> m().unitNames());
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String r : raw) {
            if (!UnitNames.isGlob(r)) {
                out.add(canonical(r));
                continue;
            }
            for (String n : known) if (UnitNames.matches(r, n)) out.add(n);
        }
        return new ArrayList<>(out);
    }

    /** True when every name asked for is a pattern and none matched: the request names no unit at all. */
    static boolean matchedNothing(List<String> raw, List<String> expanded) {
        return !raw.isEmpty() && expanded.isEmpty();
    }

    static String canonical(String raw) {
        String n = UnitNames.fromUser(raw);
        String why = UnitNames.problem(n);
        if (why != null) throw new BadRequest(why);
        return n;
    }

    /**
     * Names looked up in the unit set of the moment, off the loop (making a template instance
     * compiles its template); only for the request at hand, so an unknown name costs nothing
     * once the request ends.
     */
    record Looked(UnitSet set, Map<String, Unit> units) {
        /** On the loop: the definition of {@code name}, from this lookup while the unit set is still the same. */
        Unit get(Manager m, String name) {
            return m.units() == set ? units.get(name) : m.units().lookup(name);
        }
    }

    Looked lookUp(List<String> names) throws InterruptedException {
        UnitSet set = onLoop(() -> m().units());
        Map<String, Unit> found = new HashMap<>();
        for (String n : names) found.put(n, set.lookup(n));
        return new Looked(set, found);
    }

    /** On the loop: the canonical name, or null when no unit has that name. */
    String known(String name, Looked l) {
        Unit u = l.get(m(), name);
        if (u != null && u.load() != LoadState.NOT_FOUND) return u.name();
        if (m().driver(name) != null) return name;
        return null;
    }

    /** On the loop: the canonical name, or null when no unit has that name. */
    String known(String name) {
        Unit u = m().units().lookup(name);
        if (u != null && u.load() != LoadState.NOT_FOUND) return u.name();
        if (m().driver(name) != null) return name;
        return null;
    }

    static Reply.Error noSuchUnit(String name) {
        if (UnitNames.isTemplate(name)) {
            return Reply.Error.notFound(name, name + " is a template: name an instance, like " + name.replace("@.", "@NAME."));
        }
        return Reply.Error.notFound(name, "unit " + name + " not found");
    }
}
