/**
 * One supervisor per service ({@link dev.svcmgr.core.supervise.ServiceSupervisor}): its state
 * machine as one table ({@link dev.svcmgr.core.supervise.Transitions}) that every event goes through
 * (requests, exits, timeouts, readiness, sd_notify messages, the watchdog, spawn failures, the start
 * limit), the actions of each phase ({@code Starting}, {@code Stopping}, {@code Reloading}), the run's
 * set-up ({@code RunSetup}: log, output, group and limits, sandbox, environment, spawn requests), the
 * service's processes ({@code ServiceProcesses}), the start limit and backoff as a pure class
 * ({@code RestartBudget}), re-adoption after a manager restart ({@code Restore}), results and records.
 * Readiness checks are in {@code readiness}, the sd_notify port in {@code notify}. Methods run on the
 * loop thread only; the OS is behind {@link dev.svcmgr.core.os.ProcessRuntime} and the two ports.
 */
package dev.svcmgr.core.supervise;
