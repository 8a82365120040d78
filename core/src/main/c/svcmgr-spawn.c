/*
 * svcmgr-spawn: the manager's spawner. One small single-threaded process,
 * started once by the manager, that turns each request into one service
 * process with one exec:
 *
 *   fork (as a child of the manager: clone CLONE_PARENT), join the cgroup,
 *   set the session, descriptors, working directory, umask, rlimits, groups,
 *   gid and uid, then exec the program.
 *
 * Why: spawning from the JVM costs about 2 ms per process on a virtualised
 * host (a vfork of a large multi-threaded address space: page-table work
 * and TLB shootdowns on every core the JVM runs on), and a shell prologue
 * to join the cgroup costs a second exec. This process is small and has one
 * thread: its child shares its memory until the exec (CLONE_VM|CLONE_VFORK,
 * as glibc's posix_spawn does), so no page table is copied, and it runs the
 * set-up itself with system calls only; everything that needs the C library
 * (parsing, the user's groups) is done before the clone (dinit's, systemd-
 * executor's and the JDK's jspawnhelper's shape).
 *
 * Joining the cgroup: where the first cgroup.procs file of a request is on a
 * cgroup2 hierarchy, the child is created in that cgroup (clone3 with
 * CLONE_INTO_CGROUP, Linux 5.7) as a plain fork of this small process:
 * writing a PID into cgroup.procs takes the cgroup threadgroup lock for
 * writing, which waits for an RCU grace period when the previous write was
 * not just before (about 11 ms on this project's test host, 0.05 ms back to
 * back), so a lone restart paid it every time; a clone into the cgroup takes
 * that lock for reading only (0.2 ms). Where the kernel, a seccomp filter or
 * the cgroup refuses, the request takes the other way (CLONE_VM|CLONE_VFORK
 * and a write to cgroup.procs), which says why if the cgroup cannot be joined.
 *
 * Protocol, on descriptor 3 (a SOCK_SEQPACKET socket; EOF ends the spawner):
 *   request: one message of NUL-terminated strings, each a key character and
 *            its value:  x<exe> a<arg>... e<NAME=value>... d<dir>
 *            j<cgroup.procs file>... u<umask octal> r<resource>:<soft>:<hard>...
 *            U<uid> G<gid> g<gid,gid...> | g (empty: clear) | i<user> (initgroups)
 *            N (not into the cgroup by clone3: write cgroup.procs)
 *            o<stdout fifo> O<stderr fifo> P (stdout, stderr are the first two
 *            descriptors passed) R<fd> (the next passed descriptor becomes fd)
 *            Descriptors arrive as SCM_RIGHTS.
 *   reply:   int32 pid, int32 errno, char stage[248]: errno 0 when the program
 *            was executed (stage "clone3" when it was created in its cgroup,
 *            else ""); otherwise the stage that failed, a NUL and what it
 *            was about (a path), and the child is gone with status 127, the
 *            manager's to reap.
 * The child is the manager's child (CLONE_PARENT), so the manager reaps it
 * and sees its exit like any other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define SOCK 3
#define MAX_MSG (1 << 20)
#define MAX_FDS 64
#define MAX_ITEMS 65536
#define MAX_GROUPS 65536
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define INTO_CGROUP 0x200000000ULL /* CLONE_INTO_CGROUP */
#define CGROUP2_MAGIC 0x63677270

/* struct clone_args as of Linux 5.7 (CLONE_ARGS_SIZE_VER2), spelled out: older headers lack it */
struct clone3_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

struct reply {
    int32_t pid;
    int32_t err;
    char stage[248];
};

struct request {
    const char *exe, *dir, *out_fifo, *err_fifo;
    const char *argv[MAX_ITEMS], *envp[MAX_ITEMS], *join[16];
    struct { int res; struct rlimit lim; } rlimits[16];
    gid_t groups[MAX_GROUPS];
    int argc, envc, joinc, rlimitc, ngroups;
    long umask, uid, gid;
    int pipes, ready_fd, set_groups;
    int no_clone3, joined; /* joined: the first that many cgroups are joined already (created in) */
    int listen_fds, listen_pid; /* socket activation: that many descriptors at 3.., LISTEN_PID in the environment */
    int fds[MAX_FDS], nfds;
    struct reply failed; /* written by the child (shared memory) when its set-up or exec fails */
};

