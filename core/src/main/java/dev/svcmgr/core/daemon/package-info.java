/**
 * The daemon: start-up and shutdown ({@link dev.svcmgr.core.daemon.Daemon}), the control socket
 * ({@link dev.svcmgr.core.daemon.ControlServer}) and the translation of protocol requests into manager
 * calls ({@code Dispatcher}), persistent choices, signals, PID 1's final action. Protocol: docs/protocol.md;
 * who may do what and the control socket's limits: docs/security.md.
 */
package dev.svcmgr.core.daemon;
