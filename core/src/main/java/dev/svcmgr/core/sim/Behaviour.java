package dev.svcmgr.core.sim;

import dev.svcmgr.core.os.Signals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one simulated process does, on the loop's clock, counted from its spawn. Immutable: each
 * method returns a changed copy. A process either fails to spawn, or runs and ends one way: it
 * exits with a code or dies by a signal after a while ({@link #after}), or runs until a signal
 * ends it. On the way it may become ready, send sd_notify messages, leave children.
 *
 * <pre>
 * Behaviour.exits(1).after(ms(50))                    // exited with status 1 after 50 ms
 * Behaviour.runs().readyAfter(Duration.ofSeconds(40)) // slow: ready after 40 s (whatever its readiness protocol)
 * Behaviour.runs()                                    // never ready on its own (a notify/fd/... service that hangs)
 * Behaviour.runs().ignoring(Signals.SIGTERM)          // only SIGKILL ends it
 * Behaviour.spawnFails("executing command", "No such file or directory", "/usr/bin/db")
 * Behaviour.forks(Behaviour.runs()).after(ms(10))     // a forking daemon: the parent exits 0, its child goes on
 * </pre>
 *
 * <p>A chain starts with a factory ({@link #runs}, {@link #exits}, {@link #killedBy}, {@link #oomKilled},
 * {@link #forks}, {@link #spawnFails}); the other methods add to it ({@code exits(0).after(d).ready()}).
 * A factory called on an instance starts a new chain (Java allows it): {@code runs().exits(0)} is just
 * {@code exits(0)}.
 *
 * <p>Signals: SIGKILL ends the process (unless it is in {@link #ignoring}: uninterruptible sleep); a
 * signal in {@link #ignoring} does nothing; one given
 * to {@link #onSignal} starts that reaction (exit with a code after a delay); SIGCONT, SIGCHLD,
 * SIGURG, SIGWINCH and 0 do nothing (their default action); any other signal ends it ("killed by
 * signal").
 */
public final class Behaviour {
    /** How a spawn fails: {@code Stage: stage / Error: error (subject)}; subject may be null. */
    public record SpawnFailure(String stage, String error, String subject) {}

    /** A reaction to a signal: exit with {@code code} after {@code after}. */
    public record Reaction(Duration after, int code) {}

    /** An sd_notify datagram the process sends {@code at} after its spawn ({@code KEY=value} lines). */
    public record Message(Duration at, String text) {}

    /** How it ends when nothing stops it first. */
    enum End { RUN, EXIT, SIGNAL, OOM, FORK }

    final End end;
    final int code;
    final Duration after;
    final SpawnFailure spawnFailure;
    final Duration readyAfter;
    final Duration execAfter;
    final Set<Integer> ignored;
    final Map<Integer, Reaction> reactions;
    final List<Message> messages;
    final List<Behaviour> children;
    final Behaviour daemon;
    final Duration pingEvery;

    private Behaviour(End end, int code, Duration after, SpawnFailure spawnFailure, Duration readyAfter, Duration execAfter,
                      Set<Integer> ignored, Map<Integer, Reaction> reactions, List<Message> messages,
                      List<Behaviour> children, Behaviour daemon, Duration pingEvery) {
        this.end = end;
        this.code = code;
        this.after = after;
        this.spawnFailure = spawnFailure;
        this.readyAfter = readyAfter;
        this.execAfter = execAfter;
        this.ignored = Set.copyOf(ignored);
        this.reactions = Map.copyOf(reactions);
        this.messages = List.copyOf(messages);
        this.children = List.copyOf(children);
        this.daemon = daemon;
        this.pingEvery = pingEvery;
    }

    private static Behaviour base(End end, int code) {
        return new Behaviour(end, code, Duration.ZERO, null, null, null, Set.of(), Map.of(), List.of(), List.of(), null, null);
    }

    private Behaviour with(End e, int c, Duration a, SpawnFailure f, Duration ready, Duration exec, Set<Integer> ign,
                           Map<Integer, Reaction> react, List<Message> msgs, List<Behaviour> kids, Behaviour d, Duration ping) {
        return new Behaviour(e, c, a, f, ready, exec, ign, react, msgs, kids, d, ping);
    }

    /** Runs until a signal ends it. */
    public static Behaviour runs() { return base(End.RUN, 0); }

    /** Exits with {@code code} (at once; see {@link #after}). */
    public static Behaviour exits(int code) { return base(End.EXIT, code); }

    /** Dies by {@code signal} (at once; see {@link #after}). */
    public static Behaviour killedBy(int signal) { return base(End.SIGNAL, signal); }

    /** Is killed with SIGKILL by the kernel's OOM killer (its group counts an OOM kill). */
    public static Behaviour oomKilled() { return base(End.OOM, Signals.SIGKILL); }

    /** Cannot be started: the spawn throws with this stage and error. */
    public static Behaviour spawnFails(String stage, String error, String subject) {
        return new Behaviour(End.EXIT, 0, Duration.ZERO, new SpawnFailure(stage, error, subject), null, null, Set.of(),
                Map.of(), List.of(), List.of(), null, null);
    }

    /** The program does not exist: {@code Stage: executing command / Error: No such file or directory (program)}. */
    public static Behaviour missingProgram(String program) {
        return spawnFails("executing command", "No such file or directory", program);
    }

    /**
     * A forking daemon's parent: after {@link #after} it exits 0 and leaves a child that behaves as
     * {@code daemon}, in the same group; the child's PID is what the unit's {@code pid-file} holds.
     */
    public static Behaviour forks(Behaviour daemon) {
        return new Behaviour(End.FORK, 0, Duration.ZERO, null, null, null, Set.of(), Map.of(), List.of(), List.of(), daemon, null);
    }

    /** Ends (as its factory said) this long after its spawn. Meaningless for {@link #runs()}. */
    public Behaviour after(Duration d) {
        return with(end, code, d, spawnFailure, readyAfter, execAfter, ignored, reactions, messages, children, daemon, pingEvery);
    }

    /**
     * Becomes ready this long after its spawn, whatever its unit's readiness protocol: it sends
     * {@code READY=1}, writes the newline to its readiness descriptor, makes the path exist, accepts
     * the TCP connection, answers the HTTP GET, lets the probe command succeed.
     */
    public Behaviour readyAfter(Duration d) {
        return with(end, code, after, spawnFailure, d, execAfter, ignored, reactions, messages, children, daemon, pingEvery);
    }

    /** Ready at once. */
    public Behaviour ready() { return readyAfter(Duration.ZERO); }

    /** For a type {@code exec} unit: runs the program itself only this long after its spawn (its prologue runs until then). */
    public Behaviour execAfter(Duration d) {
        return with(end, code, after, spawnFailure, readyAfter, d, ignored, reactions, messages, children, daemon, pingEvery);
    }

    /** These signals do nothing to it (SIGKILL included: a process stuck in uninterruptible sleep). */
    public Behaviour ignoring(int... signals) {
        Set<Integer> s = new HashSet<>(ignored);
        for (int sig : signals) s.add(sig);
        return with(end, code, after, spawnFailure, readyAfter, execAfter, s, reactions, messages, children, daemon, pingEvery);
    }

    /** On {@code signal} it exits with {@code code} after {@code d} (a graceful shutdown that takes a while). */
    public Behaviour onSignal(int signal, Duration d, int exitCode) {
        Map<Integer, Reaction> r = new HashMap<>(reactions);
        r.put(signal, new Reaction(d, exitCode));
        return with(end, code, after, spawnFailure, readyAfter, execAfter, ignored, r, messages, children, daemon, pingEvery);
    }

    /** Sends {@code text} ({@code KEY=value} lines, e.g. {@code "STATUS=loading"}) to the notify socket {@code at} after its spawn. */
    public Behaviour notifies(Duration at, String text) {
        List<Message> m = new ArrayList<>(messages);
        m.add(new Message(at, text));
        return with(end, code, after, spawnFailure, readyAfter, execAfter, ignored, reactions, m, children, daemon, pingEvery);
    }

    /** Sends {@code WATCHDOG=1} every {@code period}, from {@code period} after its spawn, while it lives. */
    public Behaviour pingsWatchdog(Duration period) {
        return with(end, code, after, spawnFailure, readyAfter, execAfter, ignored, reactions, messages, children, daemon, period);
    }

    /** Starts a child that behaves as {@code child} in the same group, right after its spawn. */
    public Behaviour withChild(Behaviour child) {
        List<Behaviour> k = new ArrayList<>(children);
        k.add(child);
        return with(end, code, after, spawnFailure, readyAfter, execAfter, ignored, reactions, messages, k, daemon, pingEvery);
    }

    /** What a spawn of this behaviour throws, or null. */
    public SpawnFailure spawnFailure() { return spawnFailure; }

    @Override
    public String toString() {
        if (spawnFailure != null) return "spawn fails at " + spawnFailure.stage() + ": " + spawnFailure.error();
        String s = switch (end) {
            case RUN -> "runs";
            case EXIT -> "exits " + code + " after " + after;
            case SIGNAL -> "killed by " + Signals.name(code) + " after " + after;
            case OOM -> "OOM-killed after " + after;
            case FORK -> "forks a daemon (" + daemon + ") after " + after;
        };
        if (readyAfter != null) s += ", ready after " + readyAfter;
        if (!ignored.isEmpty()) s += ", ignoring " + ignored;
        return s;
    }
}