static char msg[MAX_MSG];
static struct request q;
static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int parse(char *buf, size_t n, struct request *r)
{
    /* field by field: a memset of the whole (large) struct would write every page of it */
    r->exe = r->dir = r->out_fifo = r->err_fifo = NULL;
    r->argc = r->envc = r->joinc = r->rlimitc = r->ngroups = 0;
    r->pipes = r->set_groups = 0;
    r->no_clone3 = r->joined = 0;
    r->umask = -1;
    r->uid = -1;
    r->gid = -1;
    r->ready_fd = -1;
    r->listen_fds = r->listen_pid = 0;
    const char *init_user = NULL;
    gid_t init_gid = 0;
    for (size_t i = 0; i < n;) {
        char *s = buf + i;
        size_t len = strnlen(s, n - i);
        if (len == n - i || len == 0) return -1;
        i += len + 1;
        char *v = s + 1;
        switch (s[0]) {
        case 'x': r->exe = v; break;
        case 'a': if (r->argc + 1 >= MAX_ITEMS) return -1; r->argv[r->argc++] = v; break;
        case 'e': if (r->envc + 1 >= MAX_ITEMS) return -1; r->envp[r->envc++] = v; break;
        case 'd': r->dir = v; break;
        case 'j': if (r->joinc >= 16) return -1; r->join[r->joinc++] = v; break;
        case 'u': r->umask = strtol(v, NULL, 8); break;
        case 'r': {
            unsigned long long soft, hard;
            int res;
            if (r->rlimitc >= 16 || sscanf(v, "%d:%llu:%llu", &res, &soft, &hard) != 3) return -1;
            r->rlimits[r->rlimitc].res = res;
            r->rlimits[r->rlimitc].lim.rlim_cur = (rlim_t) soft;
            r->rlimits[r->rlimitc].lim.rlim_max = (rlim_t) hard;
            r->rlimitc++;
            break;
        }
        case 'U': r->uid = strtol(v, NULL, 10); break;
        case 'G': r->gid = strtol(v, NULL, 10); break;
        case 'g':
            r->set_groups = 1;
            for (char *p = v; *p && r->ngroups < MAX_GROUPS;) {
                r->groups[r->ngroups++] = (gid_t) strtoul(p, &p, 10);
                if (*p == ',') p++;
                else if (*p) return -1;
            }
            break;
        case 'i': { /* <login>:<gid of the password entry> (initgroups' own arguments) */
            char *colon = strrchr(v, ':');
            if (!colon) return -1;
            *colon = 0;
            init_user = v;
            init_gid = (gid_t) strtoul(colon + 1, NULL, 10);
            break;
        }
        case 'o': r->out_fifo = v; break;
        case 'O': r->err_fifo = v; break;
        case 'P': r->pipes = 1; break;
        case 'N': r->no_clone3 = 1; break;
        case 'R': r->ready_fd = atoi(v); break;
        case 'L': r->listen_fds = atoi(v); if (r->listen_fds < 0 || r->listen_fds > 60) return -1; break;
        case 'p': r->listen_pid = 1; break;
        default: return -1;
        }
    }
    r->argv[r->argc] = NULL;
    r->envp[r->envc] = NULL;
    if (!r->exe || r->argc == 0) return -1;
    if (init_user) {
        /* the user's groups, as initgroups would set them: looked up here, set by the child */
        int ng = MAX_GROUPS;
        errno = 0;
        if (getgrouplist(init_user, init_gid, r->groups, &ng) < 0) {
            if (!errno) errno = ng > MAX_GROUPS ? E2BIG : ENOENT;
            return -2;
        }
        r->ngroups = ng;
        r->set_groups = 1;
    }
    return 0;
}

/* A child made by clone3 has its own memory: it tells a failure through the pipe that tells the exec. */
static int fail_fd = -1;

