/** Making it happen: OS adapter, supervisors, executor, daemon, control socket. */
package dev.svcmgr.core;
