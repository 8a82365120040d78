package dev.svcmgr.graph;

/**
 * The small behaviours that dependency kinds are made of (STYLE habit 8, after
 * systemd's dependency atoms). A kind is a set of atoms; see {@link EdgeKind}.
 * Each atom reads for an edge {@code A --kind--> B} (A declares the relation on B).
 */
public enum Atom {
    /** Starting A also starts B (B joins the transaction's start closure). */
    PULLS_IN("pulls in"),
    /** A cannot start when B fails, is missing or cannot start (A's job ends as {@code dependency}). */
    FAILS_WITH("fails with"),
    /** An explicit stop of B, or B entering {@code failed}, stops A (dependents first). */
    PROPAGATES_STOP("propagates stop"),
    /** A restart of B restarts A when A is active (transitively). */
    PROPAGATES_RESTART("propagates restart"),
    /** A starts after B and stops before it (for the implying kinds: unless {@code ordered: false}). */
    ORDERS_AFTER("orders after"),
    /** B must already be up when A starts, else A's start is refused. */
    CHECKS_ACTIVE("checks active"),
    /** A stops whenever B goes inactive for any reason, a clean exit included. */
    FOLLOWS_DEACTIVATION("follows any deactivation"),
    /** Starting either stops the other (both directions). */
    STOPS_OTHER("stops the other"),
    /** B is started when A enters {@code failed}. */
    STARTS_ON_FAILURE("starts on failure");

    private final String words;

    Atom(String words) { this.words = words; }

    /** Column heading in the behaviour table. */
    public String words() { return words; }
}
