/**
 * The daemon: start-up and shutdown ({@link dev.svcmgr.core.daemon.Daemon}), the control socket
 * ({@link dev.svcmgr.core.daemon.ControlServer}, one connection's queue in {@code Connection}) and the
 * translation of protocol requests into manager calls ({@code Dispatcher}, which hands each request
 * record to its handler: {@code Queries}, {@code Transactions}, {@code Runs}, {@code Changes}, {@code
 * Streams}, {@code Plans}), persistent choices, signals, PID 1's final action. The requests and replies
 * are the types of {@link dev.svcmgr.core.protocol}; the wire: docs/protocol.md; who may do what and the
 * control socket's limits: docs/security.md.
 */
package dev.svcmgr.core.daemon;
