package dev.svcmgr.graph;

/**
 * What one unit's run-time change does to another, read from a runtime {@link Atom} of the
 * behaviour table ({@link DependencyGraph#reactions}).
 *
 * @param unit the unit that gets the job
 * @param job  {@code stop} or {@code start}
 * @param atom the runtime atom that made it
 * @param edge the edge it came through (first one, when several say the same)
 */
public record Reaction(String unit, JobType job, Atom atom, Edge edge) {}