/* In the child (which shares this process's memory until it execs, or writes to fail_fd): note the
   failed stage and end. */
static int fail(struct request *r, const char *stage, const char *what, int err)
{
    r->failed.err = err ? err : EINVAL;
    size_t k = 0;
    for (; stage[k] && k < 120; k++) r->failed.stage[k] = stage[k];
    r->failed.stage[k++] = 0; /* the stage, a NUL, then what it was about */
    for (size_t j = 0; what && what[j] && k < sizeof r->failed.stage - 1; j++) r->failed.stage[k++] = what[j];
    r->failed.stage[k] = 0;
    if (fail_fd >= 0) {
        ssize_t n;
        do { n = write(fail_fd, &r->failed, sizeof r->failed); } while (n < 0 && errno == EINTR);
    }
    _exit(127);
}

/* Moves a descriptor above the ones being arranged (so that a dup2 into place never clobbers a source). */
static int high(struct request *r, int fd)
{
    if (fd < 0) return fd;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 64);
    if (h < 0) fail(r, "passing descriptors", NULL, errno);
    return h;
}

/* Closes {@code first} to 63 but {@code keep}: close_range where the kernel has it (5.9), else one by one. */
static void close_below_64(int first, int keep)
{
    int ok = 1;
    if (first > 63) return;
    if (keep >= first && keep < 64) {
        ok = (keep == first || syscall(SYS_close_range, (unsigned) first, (unsigned) keep - 1, 0U) == 0)
             && (keep == 63 || syscall(SYS_close_range, (unsigned) keep + 1, 63U, 0U) == 0);
    } else {
        ok = syscall(SYS_close_range, (unsigned) first, 63U, 0U) == 0;
    }
    if (!ok) {
        for (int f = first; f < 64; f++) {
            if (f != keep) close(f);
        }
    }
}

static char listen_pid_env[32];

