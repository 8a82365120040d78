package dev.svcmgr.core.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/** The glibc functions svcmgr binds through jnr-ffi (x86_64/aarch64 Linux, glibc 2.34 or later). */
public interface LibC {
    int posix_spawn_file_actions_init(Pointer fa);
    int posix_spawn_file_actions_destroy(Pointer fa);
    int posix_spawn_file_actions_addopen(Pointer fa, int fd, String path, int oflag, int mode);
    int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newfd);
    int posix_spawn_file_actions_addclose(Pointer fa, int fd);
    int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from);
    int posix_spawn_file_actions_addchdir_np(Pointer fa, String path);
    int posix_spawnattr_init(Pointer attr);
    int posix_spawnattr_destroy(Pointer attr);
    int posix_spawnattr_setflags(Pointer attr, short flags);
    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    int sigemptyset(Pointer set);
    int sigfillset(Pointer set);
    int posix_spawn(@Out IntByReference pid, String path, Pointer fa, Pointer attr, Pointer argv, Pointer envp);

    int pipe2(@Out int[] fds, int flags);
    int close(int fd);
    long read(int fd, Pointer buf, long count);
    int waitpid(int pid, @Out IntByReference status, int options);
    int kill(int pid, int sig);
    int getpid();
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    int access(String path, int mode);

    int faccessat(int dirfd, String path, int mode, int flags);
    String strerror(int errnum);
    /** glibc: gives the free memory of every malloc arena back to the kernel; 1 when some was. */
    int malloc_trim(long pad);

    int epoll_create1(int flags);
    int epoll_ctl(int epfd, int op, int fd, Pointer event);
    int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);
    int eventfd(int initval, int flags);
    long write(int fd, Pointer buf, long count);

    // output FIFOs, pidfds and re-execution (re-adoption after a manager restart)
    int mkfifo(String path, int mode);
    int mkdir(String path, int mode);
    int geteuid();
    int setpriority(int which, int who, int prio);
    int open(String path, int flags, int mode);
    int fcntl(int fd, int cmd, int arg);
    int syscall(long number, long a1, long a2, long a3);
    int ioctl(int fd, long request, Pointer arg);
    int execve(String path, Pointer argv, Pointer envp);
    int sigprocmask(int how, Pointer set, Pointer old);
    int waitid(int idtype, int id, Pointer infop, int options);

    // the spawner (svcmgr-spawn): its program in a memfd, its socket, descriptors passed to it
    int memfd_create(String name, int flags);
    int getrlimit(int resource, Pointer rlim);
    int setrlimit(int resource, Pointer rlim);
    int socketpair(int domain, int type, int protocol, @Out int[] sv);
    long sendmsg(int fd, Pointer msg, int flags);

    // path units: inotify (PathWatch)
    int inotify_init1(int flags);
    int inotify_add_watch(int fd, String path, int mask);
    int inotify_rm_watch(int fd, int wd);

    // socket units: the manager binds and holds the sockets (SocketBinder)
    int socket(int domain, int type, int protocol);
    int setsockopt(int fd, int level, int name, Pointer value, int len);
    int bind(int fd, Pointer addr, int len);
    int listen(int fd, int backlog);
    int getsockname(int fd, Pointer addr, IntByReference len);
    int unlink(String path);
    int chmod(String path, int mode);
}
