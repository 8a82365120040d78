/**
 * sd_notify as a port: {@link dev.svcmgr.core.supervise.notify.NotifyPort} (register a service,
 * receive the datagrams its processes send), {@link dev.svcmgr.core.supervise.notify.NotifyHub} on
 * the manager's real socket ({@link dev.svcmgr.core.os.NotifySocket}), and the message as a
 * supervisor sees it. What a message means for a service is decided by the supervisor's state
 * table, not here.
 */
package dev.svcmgr.core.supervise.notify;
