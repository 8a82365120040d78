package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.Event;
import dev.svcmgr.core.engine.EventLoop;
import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Manager;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Verb;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.Values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns control-socket requests into manager calls (docs/protocol.md). Runs on a control
 * worker thread: every read or change of unit state is posted to the event loop, and the
 * worker waits only for such short loop tasks. Whatever takes longer (a transaction, the boot,
 * a stream) is answered later from a completion, never by a waiting thread.
 *
 * <p>No request does much on the loop: names are looked up (template instances compiled)
 * before the loop is asked, the loop only copies state, in slices of at most {@link
 * #LOOP_SLICE_MILLIS} between which other work runs, and views and plans are rendered from
 * those copies on the worker. A request names at most {@link #MAX_NAMES} units.
 */
final class Dispatcher implements ControlServer.Handler {
    /** Most unit names one request may carry. */
    static final int MAX_NAMES = 4096;
    /** Longest the loop works on one slice of a request before other work gets its turn. */
    static final long LOOP_SLICE_MILLIS = 10;
    /** Events that may arrive while a stream sends its backlog; more cut the client off. */
    static final int STREAM_BACKLOG_EVENTS = 50_000;

    private final Daemon daemon;

    /** Identifies this image of the daemon: a re-executed daemon keeps its PID, not this. */
    static final long IMAGE = new java.util.Random().nextLong() & Long.MAX_VALUE;

    Dispatcher(Daemon daemon) { this.daemon = daemon; }

    private EventLoop loop() { return daemon.loop(); }

    private Manager m() { return daemon.manager(); }

    /** Runs {@code f} on the loop and returns its value. */
    private <T> T onLoop(Supplier<T> f) throws InterruptedException {
        CompletableFuture<T> c = onLoopAsync(f);
        try {
            return c.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code f} on the loop; the future completes there. */
    private <T> CompletableFuture<T> onLoopAsync(Supplier<T> f) {
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
    private <A, B> List<B> onLoopSliced(List<A> items, java.util.function.Function<A, B> f) throws InterruptedException {
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
    private static void replyLater(ControlServer.ReplyStream out, CompletableFuture<Map<String, Object>> reply) {
        out.detach(false);
        reply.whenComplete((r, x) -> {
            try {
                Throwable cause = x instanceof java.util.concurrent.CompletionException && x.getCause() != null ? x.getCause() : x;
                if (cause instanceof BadRequest b) out.send(Replies.error(ErrorKind.BAD_REQUEST, "bad request: " + b.getMessage()));
                else out.send(cause != null ? Replies.error(ErrorKind.INTERNAL, "internal error: " + cause) : r);
            } catch (IOException gone) {
                // the client left before its answer
            } finally {
                out.finish();
            }
        });
    }

    @Override
    public void handle(Verb verb, Map<String, Object> req, Peer peer, ControlServer.ReplyStream out)
            throws IOException, InterruptedException {
        switch (verb) {
            case PING -> out.send(Replies.ok(Map.of("version", "0.1.0", "pid", ProcessHandle.current().pid(),
                    "image", IMAGE)));
            case DEBUG_FAULT -> out.send(injectFault(req));
            case DAEMON_REEXEC -> {
                out.send(Replies.ok(Map.of("pid", ProcessHandle.current().pid(), "image", IMAGE)));
                out.drain(2_000); // the reply reaches the client before the socket goes with the old image
                String failed = daemon.reexec("daemon-reexec requested");
                if (failed != null) out.send(Replies.error(ErrorKind.FAILED, "re-execution failed: " + failed));
            }
            case UNITS -> out.send(withoutUnreadableContent(units(req), peer));
            case SYSTEM -> replyLater(out, system(req));
            case START, STOP, RESTART, TRY_RESTART, RELOAD, ISOLATE -> replyLater(out, transaction(verb.word(), req));
            case POWEROFF, REBOOT, HALT -> finalAction(verb.word(), out);
            case ENABLE, DISABLE, MASK, UNMASK -> out.send(choice(verb.word(), req));
            case DAEMON_RELOAD -> out.send(daemonReload());
            case RESET_FAILED -> {
                List<String> names = names(req, false);
                out.send(onLoop(() -> {
                    m().resetFailed(names);
                    return Replies.ok();
                }));
            }
            case KILL -> out.send(kill(req));
            case EVENTS -> events(req, out);
            case LOGS -> logs(req, peer, out);
            case PLAN -> out.send(plan(req));
            case WHY -> out.send(why(req));
            case STATE -> out.send(state());
            case RUN -> replyLater(out, run(req));
            case ANALYZE -> out.send(onLoop(() -> Replies.ok(Map.of("transitions", Views.transitions(m())))));
        }
    }

    // ------------------------------------------------------------ arguments

    static List<String> strings(Map<String, Object> req, String key) {
        Object o = req.get(key);
        if (o == null) return List.of();
        if (!(o instanceof List<?> l)) throw new BadRequest("\"" + key + "\" must be a list of strings");
        List<String> out = new ArrayList<>();
        for (Object x : l) {
            if (!(x instanceof String s)) throw new BadRequest("\"" + key + "\" must be a list of strings");
            out.add(s);
        }
        return out;
    }

    static boolean flag(Map<String, Object> req, String key) {
        Object o = req.get(key);
        if (o == null) return false;
        if (!(o instanceof Boolean b)) throw new BadRequest("\"" + key + "\" must be true or false");
        return b;
    }

    static String string(Map<String, Object> req, String key) {
        Object o = req.get(key);
        if (o == null) return null;
        if (!(o instanceof String s)) throw new BadRequest("\"" + key + "\" must be a string");
        return s;
    }

    static long number(Map<String, Object> req, String key, long dflt) {
        Object o = req.get(key);
        if (o == null) return dflt;
        if (!(o instanceof Long n)) throw new BadRequest("\"" + key + "\" must be a whole number");
        return n;
    }

    /** Unit names from {@code "units"}, made full ({@code redis} means {@code redis.service}) and checked. */
    private List<String> names(Map<String, Object> req, boolean required) {
        List<String> raw = strings(req, "units");
        if (required && raw.isEmpty()) throw new BadRequest("\"units\" must name at least one unit");
        if (raw.size() > MAX_NAMES) {
            throw new BadRequest("too many units in one request: " + raw.size() + " (at most " + MAX_NAMES
                    + "); ask in several requests");
        }
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            String n = UnitNames.fromUser(r);
            String why = UnitNames.problem(n);
            if (why != null) throw new BadRequest(why);
            out.add(n);
        }
        return out;
    }

    /**
     * Names looked up in the unit set of the moment, off the loop (making a template instance
     * compiles its template); only for the request at hand, so an unknown name costs nothing
     * once the request ends.
     */
    private record Looked(UnitSet set, Map<String, Unit> units) {
        /** On the loop: the definition of {@code name}, from this lookup while the unit set is still the same. */
        Unit get(Manager m, String name) {
            return m.units() == set ? units.get(name) : m.units().lookup(name);
        }
    }

    private Looked lookUp(List<String> names) throws InterruptedException {
        UnitSet set = onLoop(() -> m().units());
        Map<String, Unit> found = new HashMap<>();
        for (String n : names) found.put(n, set.lookup(n));
        return new Looked(set, found);
    }

    /** On the loop: the canonical name, or null when no unit has that name. */
    private String known(String name, Looked l) {
        Unit u = l.get(m(), name);
        if (u != null && u.load() != LoadState.NOT_FOUND) return u.name();
        if (m().driver(name) != null) return name;
        return null;
    }

    /** The canonical name, or null when no unit has that name. */
    private String known(String name) {
        Unit u = m().units().lookup(name);
        if (u != null && u.load() != LoadState.NOT_FOUND) return u.name();
        if (m().driver(name) != null) return name;
        return null;
    }

    private Map<String, Object> noSuchUnit(String name) {
        if (UnitNames.isTemplate(name)) {
            return Replies.error(ErrorKind.NOT_FOUND, name + " is a template: name an instance, like "
                    + name.replace("@.", "@NAME."));
        }
        return Replies.error(ErrorKind.NOT_FOUND, "unit " + name + " not found");
    }

    // ------------------------------------------------------------ reads

    /** A unit's captured state, or the stand-in for a name no unit has. */
    private record Row(Views.Captured unit, String missing) {}

    private Map<String, Object> units(Map<String, Object> req) throws InterruptedException {
        List<String> names = names(req, false);
        boolean all = flag(req, "all");
        List<Row> rows;
        if (names.isEmpty()) {
            List<String> every = onLoop(() -> m().unitNames());
            rows = onLoopSliced(every, n -> new Row(Views.capture(m(), daemon.choices(), n, null, false), null));
        } else {
            Looked l = lookUp(names);
            rows = onLoopSliced(names, n -> {
                String k = known(n, l);
                return k == null ? new Row(null, n) : new Row(Views.capture(m(), daemon.choices(), k, l.get(m(), n), true), null);
            });
        }
        java.time.Instant loadedAt = daemon.loadedAt();
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            if (r.missing() != null) {
                Map<String, Object> missing = new LinkedHashMap<>();
                missing.put("unit", r.missing());
                missing.put("load", "not-found");
                missing.put("active", "inactive");
                missing.put("sub", "dead");
                missing.put("result", null);
                missing.put("main-pid", null);
                missing.put("since", null);
                missing.put("description", "");
                missing.put("fragment-path", null);
                missing.put("enabled", "not-found");
                list.add(missing);
                continue;
            }
            Map<String, Object> info = Views.render(r.unit(), loadedAt);
            if (!names.isEmpty() || all || !"inactive".equals(info.get("active")) || !"loaded".equals(info.get("load"))) {
                list.add(info);
            }
        }
        return Replies.ok(Map.of("units", list));
    }

    private CompletableFuture<Map<String, Object>> system(Map<String, Object> req) {
        boolean wait = flag(req, "wait");
        Supplier<Map<String, Object>> now = () -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("state", m().systemState());
            r.put("failed", m().failedUnits());
            r.put("jobs", m().jobCount());
            return Replies.ok(r);
        };
        if (!wait) return onLoopAsync(now);
        // the boot transaction may take minutes: nothing waits for it but this future
        return onLoopAsync(() -> m().bootDone())
                .thenCompose(boot -> boot.handle((o, x) -> null))
                .thenCompose(ended -> onLoopAsync(now));
    }

    private Map<String, Object> state() throws InterruptedException {
        return onLoop(() -> {
            Map<String, Object> states = new LinkedHashMap<>();
            for (String n : m().unitNames()) states.put(n, m().snapshot(n).active().word());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("states", states);
            List<String> dirs = new ArrayList<>();
            for (Path p : daemon.options().unitDirs()) dirs.add(p.toAbsolutePath().toString());
            r.put("dirs", dirs);
            r.put("masked", new ArrayList<>(new TreeSet<>(m().masked())));
            r.put("disabled", new ArrayList<>(new TreeSet<>(m().disabled())));
            return Replies.ok(r);
        });
    }

    private Map<String, Object> why(Map<String, Object> req) throws InterruptedException {
        List<String> names = names(req, true);
        String name = names.get(0);
        Looked l = lookUp(List.of(name));
        return onLoop(() -> {
            String k = known(name, l);
            if (k == null) return noSuchUnit(name);
            return Replies.ok(Views.why(m(), k));
        });
    }

    // ------------------------------------------------------------ transactions

    private static Request.Verb verbOf(String verb) {
        return switch (verb) {
            case "start" -> Request.Verb.START;
            case "stop" -> Request.Verb.STOP;
            case "restart" -> Request.Verb.RESTART;
            case "try-restart" -> Request.Verb.TRY_RESTART;
            case "reload" -> Request.Verb.RELOAD;
            case "isolate" -> Request.Verb.ISOLATE;
            default -> throw new BadRequest("unknown transaction verb " + verb);
        };
    }

    private static JobMode modeOf(Map<String, Object> req) {
        String mode = string(req, "mode");
        if (mode == null || mode.equals("replace")) return JobMode.REPLACE;
        if (mode.equals("fail")) return JobMode.FAIL;
        if (mode.equals("isolate")) return JobMode.ISOLATE;
        throw new BadRequest("\"mode\" must be replace, fail or isolate, not " + mode);
    }

    private CompletableFuture<Map<String, Object>> transaction(String verb, Map<String, Object> req) throws InterruptedException {
        List<String> names = names(req, true);
        JobMode mode = modeOf(req);
        boolean noBlock = flag(req, "no-block");
        Request.Verb v = verbOf(verb);
        if (v == Request.Verb.ISOLATE && names.size() != 1) {
            throw new BadRequest("isolate takes exactly one target");
        }
        Object submitted = onLoop(() -> {
            List<String> canon = new ArrayList<>();
            for (String n : names) {
                String k = known(n);
                if (k == null) return noSuchUnit(n);
                canon.add(k);
            }
            if (v == Request.Verb.ISOLATE) {
                Unit t = m().unit(canon.get(0));
                if (!t.allowIsolate()) {
                    return Replies.error(ErrorKind.REFUSED, canon.get(0) + " may not be isolated (it lacks allow-isolate: true)");
                }
            }
            if (m().isStopping() && (v == Request.Verb.START || v == Request.Verb.RESTART || v == Request.Verb.ISOLATE)) {
                return Replies.error(ErrorKind.REFUSED, "refused: the system is shutting down");
            }
            return trySubmit(new Request(v, canon, mode, false));
        });
        return await(submitted, noBlock).thenApply(done -> done instanceof Outcome o ? outcome(o) : asReply(done));
    }

    /** On the loop: the transaction's future, or the rejection's reply. */
    private Object trySubmit(Request r) {
        try {
            return m().submit(r);
        } catch (Manager.Refused e) {
            return rejection(e.rejection());
        }
    }

    /** A reply to send at once (a map), or the {@link Outcome} once the submitted transaction has finished; nothing waits for it. */
    private static CompletableFuture<Object> await(Object submitted, boolean noBlock) {
        if (submitted instanceof Map<?, ?>) return CompletableFuture.completedFuture(submitted);
        if (noBlock) return CompletableFuture.completedFuture(Replies.ok(Map.of("queued", true)));
        @SuppressWarnings("unchecked") CompletableFuture<Outcome> f = (CompletableFuture<Outcome>) submitted;
        return f.handle((o, x) -> x != null ? Replies.error(ErrorKind.INTERNAL, "internal error: " + (x.getCause() != null ? x.getCause() : x)) : o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asReply(Object o) { return (Map<String, Object>) o; }

    static Map<String, Object> rejection(Rejection r) {
        Map<String, Object> e = Replies.error(ErrorKind.REJECTED, r.error());
        e.put("cycle", r.cycle());
        return e;
    }

    static Map<String, Object> outcome(Outcome o) {
        List<Object> jobs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (JobRecord j : o.jobs()) {
            Map<String, Object> jm = new LinkedHashMap<>();
            jm.put("unit", j.unit());
            jm.put("job", j.type().word());
            jm.put("result", j.result() == null ? null : j.result().word());
            jm.put("detail", j.detail());
            jm.put("ms", j.millis());
            jobs.add(jm);
            if (j.failed()) {
                failures.add(j.type().word() + " " + j.unit() + ": " + j.result().word()
                        + (j.detail() == null ? "" : " (" + j.detail() + ")"));
            }
        }
        List<String> ignored = new ArrayList<>();
        for (JobRecord j : o.success() ? o.ignoredFailures() : List.<JobRecord>of()) {
            ignored.add(j.type().word() + " " + j.unit() + " failed: " + j.result().word()
                    + (j.detail() == null ? "" : " (" + j.detail() + ")") + "; ignored: wanted, not required");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", o.success());
        r.put("exit", o.success() ? 0 : 1);
        r.put("jobs", jobs);
        r.put("canceled", o.canceledBy() == null ? null : "replaced by " + o.canceledBy());
        r.put("ignored-failures", ignored);
        if (o.canceledBy() != null) {
            r.put("error", "canceled: replaced by " + o.canceledBy());
            r.put("error-kind", ErrorKind.CANCELED.word());
        } else if (!o.success()) {
            r.put("error", String.join("; ", failures));
            r.put("error-kind", ErrorKind.FAILED.word());
        }
        return r;
    }

    private Map<String, Object> plan(Map<String, Object> req) throws InterruptedException {
        String verb = string(req, "plan-verb");
        if (verb == null) throw new BadRequest("\"plan-verb\" must be start, stop, restart or isolate");
        Request.Verb v = verbOf(verb);
        List<String> names = names(req, true);
        Looked l = lookUp(names);
        Object input = onLoop(() -> {
            List<String> canon = new ArrayList<>();
            for (String n : names) {
                String k = known(n, l);
                if (k == null) return noSuchUnit(n);
                canon.add(k);
            }
            return new Object[] {canon, m().planInput()};
        });
        if (input instanceof Map<?, ?>) return asReply(input);
        Object[] in = (Object[]) input;
        @SuppressWarnings("unchecked") List<String> canon = (List<String>) in[0];
        // resolved here, off the loop, against the copy: the manager's unit set is not changed
        Resolution r = ((Manager.PlanInput) in[1]).plan(new Request(v, canon, JobMode.REPLACE, false));
        {
            if (r instanceof Rejection rej) return rejection(rej);
            List<Object> jobs = new ArrayList<>();
            for (Job j : ((Plan) r).jobs()) {
                Map<String, Object> jm = new LinkedHashMap<>();
                jm.put("unit", j.unit());
                jm.put("job", j.type().word());
                jm.put("wave", j.wave());
                jm.put("reason", j.reason());
                jobs.add(jm);
            }
            return Replies.ok(Map.of("jobs", jobs));
        }
    }

    private final java.util.concurrent.atomic.AtomicLong transientCount = new java.util.concurrent.atomic.AtomicLong();

    /** {@code run-PID-N.service} with the first N no unit has (a re-executed daemon keeps its PID and its transients). */
    private String freshTransientName() throws InterruptedException {
        while (true) {
            String n = "run-" + ProcessHandle.current().pid() + "-" + transientCount.incrementAndGet() + ".service";
            if (onLoop(() -> known(n) == null)) return n;
        }
    }

    /** {@code run}: a transient service from a command line and properties, supervised like any other. */
    private CompletableFuture<Map<String, Object>> run(Map<String, Object> req) throws InterruptedException, IOException {
        List<String> argv = strings(req, "argv");
        if (argv.isEmpty()) throw new BadRequest("\"argv\" must name the command to run");
        boolean oneshot = flag(req, "oneshot");
        Object props = req.get("properties");
        if (props != null && !(props instanceof Map)) throw new BadRequest("\"properties\" must be an object");
        String given = string(req, "unit");
        String name = given == null ? freshTransientName() : UnitNames.fromUser(given);
        String why = UnitNames.problem(name);
        if (why != null) throw new BadRequest(why);
        if (!name.endsWith(".service")) throw new BadRequest("a transient unit must be a service, not " + name);
        StringBuilder yaml = new StringBuilder();
        yaml.append("description: ").append(dev.svcmgr.core.json.Json.write("transient: " + String.join(" ", argv))).append('\n');
        yaml.append("exec: ").append(dev.svcmgr.core.json.Json.write(argv)).append('\n');
        if (oneshot) yaml.append("type: oneshot\n");
        if (props instanceof Map<?, ?> pm) {
            for (Map.Entry<?, ?> e : pm.entrySet()) {
                if (!(e.getValue() instanceof String v)) throw new BadRequest("property " + e.getKey() + " must be a string");
                if (v.contains("\n") || String.valueOf(e.getKey()).contains(":")) {
                    throw new BadRequest("property " + e.getKey() + " must be KEY=VALUE on one line");
                }
                yaml.append(e.getKey()).append(": ").append(v).append('\n');
            }
        }
        // transient/ is the daemon's alone (0700, files 0600): nobody else can plant a drop-in or a file for a
        // predictable run-PID-N name, and each file is written through a fresh temporary file, never a symlink
        java.nio.file.Path dir = daemon.options().runtimeDir().resolve("transient");
        dev.svcmgr.core.os.SecureFiles.privateSubdir(dir, dev.svcmgr.core.os.SecureFiles.PRIVATE_DIR);
        java.nio.file.Path file = dir.resolve(name + ".yaml");
        dev.svcmgr.core.os.SecureFiles.writeAtomically(file, yaml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dev.svcmgr.core.os.SecureFiles.PRIVATE_FILE, false);
        dev.svcmgr.units.UnitSet loaded = dev.svcmgr.units.load.UnitLoader.load(List.of(dir), dev.svcmgr.core.os.UnitFiles.READER);
        Unit u = loaded.lookup(name);
        List<String> errors = new ArrayList<>();
        for (Problem p : loaded.problems()) {
            if (name.equals(p.unit()) && p.severity() == dev.svcmgr.units.Severity.ERROR) errors.add(p.message());
        }
        if (u == null || !errors.isEmpty()) {
            java.nio.file.Files.deleteIfExists(file);
            return CompletableFuture.completedFuture(
                    Replies.error(ErrorKind.BAD_REQUEST,
                            "bad transient unit: " + (errors.isEmpty() ? "could not be made" : String.join("; ", errors))));
        }
        Object submitted = onLoop(() -> {
            if (known(name) != null && !m().isTransient(name)) return Replies.error(ErrorKind.REFUSED, "unit " + name + " exists already");
            if (m().isTransient(name)) return Replies.error(ErrorKind.REFUSED, "transient unit " + name + " is still running");
            // the file stays while the unit runs: a restarted manager re-adopts the unit from it
            m().addTransient(u);
            return trySubmit(new Request(Request.Verb.START, List.of(name), JobMode.REPLACE, false));
        });
        return await(submitted, false).thenApply(done -> done instanceof Outcome o ? ranReply(o, name, oneshot) : asReply(done));
    }

    private static Map<String, Object> ranReply(Outcome o, String name, boolean oneshot) {
        Map<String, Object> r = outcome(o);
        r.put("unit", name);
        JobRecord job = o.jobs().isEmpty() ? null : o.jobs().get(0);
        int status = 0;
        if (job != null && job.result() != null && job.result().isFailure()) {
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("status (\\d+)").matcher(String.valueOf(job.detail()));
            status = mt.find() ? Integer.parseInt(mt.group(1)) : 1;
        }
        r.put("status", status);
        if (oneshot) r.put("exit", status);
        return r;
    }

    private void finalAction(String verb, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        String target = verb + ".target";
        out.send(Replies.ok(Map.of("action", verb, "pid1", Daemon.isPid1())));
        out.drain(2_000);
        daemon.shutdown(Daemon.isPid1() ? verb : null, target);
    }

    // ------------------------------------------------------------ changes

    private Map<String, Object> choice(String verb, Map<String, Object> req) throws InterruptedException {
        List<String> names = names(req, true);
        return onLoop(() -> {
            List<String> changed = new ArrayList<>();
            try {
                for (String n : names) {
                    String k = known(n);
                    if (k == null && !verb.equals("unmask")) return noSuchUnit(n);
                    String name = k == null ? n : k;
                    boolean c = switch (verb) {
                        case "enable" -> daemon.choices().setDisabled(name, false);
                        case "disable" -> daemon.choices().setDisabled(name, true);
                        case "mask" -> daemon.choices().setMasked(name, true);
                        default -> daemon.choices().setMasked(name, false);
                    };
                    if (c) changed.add(name);
                }
            } catch (IOException e) {
                return Replies.error(ErrorKind.FAILED, "cannot save choices: " + e.getMessage());
            }
            m().setDisabled(daemon.choices().disabled());
            m().setMasked(daemon.choices().masked());
            return Replies.ok(Map.of("changed", changed));
        });
    }

    /**
     * Fault injection for the fault tests, only when the daemon runs with {@code SVCMGR_FAULT_INJECTION=1}:
     * {@code what: loop-error} throws an OutOfMemoryError on the event loop, {@code thread-error} an
     * InternalError on a new thread; the daemon must recover as docs/DESIGN.md says.
     */
    private Map<String, Object> injectFault(Map<String, Object> req) throws BadRequest {
        if (!"1".equals(System.getenv("SVCMGR_FAULT_INJECTION"))) {
            return Replies.error(ErrorKind.REFUSED, "fault injection is off (the daemon runs without SVCMGR_FAULT_INJECTION=1)");
        }
        Object what = req.get("what");
        if ("loop-error".equals(what)) {
            loop().execute(() -> { throw new OutOfMemoryError("injected by debug-fault"); });
        } else if ("thread-error".equals(what)) {
            new Thread(() -> { throw new InternalError("injected by debug-fault"); }, "svcmgr-fault").start();
        } else {
            throw new BadRequest("what must be loop-error or thread-error");
        }
        return Replies.ok();
    }

    /** Waits for the reload: the files are read off the loop, the new set swapped in on it. */
    private Map<String, Object> daemonReload() throws InterruptedException {
        List<Problem> problems;
        try {
            problems = daemon.reloadUnits().get();
        } catch (ExecutionException e) {
            return Replies.error(ErrorKind.FAILED, "daemon-reload failed: " + e.getCause());
        }
        List<String> lines = new ArrayList<>();
        for (Problem p : problems) lines.add(p.format());
        return Replies.ok(Map.of("problems", lines));
    }

    // ------------------------------------------------------------ who may read what (docs/security.md)

    /**
     * A {@code units} reply as {@code peer} may see it: a problem that quotes a unit file the peer
     * could not read shows only its location and kind ({@link ReadAccess#problem}). Off the loop.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> withoutUnreadableContent(Map<String, Object> reply, Peer peer) throws InterruptedException {
        if (peer.privileged() || !(reply.get("units") instanceof List<?> list)) return reply;
        dev.svcmgr.units.UnitSet set = null;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> info) || !(info.get("problems") instanceof List<?> shown) || shown.isEmpty()) continue;
            if (set == null) set = onLoop(() -> m().units());
            Unit u = set.lookup(String.valueOf(info.get("unit")));
            if (u == null || u.problems().size() != shown.size()) {
                // the definition changed between rendering and filtering (a daemon-reload): fail closed
                ((Map<String, Object>) info).put("problems",
                        List.of("the unit's problems changed while they were read (daemon-reload); ask again"));
                continue;
            }
            if (u.problems().stream().noneMatch(p -> p.kind() != null)) continue;
            List<String> lines = new ArrayList<>();
            for (Problem p : u.problems()) lines.add(daemon.access().problem(peer, p));
            ((Map<String, Object>) info).put("problems", lines);
        }
        return reply;
    }

    /**
     * True when {@code peer} may read {@code unit}'s logs: root, the daemon's user, the user the unit
     * runs as, or a member of the log group ({@link ReadAccess#mayReadLogs}); otherwise the refusal
     * is sent.
     */
    private boolean mayReadLogs(Peer peer, String unit, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        if (peer.privileged()) return true;
        String[] user = onLoop(() -> {
            Unit u = m().unit(unit);
            return new String[] {u == null || u.service() == null ? null : u.service().user()};
        });
        if (daemon.access().mayReadLogs(peer, user[0])) return true;
        out.send(Replies.error(ErrorKind.DENIED, daemon.access().logsDenied(unit)));
        return false;
    }

    private Map<String, Object> kill(Map<String, Object> req) throws InterruptedException {
        List<String> names = names(req, true);
        String sig = string(req, "signal");
        int signal;
        try {
            signal = sig == null ? 15 : Values.parseSignal(sig);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return onLoop(() -> {
            List<String> none = new ArrayList<>();
            for (String n : names) {
                String k = known(n);
                if (k == null) return noSuchUnit(n);
                if (!m().kill(k, signal)) none.add(k);
            }
            if (!none.isEmpty()) return Replies.error(ErrorKind.FAILED, "no process to signal in " + String.join(", ", none));
            return Replies.ok();
        });
    }

    // ------------------------------------------------------------ streams

    /** One event as a JSON line, made once however many clients follow the stream (loop thread only). */
    private Event lastEvent;
    private String lastEventJson;

    private String eventJson(Event e) {
        if (e != lastEvent) {
            lastEventJson = Json.write(Map.of("event", Views.event(e)));
            lastEvent = e;
        }
        return lastEventJson;
    }

    /**
     * {@code events}: no thread waits for events. The loop hands each event to the connection's
     * queue, which cuts off a client that falls {@link ControlServer#STREAM_BACKLOG} bytes
     * behind; keepalives come from the control server's selector.
     */
    private void events(Map<String, Object> req, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        long since = number(req, "since", -1);
        boolean follow = !req.containsKey("follow") || flag(req, "follow");
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
                if (!ok) m().events().unsubscribe(this);
            }
        };
        Object[] head = onLoop(() -> {
            var log = m().events();
            List<Event> backlog = since < 0 ? List.of() : log.after(since);
            long lost = since < 0 ? 0 : Math.max(0, log.firstRetained() - since - 1);
            if (follow) log.subscribe(sub);
            return new Object[] {backlog, lost};
        });
        if (follow) {
            out.detach(true);
            out.onClose(() -> loop().execute(() -> m().events().unsubscribe(sub)));
        }
        @SuppressWarnings("unchecked") List<Event> backlog = (List<Event>) head[0];
        long lost = (Long) head[1];
        out.send(Replies.ok(Map.of("stream", "events", "lost", lost)));
        for (Event e : backlog) out.send(Map.of("event", Views.event(e)));
        if (!follow) {
            out.send(Map.of("end", true));
            return;
        }
        synchronized (gate) {
            if (early.size() > STREAM_BACKLOG_EVENTS) {
                out.stream(Replies.error(ErrorKind.LIMIT, "client too slow: more than " + STREAM_BACKLOG_EVENTS + " events behind"));
                out.finish();
                return;
            }
            for (String json : early) out.streamJson(json);
            early.clear();
            live[0] = true;
        }
    }

    private void logs(Map<String, Object> req, Peer peer, ControlServer.ReplyStream out) throws IOException, InterruptedException {
        List<String> names = names(req, true);
        String name = names.get(0);
        int n = (int) Math.max(0, Math.min(Integer.MAX_VALUE, number(req, "lines", 10)));
        boolean follow = flag(req, "follow");
        Looked l = lookUp(List.of(name));
        String k = onLoop(() -> known(name, l));
        if (k == null) {
            out.send(noSuchUnit(name));
            return;
        }
        if (!mayReadLogs(peer, k, out)) return;
        // a log that could not be written is said so, never shown as merely empty
        String warning = onLoop(() -> m().driver(k) instanceof Supervisors.Driver d ? d.supervisor().logProblem() : null);
        Logs.stream(daemon.options().logDir(), k, n, follow, warning, out);
    }
}
