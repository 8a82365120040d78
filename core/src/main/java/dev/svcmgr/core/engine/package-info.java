/**
 * The engine: single-threaded (the loop thread), and the only owner of unit runtime state.
 * {@link dev.svcmgr.core.engine.Manager} is the daemon's facade; behind it the {@code UnitTable}
 * holds one runtime record per unit (replacing per-aspect maps), the {@code Executor} runs resolver
 * plans on a ready worklist (pending counts, no recursion), the {@code StartGate} decides whether a
 * start may happen (masked, failed requirement, conditions), {@code Propagation} turns changes no job
 * asked for into requests by reading the runtime columns of the graph module's behaviour table, and
 * {@code History} keeps the numbered event history and finished transitions. Driver reports and
 * follow-up work go through the {@code Worklist} and are drained after each call (dinit's
 * {@code process_queues}), never re-entrantly. Also here: the immutable snapshots and records others
 * read ({@link dev.svcmgr.core.engine.UnitSnapshot}, {@link dev.svcmgr.core.engine.JobRecord},
 * {@link dev.svcmgr.core.engine.Outcome}, {@link dev.svcmgr.core.engine.Event}) and the
 * {@link dev.svcmgr.core.engine.ServiceDriver} port the supervisors implement.
 */
package dev.svcmgr.core.engine;
