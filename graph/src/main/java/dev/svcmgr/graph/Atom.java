package dev.svcmgr.graph;

/**
 * The small behaviours that dependency kinds are made of (STYLE habit 8, after
 * systemd's dependency atoms). A kind is a set of atoms; see {@link EdgeKind}.
 * Each atom reads for an edge {@code A --kind--> B} (A declares the relation on B).
 *
 * <p>Most atoms shape plans (the {@link Resolver} reads them). The <em>runtime</em> atoms
 * ({@link #runtimeEvent()} not null) say what the engine does when a unit changes at run time,
 * outside a job of its own: when the watched end has the event, the other end gets a job
 * ({@link #runtimeJob()}) through a request the engine makes itself. The engine reads only these
 * columns, never kind names, so a new kind made of existing atoms is one row of {@link EdgeKind}.
 */
public enum Atom {
    /** Starting A also starts B (B joins the transaction's start closure). */
    PULLS_IN("pulls in"),
    /** A cannot start when B fails, is missing or cannot start (A's job ends as {@code dependency}). */
    FAILS_WITH("fails with"),
    /** A stop job for B (an explicit stop, a conflict, a propagated stop) stops A first, transitively. */
    PROPAGATES_STOP("propagates stop"),
    /** A restart of B restarts A when A is active (transitively). */
    PROPAGATES_RESTART("propagates restart"),
    /** A starts after B and stops before it (for the implying kinds: unless {@code ordered: false}). */
    ORDERS_AFTER("orders after"),
    /** B must already be up when A starts, else A's start is refused. */
    CHECKS_ACTIVE("checks active"),
    /** At run time: A is stopped when B enters {@code failed}. */
    FOLLOWS_FAILURE("follows failure", RuntimeEvent.FAILED, true, JobType.STOP),
    /** At run time: A is stopped when B goes inactive without failing, a clean exit included. */
    FOLLOWS_DEACTIVATION("follows any deactivation", RuntimeEvent.DEACTIVATED, true, JobType.STOP),
    /** Starting either stops the other (both directions). */
    STOPS_OTHER("stops the other"),
    /** At run time: B is started when A enters {@code failed}. */
    STARTS_ON_FAILURE("starts on failure", RuntimeEvent.FAILED, false, JobType.START);

    private final String words;
    private final RuntimeEvent runtimeEvent;
    private final boolean watchesTarget;
    private final JobType runtimeJob;

    Atom(String words) { this(words, null, false, null); }

    Atom(String words, RuntimeEvent runtimeEvent, boolean watchesTarget, JobType runtimeJob) {
        this.words = words;
        this.runtimeEvent = runtimeEvent;
        this.watchesTarget = watchesTarget;
        this.runtimeJob = runtimeJob;
    }

    /** Column heading in the behaviour table. */
    public String words() { return words; }

    /** The run-time change this atom reacts to, or null for an atom that only shapes plans. */
    public RuntimeEvent runtimeEvent() { return runtimeEvent; }

    /**
     * For a runtime atom and an edge {@code A --kind--> B}: true when B's change moves A (the
     * dependent follows what it names), false when A's change moves B ({@code on-failure}).
     */
    public boolean watchesTarget() { return watchesTarget; }

    /** For a runtime atom: the job the other end gets ({@code stop}, {@code start}); null otherwise. */
    public JobType runtimeJob() { return runtimeJob; }
}
