/**
 * How a starting service is found ready: one {@link dev.svcmgr.core.supervise.readiness.ReadinessCheck}
 * per {@code ready:} kind (started, notify, path, tcp, http, fd, exec) and the forking daemon's, made
 * by {@link dev.svcmgr.core.supervise.readiness.ReadinessChecks}. A check owns its poll timer and its
 * socket or pipe for one run and reports to a listener; it never changes the supervisor's state.
 * What it asks of the host goes through {@link dev.svcmgr.core.supervise.readiness.ReadinessPort}
 * ({@code system()} on the host; a simulation answers from its simulated processes).
 */
package dev.svcmgr.core.supervise.readiness;
