/**
 * One supervisor per service ({@link dev.svcmgr.core.supervise.ServiceSupervisor}): its state
 * machine as one table ({@link dev.svcmgr.core.supervise.Transitions}), start/stop/reload
 * commands with their timeouts, restart policy with backoff and start-limit, readiness
 * (started, notify, fd, tcp, http, exec, path) and the watchdog,
 * results. Methods run on the event loop thread only; the OS side is
 * {@link dev.svcmgr.core.os.ProcessRuntime}.
 */
package dev.svcmgr.core.supervise;
