package dev.svcmgr.core.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux adapter: glibc {@code posix_spawn} through jnr-ffi (jnr-posix's own
 * wrapper cannot add {@code closefrom} or the signal attributes), one reaper,
 * one output pump, cgroup v2 or process-tree tracking.
 *
 * <p>Credentials, umask, rlimits and joining the cgroup are applied by a
 * short {@code /bin/sh} prologue that execs the program (through
 * {@code prlimit} and {@code setpriv} when needed), so the service keeps the
 * PID that was spawned and the JVM never forks. Without any of those the
 * program is spawned directly. Errors a prologue could only report as an exit
 * status (missing or non-executable program, missing directory, unknown user)
 * are checked before spawning, so they fail with their stage and OS error.
 */
final class LinuxProcessRuntime implements ProcessRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxProcessRuntime.class);
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final Pointer EMPTY_SET = sigset(false);
    static final Pointer FULL_SET = sigset(true);

    private final Reaper reaper = Reaper.get();
    private final OutputPump pump = new OutputPump();
    private final Spawner spawner;
    private final List<String> warnings = new ArrayList<>();
    private final Path cgroupBase;
    /** Removes the cgroups of ended runs off the loop. */
    private final CgroupReleases releases = new CgroupReleases();
    /** Memory, cpu and pids limits per service; null without a cgroup base. */
    private final ResourceLimits limits;
    private final String tracking;
    private volatile POSIX posix;
    /** Spawned through the prologue and not yet known to have exec'd: PID to the program's real path. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, String> pendingExec = new java.util.concurrent.ConcurrentHashMap<>();

    LinuxProcessRuntime(String name, boolean useCgroups, boolean useSpawner) {
        spawner = new Spawner(reaper, useSpawner);
        if (DescriptorLimit.raiseOnce(ROOT)) LOG.debug("descriptor limit raised to {}", DescriptorLimit.soft());
        descriptorLimit = DescriptorLimit.soft();
        List<String> mountinfo = Cgroups.lines("/proc/self/mountinfo");
        List<String> self = Cgroups.lines("/proc/self/cgroup");
        Path base = null;
        String why;
        Cgroups.Hierarchy v2 = useCgroups ? Cgroups.v2(mountinfo, self) : null;
        if (!useCgroups) {
            why = "cgroups disabled";
        } else if (v2 == null) {
            why = "no cgroup v2 hierarchy in /proc/self/mountinfo";
        } else {
            Path b = v2.own().resolve(name);
            try {
                cgroupDir(b);
                Path probe = Files.createDirectories(b.resolve(".probe"));
                boolean ok = Files.exists(probe.resolve("cgroup.procs"));
                Files.deleteIfExists(probe);
                if (!ok) throw new IOException("not a cgroup directory");
                base = b;
                why = null;
            } catch (IOException | RuntimeException e) {
                why = "cgroup v2 at " + v2.mount() + " is not writable (" + e.getMessage() + ")";
            }
        }
        cgroupBase = base;
        if (base == null) {
            String w = "services tracked by process group and /proc walk, not by cgroup: " + why
                    + (reaper.isSubreaper() ? "" : "; could not become child subreaper");
            if (useCgroups) {
                warnings.add(w);
                LOG.warn(w);
            }
            tracking = "process tree (" + why + ")";
            limits = null;
        } else {
            tracking = "cgroup v2 " + base;
            // enables memory, cpu and pids in the service cgroups where offered, else finds the v1 hierarchies
            limits = ResourceLimits.detect(name, base);
            LOG.debug("resource controllers: {}", limits.describe());
        }
    }

    @Override
    public ServiceGroup group(String unit, Long pidsMax, List<String> warn) {
        return group(unit, null, null, pidsMax, warn);
    }

    @Override
    public ServiceGroup group(String unit, Long memory, Integer cpuPercent, Long pidsMax, List<String> warn) {
        return group(unit, memory, cpuPercent, pidsMax, warn, null);
    }

    @Override
    public ServiceGroup existingGroup(String unit, Long memory, Integer cpuPercent, Long pidsMax, List<String> warn,
                                      List<Integer> known) {
        return group(unit, memory, cpuPercent, pidsMax, warn, known);
    }

    @Override
    public boolean adopt(int pid, ExitListener onExit) {
        ProcTable.Proc p = ProcTable.stat(pid);
        ExitStatus already;
        synchronized (reaper.lock()) {
            already = reaper.claim(pid);
            if (already == null && p != null && p.ppid() == Native.C.getpid()) {
                reaper.register(pid, onExit);
                return true;
            }
        }
        if (already != null) {
            onExit.exited(pid, already);
            return true;
        }
        if (p == null) return false;
        return PidWatcher.get().watch(pid, onExit);
    }

    @Override
    public long startTime(int pid) { return ProcTable.startTime(pid); }

    @Override
    public void prepareForExec(long timeoutMs) throws InterruptedException {
        releases.flush(); // the next image does not know of them
        reaper.pause();
        pump.park(timeoutMs);
    }

    @Override
    public void resumeAfterFailedExec() {
        pump.unpark();
        reaper.resume();
    }

    @Override
    public boolean endedUnclaimed(int pid) { return reaper.hasUnclaimed(pid); }

    @Override
    public boolean hasLeftovers(String unit) {
        if (cgroupBase == null) return false;
        Path dir = cgroupBase.resolve(unit);
        return Files.isDirectory(dir) && !new CgroupGroup(dir, List.of()).isEmpty();
    }

    @Override
    public Integer leftoverRoot(String unit) {
        if (cgroupBase == null) return null;
        List<Integer> pids = new CgroupGroup(cgroupBase.resolve(unit), List.of()).pids();
        for (int p : pids) {
            ProcTable.Proc pr = ProcTable.stat(p);
            if (pr != null && !pids.contains(pr.ppid())) return p;
        }
        return pids.isEmpty() ? null : pids.get(0);
    }

    /** {@code known} null: a fresh group (leftovers killed); else the existing one kept, seeded with {@code known}. */
    private ServiceGroup group(String unit, Long memory, Integer cpuPercent, Long pidsMax, List<String> warn,
                               List<Integer> known) {
        if (cgroupBase == null) {
            if (memory != null) warn.add("limits.memory not applied: no writable cgroup for " + unit);
            if (cpuPercent != null) warn.add("limits.cpu not applied: no writable cgroup for " + unit);
            if (pidsMax != null) warn.add("limits.pids not applied: no writable cgroup for " + unit);
            TreeGroup t = new TreeGroup(unit);
            if (known != null) for (int pid : known) t.adopt(pid);
            return t;
        }
        Path dir = cgroupBase.resolve(unit);
        releases.settle(dir); // the last run's removal, if still pending, before the directory is made again
        boolean fresh;
        try {
            fresh = makeCgroupDir(dir);
        } catch (IOException e) {
            warn.add("cgroup " + dir + " could not be set up (" + e.getMessage() + "); using the process tree");
            return new TreeGroup(unit);
        }
        ResourceLimits.Setup s = limits.setUp(unit, dir, memory, cpuPercent, pidsMax, warn);
        CgroupGroup g = new CgroupGroup(dir, s.joinDirs(), s.usage(), s.prlimitArgs(), releases);
        // leftovers of an earlier run nobody re-adopted (a group made just now has none)
        if (known == null && !fresh && !g.isEmpty()) g.killAll();
        return g;
    }

    /** Descriptors never given to service output, so that clients, logs and /proc reads still work. */
    static final int RESERVED_DESCRIPTORS = 64;
    private static final boolean ROOT = Native.C.geteuid() == 0;
    private final int descriptorLimit;


    /**
     * From this descriptor number on, a new service gets one FIFO for stdout and stderr instead of
     * two: half of what the manager may hold for output. With two FIFOs per service the limit
     * would run out at limit/2 services; this way about 3/4 of the limit can be services.
     */
    static int sharingFrom(int limit) { return (limit - RESERVED_DESCRIPTORS) / 2; }

    /**
     * Below this descriptor number a process that is not the manager's child (re-adopted after the
     * manager was killed, or adopted) is watched through a pidfd; above it, polled every 200 ms: a
     * quarter of what the manager may hold for services, so that pidfds never take the descriptors the
     * output FIFOs need (a re-adopted service whose output is not read would block on its next writes).
     */
    static int pidfdsUpTo(int limit) { return (limit - RESERVED_DESCRIPTORS) / 4; }

    /** Pipe buffer asked for each FIFO: 1 MiB (the default /proc/sys/fs/pipe-max-size). */
    private static final int FIFO_BUFFER = 1 << 20;
    private static final int O_NOFOLLOW = 0x20000;

    @Override
    public boolean supportsOutputFifos() { return true; }

    /**
     * Makes a cgroup directory (and missing parents) with mode 0755 set explicitly: under an inherited
     * umask of 000 a plain mkdir would let any user create cgroups inside the manager's.
     */
    static Path cgroupDir(Path dir) throws IOException {
        makeCgroupDir(dir);
        return dir;
    }

    /** {@link #cgroupDir}; true when the directory was made now (then no process can be in it yet). */
    static boolean makeCgroupDir(Path dir) throws IOException {
        // made straight away (one mkdir where a check, Java's stat calls and the mkdir were three or four
        // system calls of each start: issue 13); one already there is fine when it is a directory
        String d = dir.toString();
        if (Native.C.mkdir(d, 0755) == 0) {
            if (UMASK_MASKS_0755) Native.C.chmod(d, 0755); // whatever the umask
            return true;
        }
        int err = Native.errno();
        if (err == Native.EEXIST && Files.isDirectory(dir)) return false;
        Files.createDirectories(dir); // a missing parent, or the C library refused: Java's way, which says why
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return true;
    }

    /**
     * Whether the manager's umask takes any bit of 0755 away, so that a directory made 0755 must be
     * given its mode again: not under the usual 022 or 000, whose mkdir gives 0755 itself (one system
     * call fewer per start). The umask is read once, from /proc/self/status; unreadable counts as yes.
     */
    private static final boolean UMASK_MASKS_0755 = umaskMasks(0755);

    static boolean umaskMasks(int mode) {
        String umask = ProcTable.selfStatus("Umask");
        try {
            return umask == null || (Integer.parseInt(umask, 8) & mode) != 0; // no /proc: be safe
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Whether {@code p} exists, a symlink not followed: {@code faccessat(AT_SYMLINK_NOFOLLOW)}. {@code Files.exists}
     * throws and catches an exception for a missing file in JDK 17, which at every first start of a service (no
     * FIFOs yet, no cgroup yet) cost a quarter of what the two mkfifo calls that follow cost (issue 13).
     */
    private static boolean exists(Path p) {
        if (Native.C.faccessat(AT_FDCWD, p.toString(), 0, AT_SYMLINK_NOFOLLOW) == 0) return true;
        int e = Native.errno();
        // anything but "not there" (a seccomp filter refusing faccessat2 with EPERM, say): ask lstat
        return e != ENOENT && e != ENOTDIR && Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private final FifosAhead ahead = new FifosAhead();
    /**
     * The FIFO directory last made or checked (loop thread): checked once, not at every start (two or
     * three system calls of each start, issue 13); one removed since is made again by {@link #output}.
     */
    private Path checkedDir;

    @Override
    public void prepareOutput(Path dir, String unit) {
        if (!dir.equals(checkedDir)) {
            try {
                fifoDir(dir);
            } catch (IOException | RuntimeException e) {
                return; // output() makes the FIFOs, and says why it cannot
            }
            checkedDir = dir;
        }
        ahead.add(dir.resolve(unit + ".stderr").toString(), dir.resolve(unit + ".stdout").toString());
    }

    @Override
    public void cancelPreparedOutputs() { ahead.cancel(); }

    @Override
    public java.util.concurrent.Executor logWriter() { return LogFlusher.SHARED; }

    @Override
    public OutputChannel output(Path dir, String unit, OutputListener l) throws IOException {
        if (!dir.equals(checkedDir)) {
            fifoDir(dir);
            checkedDir = dir;
        }
        try {
            return openOutput(dir, unit, l);
        } catch (IOException e) {
            if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw e;
            fifoDir(dir); // removed while the manager ran: made again, and the FIFOs with it
            return openOutput(dir, unit, l);
        }
    }

    private OutputChannel openOutput(Path dir, String unit, OutputListener l) throws IOException {
        Path out = dir.resolve(unit + ".stdout");
        Path err = dir.resolve(unit + ".stderr");
        // made ahead no longer (FifosAhead): this start makes or opens them now; those made ahead are fresh
        // FIFOs of this manager's in its own directory, opened as if made now (six system calls fewer)
        int made = ahead.claim(err.toString(), out.toString());
        boolean aheadErr = (made & FifosAhead.STDERR) != 0;
        boolean madeOut;
        boolean resumedShared;
        int o;
        if ((made & FifosAhead.STDOUT) != 0) {
            madeOut = true;
            resumedShared = false;
            o = openAhead(out);
        } else {
            // A .stdout without its .stderr is a service of an earlier manager that shares one FIFO; a .stdout
            // made just now (the first start of a service) has no such past
            madeOut = Native.C.mkfifo(out.toString(), 0600) == 0;
            resumedShared = !madeOut && !aheadErr && !exists(err); // not made: there already (else openFifo says why)
            o = madeOut ? openMadeFifo(out) : openFifo(out);
        }
        if (o >= descriptorLimit - RESERVED_DESCRIPTORS) {
            // the kernel hands out the lowest free number: this high, fewer than the reserve are left
            Native.C.close(o);
            throw tooFew();
        }
        // an existing .stderr may be a running service's descriptor 2 (re-adoption): never leave it unread;
        // one made ahead (FifosAhead) has no process: it goes
        boolean shared = resumedShared || (o >= sharingFrom(descriptorLimit)
                && (!aheadErr && !exists(err) || aheadErr && (Native.C.unlink(err.toString()) == 0 || Native.errno() == ENOENT)));
        int e = -1;
        if (!shared) {
            try {
                e = aheadErr ? openAhead(err) : openFifo(err);
            } catch (IOException x) {
                Native.C.close(o);
                throw x;
            }
            if (e >= descriptorLimit - RESERVED_DESCRIPTORS) {
                Native.C.close(o);
                Native.C.close(e);
                throw tooFew();
            }
        }
        if (ROOT) {
            // root only: other users share a small quota of pipe memory (pipe-user-pages-soft), which
            // 1 MiB FIFOs would use up after a few dozen services, shrinking every pipe of that user
            Native.C.fcntl(o, Native.F_SETPIPE_SZ, FIFO_BUFFER);
            if (e >= 0) Native.C.fcntl(e, Native.F_SETPIPE_SZ, FIFO_BUFFER);
        }

        if (e < 0) {
            pump.add(o, OutputListener.SHARED, l, true);
            return new OutputChannel(pump, out, out, o, -1);
        }
        pump.add(o, 1, l, true);
        pump.add(e, 2, l, true);
        return new OutputChannel(pump, out, err, o, e);
    }

    /** A FIFO made ahead ({@link FifosAhead}) opened as one made now; one removed meanwhile is made again. */
    private static int openAhead(Path p) throws IOException {
        int fd = Native.C.open(p.toString(), Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC | O_NOFOLLOW, 0);
        if (fd >= 0) return fd;
        if (Native.errno() != ENOENT) throw new IOException("cannot open FIFO " + p + ": " + Native.strerror(Native.errno()));
        return openFifo(p);
    }

    /** Makes or checks the FIFO directory: the manager's alone (0700; its FIFOs are 0600), its parents made if missing. */
    private static void fifoDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        }
        SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
    }

    private NoDescriptorsException tooFew() {
        return new NoDescriptorsException("too few file descriptors left for its output (the manager keeps "
                + RESERVED_DESCRIPTORS + " of its " + descriptorLimit + " for clients and logs; raise its ulimit -n)");
    }

    /** Opens (making it if needed) a FIFO read-write and non-blocking; a non-FIFO in its place is replaced. */
    private static int openFifo(Path p) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (Native.C.mkfifo(p.toString(), 0600) == 0) return openMadeFifo(p);
            if (Native.errno() != Native.EEXIST) {
                throw new IOException("cannot make FIFO " + p + ": " + Native.strerror(Native.errno()));
            }
            if (isFifo(p)) { // lstat: a symlink is not one
                int fd = Native.C.open(p.toString(), Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC | O_NOFOLLOW, 0);
                if (fd < 0) throw new IOException("cannot open FIFO " + p + ": " + Native.strerror(Native.errno()));
                return fd;
            }
            Files.deleteIfExists(p); // something else had the name: replaced by a FIFO of ours
        }
        throw new IOException("cannot make FIFO " + p + ": the name is taken");
    }

    /**
     * Opens a FIFO this manager has just made, in its own 0700 directory (nobody else can have put
     * anything in its place since): no check of what the name is (two lstat calls per FIFO fewer at
     * every first start of a service, issue 13). O_NOFOLLOW all the same.
     */
    private static int openMadeFifo(Path p) throws IOException {
        int fd = Native.C.open(p.toString(), Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC | O_NOFOLLOW, 0);
        if (fd < 0) throw new IOException("cannot open FIFO " + p + ": " + Native.strerror(Native.errno()));
        return fd;
    }

    private static boolean isFifo(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int spawn(SpawnRequest r, ExitListener onExit, OutputChannel out) throws SpawnException {
        return spawn(r, onExit, null, out);
    }

    @Override
    public int spawn(SpawnRequest r, ExitListener onExit, OutputListener out) throws SpawnException {
        return spawn(r, onExit, out, null);
    }

    private int spawn(SpawnRequest r, ExitListener onExit, OutputListener out, OutputChannel fifo) throws SpawnException {
        if (r.argv().isEmpty()) throw new SpawnException("executing command", "empty command");
        // a copy only where the user's entries (USER, HOME, ...) are added to it; else read as the request has it
        Map<String, String> env = r.user() == null ? r.env() : new LinkedHashMap<>(r.env());
        String dir = r.workingDirectory() == null ? "/" : r.workingDirectory();
        if (!dir.equals("/") && !Files.isDirectory(Path.of(dir))) { // the root is one (the default: no stat per start)
            throw new SpawnException("changing to the working directory",
                    Files.exists(Path.of(dir)) ? Native.strerror(20) : Native.strerror(2), dir);
        }
        SpawnSetup.Ids ids = ids(r, env);
        String root = r.rootDirectory();
        boolean viaSpawner;
        synchronized (reaper.lock()) {
            viaSpawner = r.wrapper().isEmpty() && spawner.available();
        }
        // with the spawner, its exec reports a missing or non-executable path itself
        boolean checked = root != null || !viaSpawner || !r.argv().get(0).contains("/");
        String exe = root == null ? Programs.resolve(r.argv().get(0), env.getOrDefault("PATH", DEFAULT_PATH), dir, checked)
                : Programs.resolveIn(root, r.argv().get(0), env.getOrDefault("PATH", DEFAULT_PATH));
        if (r.readyPipe() != null && r.readyFd() < 3) {
            throw new SpawnException("passing the readiness descriptor " + r.readyFd(), "it must be 3 or more");
        }
        List<String> argv = new ArrayList<>();
        List<String> join = r.serviceGroup() == null ? List.of() : r.serviceGroup().joinFiles();
        List<String> fallback = r.serviceGroup() == null ? List.of() : r.serviceGroup().prlimitArgs();
        long[] keep = r.nofile() == null ? DescriptorLimit.forServices() : null; // the limit the manager started with
        boolean limits = r.nofile() != null || keep != null || r.core() != null || !fallback.isEmpty();
        if (viaSpawner) {
            synchronized (reaper.lock()) {
                if (spawner.available()) {
                    Spawner.Request q = SpawnSetup.request(exe, r, env, dir, join, fallback, ids, keep);
                    Integer pid = spawnVia(q, r, onExit, out, fifo);
                    if (pid != null) return pid;
                }
            }
        }
        if (!checked) Programs.check(exe); // the JVM's way after all (a request too large, the spawner gone)
        if (join.isEmpty() && r.umask() == null && ids == null && !limits && r.wrapper().isEmpty() && r.listenFds().isEmpty()) {
            argv.add(exe);
            argv.addAll(r.argv().subList(1, r.argv().size()));
        } else {
            StringBuilder s = new StringBuilder();
            for (String f : join) s.append("echo $$ >").append(quote(f)).append(" || exit 126; ");
            if (!r.listenFds().isEmpty()) s.append("LISTEN_PID=$$; export LISTEN_PID; "); // sd_listen_fds: its own PID
            if (r.umask() != null) s.append("umask ").append(String.format("%04o", r.umask())).append("; ");
            s.append("exec");
            if (limits) {
                s.append(" /usr/bin/prlimit");
                if (r.nofile() != null) s.append(" --nofile=").append(r.nofile()).append(':').append(r.nofile());
                else if (keep != null) s.append(" --nofile=").append(keep[0]).append(':').append(keep[1]);
                if (r.core() != null) s.append(" --core=").append(r.core()).append(':').append(r.core());
                for (String a : fallback) s.append(' ').append(a);
                s.append(" --");
            }
            for (String w : r.wrapper()) s.append(' ').append(quote(w));
            if (ids != null) s.append(" /usr/bin/setpriv ").append(ids.setprivArgs()).append(" --");
            s.append(" \"$@\"");
            argv.addAll(List.of("/bin/sh", "-c", s.toString(), "svcmgr-exec", exe));
            argv.addAll(r.argv().subList(1, r.argv().size()));
        }
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        if (!argv.get(0).equals(exe)) {
            String real;
            try {
                real = Path.of(root == null ? exe : root + exe).toRealPath().toString();
            } catch (IOException e) {
                real = exe;
            }
            String program = real;
            ExitListener wrapped = (p, st) -> {
                pendingExec.remove(p);
                onExit.exited(p, st);
            };
            return spawnRaw(argv.get(0), argv, envp, dir, wrapped, out, fifo, r, program);
        }
        return spawnRaw(argv.get(0), argv, envp, dir, onExit, out, fifo, r, null);
    }

    /**
     * One spawn through the spawner, under the reaper's lock; null when it could not take the request
     * (the caller then spawns from the JVM).
     */
    private Integer spawnVia(Spawner.Request q, SpawnRequest r, ExitListener onExit, OutputListener out,
                             OutputChannel fifo) throws SpawnException {
        int[] o = {-1, -1}, e = {-1, -1};
        try {
            if (fifo == null) {
                if (Native.C.pipe2(o, Native.O_CLOEXEC) != 0 || Native.C.pipe2(e, Native.O_CLOEXEC) != 0) {
                    throw new SpawnException("creating pipes", Native.strerror(Native.errno()));
                }
                q.put('P', "").pass(o[1]).pass(e[1]);
            } else {
                q.put('o', fifo.stdoutPath().toString()).put('O', fifo.stderrPath().toString());
            }
            if (r.readyPipe() != null && r.readyPipe().writeFd() >= 0) {
                q.put('R', Integer.toString(r.readyFd())).pass(r.readyPipe().writeFd());
            }
            if (!r.listenFds().isEmpty()) {
                q.put('L', Integer.toString(r.listenFds().size())).put('p', "");
                for (int fd : r.listenFds()) q.pass(fd);
            }
            Spawner.Outcome got;
            try {
                got = spawner.spawn(q);
            } catch (SpawnException ex) {
                if (r.readyPipe() != null) r.readyPipe().closeWriteEnd();
                throw ex;
            }
            if (got == null) return null;
            if (r.readyPipe() != null) r.readyPipe().closeWriteEnd(); // the service has its copy
            if (got.errno() != 0) {
                if (got.pid() > 0) {
                    reaper.register(got.pid(), (p, st) -> { }); // ends with 127: reaped quietly
                    reaper.awaitEnded(got.pid()); // out of the group before the caller looks
                }
                throw new SpawnException(got.stage(), Native.strerror(got.errno()), got.subject());
            }
            reaper.register(got.pid(), onExit);
            if (r.serviceGroup() != null) r.serviceGroup().adopt(got.pid());
            if (fifo == null) {
                pump.add(o[0], 1, out);
                pump.add(e[0], 2, out);
                o[0] = e[0] = -1;
            }
            return got.pid();
        } finally {
            for (int fd : new int[] {o[0], o[1], e[0], e[1]}) {
                if (fd >= 0) Native.C.close(fd);
            }
        }
    }

    @Override
    public boolean execed(int pid) {
        String program = pendingExec.get(pid);
        if (program == null) return true;
        try {
            if (Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().equals(program)) {
                pendingExec.remove(pid);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private int spawnRaw(String path, List<String> argv, List<String> envp, String dir, ExitListener onExit,
                         OutputListener out, OutputChannel fifo, SpawnRequest r, String program) throws SpawnException {
        try {
            return spawnRaw(path, argv, envp, dir, onExit, out, fifo, r.serviceGroup(), program, r.readyPipe(), r.readyFd(),
                    r.listenFds());
        } finally {
            if (r.readyPipe() != null) r.readyPipe().closeWriteEnd(); // the service has its copy
        }
    }

    private int spawnRaw(String path, List<String> argv, List<String> envp, String dir, ExitListener onExit,
                         OutputListener out, OutputChannel fifo, ServiceGroup group, String program, ReadyPipe ready,
                         int readyFd, List<Integer> listen) throws SpawnException {
        if (ready != null && ready.writeFd() >= 0 && !listen.isEmpty() && readyFd < 3 + listen.size()) {
            throw new SpawnException("passing the readiness descriptor " + readyFd, "it is one of the sockets' (3 to " + (2 + listen.size()) + ")");
        }
        int[] o = {-1, -1}, e = {-1, -1};
        if (fifo == null && Native.C.pipe2(o, Native.O_CLOEXEC) != 0) {
            throw new SpawnException("creating pipes", Native.strerror(Native.errno()));
        }
        if (fifo == null && Native.C.pipe2(e, Native.O_CLOEXEC) != 0) {
            int err = Native.errno();
            Native.C.close(o[0]);
            Native.C.close(o[1]);
            throw new SpawnException("creating pipes", Native.strerror(err));
        }
        List<Object> keep = new ArrayList<>();
        Pointer argvP = Native.cStrings(argv, keep);
        Pointer envP = Native.cStrings(envp, keep);
        Pointer fa = Memory.allocateDirect(Native.RT, 256, true);
        Pointer attr = Memory.allocateDirect(Native.RT, 512, true);
        Native.C.posix_spawn_file_actions_init(fa);
        Native.C.posix_spawnattr_init(attr);
        int rc;
        int pid;
        try {
            Native.C.posix_spawn_file_actions_addopen(fa, 0, "/dev/null", Native.O_RDONLY, 0);
            if (fifo == null) {
                Native.C.posix_spawn_file_actions_adddup2(fa, o[1], 1);
                Native.C.posix_spawn_file_actions_adddup2(fa, e[1], 2);
            } else {
                // read-write: the service's side holds a reader too, so its writes survive the manager (see OutputChannel)
                Native.C.posix_spawn_file_actions_addopen(fa, 1, fifo.stdoutPath().toString(), Native.O_RDWR, 0);
                Native.C.posix_spawn_file_actions_addopen(fa, 2, fifo.stderrPath().toString(), Native.O_RDWR, 0);
            }
            Native.C.posix_spawn_file_actions_addchdir_np(fa, dir);
            // the sockets at 3, 4, ... (sd_listen_fds): first copied above every target, so that no dup2 clobbers a source
            int first = 3 + listen.size();
            int lift = Math.max(first, readyFd + 1) + 16;
            int readySrc = ready != null && ready.writeFd() >= 0 ? ready.writeFd() : -1;
            for (int i = 0; i < listen.size(); i++) Native.C.posix_spawn_file_actions_adddup2(fa, listen.get(i), lift + i);
            if (readySrc >= 0 && !listen.isEmpty()) {
                Native.C.posix_spawn_file_actions_adddup2(fa, readySrc, lift + listen.size());
                readySrc = lift + listen.size();
            }
            for (int i = 0; i < listen.size(); i++) Native.C.posix_spawn_file_actions_adddup2(fa, lift + i, 3 + i);
            if (readySrc >= 0) {
                // the write end becomes readyFd; everything else from the sockets up is closed
                Native.C.posix_spawn_file_actions_adddup2(fa, readySrc, readyFd);
                for (int f = first; f < readyFd; f++) Native.C.posix_spawn_file_actions_addclose(fa, f);
                Native.C.posix_spawn_file_actions_addclosefrom_np(fa, readyFd + 1);
            } else {
                Native.C.posix_spawn_file_actions_addclosefrom_np(fa, first);
            }
            Native.C.posix_spawnattr_setflags(attr,
                    (short) (Native.POSIX_SPAWN_SETSID | Native.POSIX_SPAWN_SETSIGMASK | Native.POSIX_SPAWN_SETSIGDEF));
            Native.C.posix_spawnattr_setsigmask(attr, EMPTY_SET);
            Native.C.posix_spawnattr_setsigdefault(attr, FULL_SET);
            IntByReference pidRef = new IntByReference();
            synchronized (reaper.lock()) {
                rc = Native.C.posix_spawn(pidRef, path, fa, attr, argvP, envP);
                pid = pidRef.intValue();
                if (rc == 0) {
                    if (program != null) pendingExec.put(pid, program);
                    reaper.register(pid, onExit);
                    if (group != null) group.adopt(pid);
                }
            }
        } finally {
            Native.C.posix_spawn_file_actions_destroy(fa);
            Native.C.posix_spawnattr_destroy(attr);
            if (fifo == null) {
                Native.C.close(o[1]);
                Native.C.close(e[1]);
            }
        }
        if (rc != 0) {
            if (fifo == null) {
                Native.C.close(o[0]);
                Native.C.close(e[0]);
            }
            throw new SpawnException("executing command", Native.strerror(rc), path);
        }
        if (fifo == null) {
            pump.add(o[0], 1, out);
            pump.add(e[0], 2, out);
        }
        return pid;
    }

    @Override
    public Path makeDirectory(String stage, Path base, String name, int mode, String user, String group) throws SpawnException {
        long[] owner = ExecDirectories.owner(posix(), user, group, stage);
        return ExecDirectories.make(stage, base, name, mode, owner[0], owner[1]);
    }

    @Override
    public String removeDirectory(Path dir) { return ExecDirectories.remove(dir); }

    /** uid/gid/groups to switch to, or null when the request keeps the manager's. */
    private SpawnSetup.Ids ids(SpawnRequest r, Map<String, String> env) throws SpawnException {
        if (r.user() == null && r.group() == null && r.supplementaryGroups().isEmpty()) return null;
        POSIX px = posix();
        long uid = -1, gid = 0;
        String initGroupsOf = null;
        if (r.user() != null) {
            Passwd pw = r.user().chars().allMatch(Character::isDigit)
                    ? px.getpwuid(Integer.parseInt(r.user())) : px.getpwnam(r.user());
            if (pw == null) throw new SpawnException("determining user", "no such user", r.user());
            uid = pw.getUID();
            gid = pw.getGID();
            // initgroups takes the password entry's group, whatever group: says
            initGroupsOf = pw.getLoginName() + ":" + pw.getGID();
            env.putIfAbsent("USER", pw.getLoginName());
            env.putIfAbsent("LOGNAME", pw.getLoginName());
            env.putIfAbsent("HOME", pw.getHome());
            env.putIfAbsent("SHELL", pw.getShell());
        }
        if (r.group() != null) gid = gidOf(px, r.group());
        if (!r.supplementaryGroups().isEmpty()) {
            List<String> g = new ArrayList<>();
            for (String s : r.supplementaryGroups()) g.add(Long.toString(gidOf(px, s)));
            return new SpawnSetup.Ids(uid, gid, null, String.join(",", g));
        }
        return new SpawnSetup.Ids(uid, gid, initGroupsOf, ""); // no user: no groups
    }

    private static long gidOf(POSIX px, String g) throws SpawnException {
        if (!g.isEmpty() && g.chars().allMatch(Character::isDigit)) return Long.parseLong(g);
        Group gr = px.getgrnam(g);
        if (gr == null) throw new SpawnException("determining group", "no such group", g);
        return gr.getGID();
    }

    private POSIX posix() {
        POSIX p = posix;
        if (p == null) posix = p = POSIXFactory.getNativePOSIX();
        return p;
    }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    private static Pointer sigset(boolean full) {
        Pointer p = Memory.allocateDirect(Native.RT, 128, true);
        Native.C.sigemptyset(p);
        // every signal 1..64, glibc's internal ones (32, 33) included: sigfillset leaves those out, and the
        // JVM's handlers for them would otherwise turn into SIG_IGN in the child
        if (full) p.putLong(0, -1L);
        return p;
    }

    @Override
    public boolean watch(int pid, ExitListener onExit) {
        synchronized (reaper.lock()) { reaper.register(pid, onExit); }
        if (ProcTable.stat(pid) != null) return true;
        return !reaper.unregister(pid, onExit);
    }

    @Override
    public boolean alive(int pid) {
        ProcTable.Proc p = ProcTable.stat(pid);
        return p != null && !p.zombie();
    }

    @Override
    public boolean kill(int pid, int signal) { return Native.C.kill(pid, signal) == 0; }

    @Override
    public String tracking() { return tracking; }

    @Override
    public String spawning() {
        synchronized (reaper.lock()) {
            return spawner.available() ? "svcmgr-spawn (pid " + spawner.pid() + ")"
                    : "posix_spawn from the manager (" + spawner.why() + ")";
        }
    }

    /** How many services svcmgr-spawn created in their cgroup (clone3) rather than moved into it. */
    int clonedIntoCgroup() {
        synchronized (reaper.lock()) {
            return spawner.clonedIntoCgroup();
        }
    }

    @Override
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }

    @Override
    public int watchedPipes() { return pump.watched(); }

    /**
     * Kills whatever is left in the service cgroups (the daemon stops its units before), waits up
     * to a second for them to empty, and removes the manager's cgroup directories.
     */
    @Override
    public void close() {
        synchronized (reaper.lock()) { spawner.close(); }
        pump.close();
        releases.close();
        if (cgroupBase != null) {
            List<CgroupGroup> left = new ArrayList<>();
            for (Path d : children(cgroupBase)) {
                CgroupGroup g = new CgroupGroup(d, List.of());
                if (!g.isEmpty()) g.killAll();
                left.add(g);
            }
            long end = System.nanoTime() + 1_000_000_000L;
            while (left.stream().anyMatch(g -> !g.isEmpty()) && System.nanoTime() < end) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            left.forEach(CgroupGroup::release);
            rmdir(cgroupBase);
        }
        if (limits != null) limits.close();
    }

    private static List<Path> children(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void rmdir(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // still populated: kept
        }
    }
}
