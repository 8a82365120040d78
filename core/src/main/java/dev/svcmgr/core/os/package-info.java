/**
 * The operating system behind one narrow interface ({@link dev.svcmgr.core.os.ProcessRuntime}):
 * posix_spawn with descriptor and signal hygiene, the one reaper (waitpid(-1), child subreaper),
 * the output pump (epoll over the services' pipes), per-service cgroups (v2, pure or hybrid)
 * with a process-group and /proc-walk fallback; the sd_notify datagram socket, readiness pipes,
 * resource limits (cgroup v2 or v1 controllers, rlimit fallback) and sandbox plans (namespaces
 * through unshare), the kernel's credentials of a control-socket peer ({@link
 * dev.svcmgr.core.os.PeerCredentials}: SO_PEERCRED's numeric uid), the daemon's files (SecureFiles:
 * explicit modes, checked directories, exclusive temporary files) and unit files read without blocking
 * on a FIFO (UnitFiles). The only package that may import jnr.
 */
package dev.svcmgr.core.os;
