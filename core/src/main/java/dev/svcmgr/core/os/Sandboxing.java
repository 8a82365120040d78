package dev.svcmgr.core.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns a unit's {@code sandbox:} settings into a chain-loading prefix for the
 * spawned command (util-linux tools, no code runs in a forked JVM):
 * <pre>
 *   unshare --mount [--net] -- /bin/sh -c '&lt;mounts&gt;; exec [chroot ROOT] "$@"' svcmgr-sandbox
 *     [setpriv --no-new-privs --]  &lt;the rest of the command&gt;
 * </pre>
 * The mount script runs as the manager's user inside the new namespaces, before
 * credentials are dropped: a private tmpfs on {@code /tmp}; read-only bind
 * mounts; for {@code private-network} a fresh sysfs (so {@code /sys/class/net}
 * shows the namespace's own interfaces) and {@code ip link set lo up}. With a
 * root directory, the mounts are made under it and the rest of the command
 * (and {@code setpriv}) is looked up inside it.
 *
 * <p>Whether namespaces can be made is probed once per manager by running
 * {@code unshare} for real; settings the host refuses are listed in
 * {@link Plan#notApplied()} with the reason, never dropped silently.
 */
public final class Sandboxing {
    /** The programs a sandbox runs (container mode checks that the image has them). */
    public static final String UNSHARE = "/usr/bin/unshare";
    public static final String SETPRIV = "/usr/bin/setpriv";
    public static final String CHROOT = "/usr/sbin/chroot";

    /**
     * The settings, as in the unit file.
     *
     * @param noNewPrivileges {@code no-new-privileges}
     * @param privateTmp      {@code private-tmp}
     * @param privateNetwork  {@code private-network}
     * @param rootDirectory   {@code root-directory}, or null
     * @param readOnlyPaths   {@code read-only-paths}
     * @param writablePaths   the service's own directories ({@code runtime-directory}, ...): when the sandbox makes
     *                        a mount namespace they are bound writable at the same path inside it, over a
     *                        read-only path, inside the root directory, and below a private {@code /tmp}
     */
    public record Settings(boolean noNewPrivileges, boolean privateTmp, boolean privateNetwork, String rootDirectory,
                           List<String> readOnlyPaths, List<String> writablePaths) {
        public Settings {
            readOnlyPaths = List.copyOf(readOnlyPaths);
            writablePaths = List.copyOf(writablePaths);
        }

        /** Settings without directories of the service's own. */
        public Settings(boolean noNewPrivileges, boolean privateTmp, boolean privateNetwork, String rootDirectory, List<String> readOnlyPaths) {
            this(noNewPrivileges, privateTmp, privateNetwork, rootDirectory, readOnlyPaths, List.of());
        }

        boolean needsMountNamespace() {
            return privateTmp || privateNetwork || rootDirectory != null || !readOnlyPaths.isEmpty();
        }
    }

    /**
     * What will be done.
     *
     * @param prefix     argv to put before the command (empty when nothing applies)
     * @param applied    settings in effect, in unit-file words
     * @param notApplied one line per setting that could not be applied, with the reason
     */
    public record Plan(List<String> prefix, List<String> applied, List<String> notApplied) {}

    private static volatile String namespaceProblem;
    private static volatile boolean probed;

    private Sandboxing() {}

    /** Plans {@code s} for this host; nothing is started. */
    public static Plan plan(Settings s) { return plan(s, null); }

    /**
     * Plans {@code s}; {@code notifySocket} (null for none) is the manager's sd_notify socket, made
     * reachable inside the new mount namespace when a private /tmp or a root directory would hide
     * it: the directory holding it is opened before the mounts and bound back at the same path
     * afterwards ({@code mount --bind /proc/self/fd/9 DIR}).
     */
    public static Plan plan(Settings s, String notifySocket) {
        List<String> applied = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> prefix = new ArrayList<>();
        String nsProblem = s.needsMountNamespace() ? namespaces() : null;
        String root = s.rootDirectory();
        if (root != null && nsProblem == null) {
            if (!Files.isDirectory(Path.of(root))) {
                refused.add("sandbox.root-directory " + root + " not applied: not a directory");
                root = null;
            } else if (!Files.isExecutable(Path.of(CHROOT))) {
                refused.add("sandbox.root-directory not applied: " + CHROOT + " is missing");
                root = null;
            }
        }
        String base = root == null ? "" : root;
        StringBuilder script = new StringBuilder("set -e; ");
        String notifyDir = notifySocket == null ? null : Path.of(notifySocket).getParent().toString();
        boolean bindNotify = notifyDir != null && nsProblem == null && s.needsMountNamespace()
                && (root != null || s.privateTmp() && (notifyDir.equals("/tmp") || notifyDir.startsWith("/tmp/")));
        if (bindNotify) script.append("exec 9<").append(quote(notifyDir)).append("; ");
        // the service's own directories below a private /tmp: the host's /tmp is held open (descriptor 8) before
        // the tmpfs hides it, and they are bound from it
        List<String> writable = s.writablePaths();
        boolean holdTmp = s.privateTmp() && nsProblem == null && writable.stream().anyMatch(Sandboxing::underTmp);
        if (holdTmp) script.append("exec 8</tmp; ");
        boolean net = false;
        if (s.needsMountNamespace() && nsProblem != null) {
            if (s.privateTmp()) refused.add("sandbox.private-tmp not applied: " + nsProblem);
            if (s.privateNetwork()) refused.add("sandbox.private-network not applied: " + nsProblem);
            if (s.rootDirectory() != null) refused.add("sandbox.root-directory not applied: " + nsProblem);
            if (!s.readOnlyPaths().isEmpty()) refused.add("sandbox.read-only-paths not applied: " + nsProblem);
        } else if (s.needsMountNamespace()) {
            if (s.privateTmp()) {
                script.append("mount -t tmpfs -o mode=1777,nosuid,nodev svcmgr-tmp ").append(quote(base + "/tmp")).append("; ");
                applied.add("private-tmp");
            }
            for (String p : s.readOnlyPaths()) {
                String full = base + p;
                if (!Files.exists(Path.of(full))) {
                    refused.add("sandbox.read-only-paths " + p + " not applied: " + full + " does not exist");
                    continue;
                }
                script.append("mount --bind ").append(quote(full)).append(' ').append(quote(full))
                        .append("; mount -o remount,bind,ro ").append(quote(full)).append("; ");
                applied.add("read-only-paths " + p);
            }
            if (s.privateNetwork()) {
                net = true;
                script.append("mount -t sysfs svcmgr-sys ").append(quote(base + "/sys")).append(" 2>/dev/null || true; ");
                String ip = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip"
                        : Files.isExecutable(Path.of("/sbin/ip")) ? "/sbin/ip" : null;
                if (ip != null) script.append(ip).append(" link set lo up; ");
                applied.add("private-network" + (ip == null ? " (lo left down: no ip command)" : ""));
            }
            if (root != null) applied.add("root-directory " + root);
            for (String w : writable) {
                // bound at its own path, then made writable (a bind mount copies a read-only parent's flag)
                String from = holdTmp && underTmp(w) ? "/proc/self/fd/8" + w.substring("/tmp".length()) : w;
                // umask 022 as for the notify socket below: mount points made here must be searchable whatever the service's umask
                script.append("(umask 022; mkdir -p ").append(quote(base + w)).append("); mount --no-canonicalize --bind ")
                        .append(quote(from)).append(' ').append(quote(base + w)).append("; mount -o remount,bind,rw ")
                        .append(quote(base + w)).append(" 2>/dev/null || true; ");
            }
            if (holdTmp) script.append("exec 8<&-; ");
            if (bindNotify) {
                // umask 022: the directories leading to the socket must be searchable by the service's user whatever its umask
                script.append("(umask 022; mkdir -p ").append(quote(base + notifyDir)).append("); mount --no-canonicalize --bind /proc/self/fd/9 ")
                        .append(quote(base + notifyDir)).append("; exec 9<&-; ");
            }
            script.append("exec ").append(root == null ? "" : CHROOT + " " + quote(root) + " ").append("\"$@\"");
            if (!applied.isEmpty()) {
                prefix.add(UNSHARE);
                prefix.add("--mount");
                prefix.add("--propagation=private");
                if (net) prefix.add("--net");
                prefix.addAll(List.of("--", "/bin/sh", "-c", script.toString(), "svcmgr-sandbox"));
            }
        }
        if (s.noNewPrivileges()) {
            if (Files.isExecutable(Path.of(SETPRIV))) {
                prefix.addAll(List.of(SETPRIV, "--no-new-privs", "--"));
                applied.add("no-new-privileges");
            } else {
                refused.add("sandbox.no-new-privileges not applied: " + SETPRIV + " is missing");
            }
        }
        return new Plan(List.copyOf(prefix), List.copyOf(applied), List.copyOf(refused));
    }

    /** Null when mount and network namespaces can be made here, else why not (probed once). */
    static String namespaces() {
        if (probed) return namespaceProblem;
        synchronized (Sandboxing.class) {
            if (!probed) {
                namespaceProblem = probe();
                probed = true;
            }
        }
        return namespaceProblem;
    }

    private static String probe() {
        if (!Files.isExecutable(Path.of(UNSHARE))) return UNSHARE + " is missing";
        try {
            // judged by the output, not the exit status: the manager's reaper (waitpid(-1)) may reap this child first
            Process p = new ProcessBuilder(UNSHARE, "--mount", "--net", "--", "/bin/echo", "svcmgr-ns-ok")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unshare --mount --net did not finish within 5 s";
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!out.equals("svcmgr-ns-ok")) {
                return "the kernel or the manager's privileges refuse new mount/network namespaces ("
                        + (out.isEmpty() ? "unshare failed" : out.lines().findFirst().orElse("")) + ")";
            }
            return null;
        } catch (IOException e) {
            return "unshare could not be run (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing namespaces";
        }
    }

    private static boolean underTmp(String p) { return p.equals("/tmp") || p.startsWith("/tmp/"); }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }
}
