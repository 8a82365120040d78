/**
 * The engine: the one event-loop thread that owns all unit state, the {@link dev.svcmgr.core.engine.Manager}
 * that runs resolver plans against service drivers (the transaction executor), runtime propagation,
 * the numbered event history, and the immutable snapshots and records others read.
 */
package dev.svcmgr.core.engine;