/* The child: system calls only, then the exec. */
static int child(void *arg)
{
    struct request *r = arg;
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(uint64_t));
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, NULL);
    if (setsid() < 0) fail(r, "creating a session", NULL, errno);

    char digits[24], *pid = digits + sizeof digits;
    unsigned long v = (unsigned long) syscall(SYS_getpid);
    do { *--pid = (char) ('0' + v % 10); v /= 10; } while (v);
    int plen = (int) (digits + sizeof digits - pid);
    for (int k = r->joined; k < r->joinc; k++) {
        int f = open(r->join[k], O_WRONLY | O_CLOEXEC);
        if (f < 0 || write(f, pid, plen) != plen) fail(r, "joining the cgroup", r->join[k], errno);
        close(f);
    }

    int next = 0, out = -1, err = -1, ready = -1;
    if (r->pipes) {
        if (r->nfds < 2) fail(r, "passing descriptors", NULL, EBADF);
        out = high(r, r->fds[next++]);
        err = high(r, r->fds[next++]);
    } else {
        if (r->out_fifo && (out = open(r->out_fifo, O_RDWR | O_CLOEXEC)) < 0) fail(r, "opening", r->out_fifo, errno);
        if (r->err_fifo && (err = open(r->err_fifo, O_RDWR | O_CLOEXEC)) < 0) fail(r, "opening", r->err_fifo, errno);
        out = high(r, out);
        err = high(r, err);
    }
    if (r->ready_fd >= 0) {
        if (next >= r->nfds) fail(r, "passing descriptors", NULL, EBADF);
        ready = high(r, r->fds[next++]);
    }
    int listen[60];
    for (int k = 0; k < r->listen_fds; k++) {
        if (next >= r->nfds) fail(r, "passing descriptors", NULL, EBADF);
        listen[k] = high(r, r->fds[next++]);
    }
    if (r->ready_fd >= 3 && r->ready_fd < 3 + r->listen_fds) fail(r, "passing descriptors", "the readiness descriptor is one of the sockets'", EINVAL);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0) fail(r, "opening", "/dev/null", errno);
    in = high(r, in);
    if (dup2(in, 0) < 0) fail(r, "passing descriptors", NULL, errno);
    if (out >= 0 && dup2(out, 1) < 0) fail(r, "passing descriptors", NULL, errno);
    if (err >= 0 && dup2(err, 2) < 0) fail(r, "passing descriptors", NULL, errno);
    if (ready >= 0) {
        /* a dup2 onto itself would leave it close-on-exec */
        if (ready == r->ready_fd ? fcntl(ready, F_SETFD, 0) < 0 : dup2(ready, r->ready_fd) < 0) {
            fail(r, "passing descriptors", NULL, errno);
        }
    }
    /* the sockets at 3, 4, ... as sd_listen_fds(3) expects them (dup2 clears close-on-exec) */
    for (int k = 0; k < r->listen_fds; k++) {
        if (dup2(listen[k], 3 + k) < 0) fail(r, "passing the sockets", NULL, errno);
    }
    if (r->listen_pid) {
        /* LISTEN_PID is this process: known only here (with CLONE_VM the memory is shared until the exec) */
        memcpy(listen_pid_env, "LISTEN_PID=", 11);
        memcpy(listen_pid_env + 11, pid, (size_t) plen);
        listen_pid_env[11 + plen] = 0;
        if (r->envc + 1 >= MAX_ITEMS) fail(r, "passing the sockets", NULL, E2BIG);
        r->envp[r->envc++] = listen_pid_env;
        r->envp[r->envc] = NULL;
    }
    /* the rest up to 63 but the readiness descriptor; from 64 up all are close-on-exec (received with
       MSG_CMSG_CLOEXEC, moved with F_DUPFD_CLOEXEC) */
    close_below_64(3 + r->listen_fds, r->ready_fd);

    if (r->dir && chdir(r->dir) < 0) fail(r, "changing to the working directory", r->dir, errno);
    if (r->umask >= 0) umask((mode_t) r->umask);
    for (int k = 0; k < r->rlimitc; k++) {
        if (syscall(SYS_setrlimit, r->rlimits[k].res, &r->rlimits[k].lim) < 0) fail(r, "setting limits", NULL, errno);
    }
    /* raw system calls: glibc's wrappers would try to tell other threads, and there are none here */
    if (r->set_groups && syscall(SYS_setgroups, (size_t) r->ngroups, r->groups) < 0) fail(r, "setting groups", NULL, errno);
    if (r->gid >= 0 && syscall(SYS_setresgid, (gid_t) r->gid, (gid_t) r->gid, (gid_t) r->gid) < 0) fail(r, "setting the group", NULL, errno);
    if (r->uid >= 0 && syscall(SYS_setresuid, (uid_t) r->uid, (uid_t) r->uid, (uid_t) r->uid) < 0) fail(r, "setting the user", NULL, errno);

    execve(r->exe, (char *const *) r->argv, (char *const *) r->envp);
    return fail(r, "executing command", r->exe, errno);
}

static int clone3_off;

/* A directory descriptor of the cgroup whose cgroup.procs file is given, when it is on cgroup2; else -1. */
static int cgroup2_dir(const char *procs)
{
    char dir[4096];
    size_t n = strlen(procs);
    const char *tail = "/cgroup.procs";
    size_t t = strlen(tail);
    if (n <= t || n - t >= sizeof dir || strcmp(procs + n - t, tail) != 0) return -1;
    memcpy(dir, procs, n - t);
    dir[n - t] = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct statfs f;
    if (fstatfs(fd, &f) != 0 || f.f_type != CGROUP2_MAGIC) {
        close(fd);
        return -1;
    }
    return fd;
}

static void say(struct reply *r, int pid, int err, const char *stage)
{
    r->pid = pid;
    r->err = err;
    snprintf(r->stage, sizeof r->stage, "%s", stage);
}

