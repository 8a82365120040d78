package dev.svcmgr.graph;

/**
 * A change of a unit at run time, outside any job of the unit's own, that the runtime atoms of the
 * behaviour table react to ({@link Atom#runtimeEvent()}). The engine classifies each state change
 * it is told of into at most one of these.
 */
public enum RuntimeEvent {
    /** The unit entered {@code failed} (it was not failed before). */
    FAILED("failed"),
    /**
     * The unit went inactive from up ({@code active}, {@code starting} or {@code stopping}) without
     * failing: a clean exit or a stop. Waiting in {@code auto-restart} is neither.
     */
    DEACTIVATED("went inactive");

    private final String words;

    RuntimeEvent(String words) { this.words = words; }

    /** {@code failed}, {@code went inactive}. */
    public String words() { return words; }
}