int main(void)
{
    /* the socket must not reach a service (dup2 left it inheritable), nor the copy of this
       program's memfd the manager left open, nor anything else */
    fcntl(SOCK, F_SETFD, FD_CLOEXEC);
    if (syscall(SYS_close_range, 4U, ~0U, 0U) != 0) {
        for (int f = 4; f < 1024; f++) close(f);
    }
    prctl(PR_SET_NAME, "svcmgr-spawn", 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        struct iovec iov = { msg, sizeof msg - 1 };
        union {
            char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
            struct cmsghdr align;
        } ctl;
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof ctl.buf;
        ssize_t n = recvmsg(SOCK, &m, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        q.nfds = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int k = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < k && q.nfds < MAX_FDS; i++) memcpy(&q.fds[q.nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            }
        }
        struct reply r;
        int parsed = (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ? -1 : parse(msg, (size_t) n, &q);
        if (parsed == -1) {
            say(&r, -1, EINVAL, "reading the spawn request");
        } else if (parsed == -2) {
            say(&r, -1, errno ? errno : ENOENT, "determining the user's groups");
        } else {
            /* a close-on-exec pipe (above the descriptors the child closes) whose end tells that the
               exec is complete: CLONE_VFORK lets this process go on when the child's memory is replaced,
               a moment before the kernel renames it and closes its close-on-exec descriptors */
            int done[2] = { -1, -1 }, w = -1;
            if (pipe2(done, O_CLOEXEC) == 0) {
                /* above the readiness descriptor too: the clone3 child keeps this end (fail_fd) until its
                   exec, and its dup2 of the readiness descriptor must not land on it */
                w = fcntl(done[1], F_DUPFD_CLOEXEC, q.ready_fd >= 64 ? q.ready_fd + 1 : 64);
                close(done[1]);
            }
            int pid = -1, into = 0, clone_err = 0;
            int cg = (!q.no_clone3 && !clone3_off && q.joinc > 0 && w >= 0) ? cgroup2_dir(q.join[0]) : -1;
            if (cg >= 0) {
                struct clone3_args a;
                memset(&a, 0, sizeof a);
                a.flags = CLONE_PARENT | INTO_CGROUP;
                /* with CLONE_PARENT clone3 wants no exit signal (EINVAL otherwise): the child inherits
                   this process's own, SIGCHLD, as it does with clone() */
                a.exit_signal = 0;
                a.cgroup = (uint64_t) cg;
                fail_fd = w;
                long p = syscall(SYS_clone3, &a, sizeof a);
                if (p == 0) {
                    q.joined = 1;
                    child(&q);
                    _exit(127);
                }
                fail_fd = -1;
                close(cg);
                if (p > 0) {
                    pid = (int) p;
                    into = 1;
                } else if (errno == ENOSYS || errno == E2BIG || errno == EPERM) {
                    clone3_off = 1; /* an older kernel, or a filter: not asked again */
                }
                /* else this cgroup refused the clone (EBUSY, EACCES, ...): the write below says why */
            }
            if (!into) {
                q.failed.err = 0;
                pid = clone(child, child_stack + sizeof child_stack,
                            CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD, &q);
                clone_err = errno;
            }
            /* here the child has exec'd or ended (CLONE_VFORK), or (clone3) runs on */
            if (w >= 0) close(w);
            struct reply told;
            size_t got = 0;
            if (done[0] >= 0) {
                /* EOF: the exec is complete; a reply: the clone3 child failed */
                for (;;) {
                    ssize_t n = read(done[0], (char *) &told + got, sizeof told - got);
                    if (n < 0 && errno == EINTR) continue;
                    if (n <= 0) break;
                    got += (size_t) n;
                    if (got == sizeof told) break;
                }
                close(done[0]);
            }
            if (pid < 0) {
                say(&r, -1, clone_err, "forking");
            } else if (into && got == sizeof told) {
                r = told;
                r.pid = pid;
            } else if (into) {
                say(&r, pid, 0, "clone3");
            } else if (q.failed.err) {
                r = q.failed;
                r.pid = pid;
            } else {
                say(&r, pid, 0, "");
            }
        }
        for (int i = 0; i < q.nfds; i++) close(q.fds[i]);
        while (write(SOCK, &r, sizeof r) < 0) {
            if (errno != EINTR) return 1;
        }
    }
}
