package dev.svcmgr.core.daemon;

import dev.svcmgr.core.os.Sandboxing;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Container mode (cli.md "The daemon"; docs/container.md): SIGTERM and SIGINT, and {@code poweroff},
 * {@code reboot} and {@code halt}, stop every unit in order and exit 0 instead of ending the machine;
 * every service's output is also on the daemon's stdout. On with {@code --container}, and by itself
 * when the daemon is PID 1 and the environment says it is a container.
 */
public final class ContainerMode {
    private ContainerMode() {}

    /**
     * True when a PID 1 daemon should run in container mode without being told: the environment has
     * {@code container} set (podman, systemd-nspawn, LXC), or {@code /.dockerenv} (Docker) or
     * {@code /run/.containerenv} (podman) exists under {@code root}.
     */
    public static boolean detected(boolean pid1, Map<String, String> env, Path root) {
        if (!pid1) return false;
        String c = env.get("container");
        if (c != null && !c.isEmpty()) return true;
        return Files.exists(root.resolve(".dockerenv")) || Files.exists(root.resolve("run/.containerenv"));
    }

    /** The daemon's first line in container mode, then a warning per missing program ({@link #missingTools}). */
    static void announce(UnitSet units, java.io.PrintStream err) {
        err.println("svcmgr: container mode: SIGTERM, SIGINT, poweroff, reboot and halt stop every unit, then exit 0");
        for (String w : missingTools(units, Path.of("/"))) err.println("svcmgr: warning: " + w);
    }

    /**
     * One warning line per program a loaded unit needs that is not in this image (a unit that needs
     * it starts without the setting, or fails to start with {@code sandbox.required}), e.g.
     * {@code /usr/bin/unshare is missing: the sandbox of a.service, b.service is not applied}. Plain
     * services need no program of the image: the spawner sets them up itself.
     */
    static List<String> missingTools(UnitSet units, Path root) {
        Map<String, TreeSet<String>> needs = new TreeMap<>();
        for (Unit u : units.units().values()) {
            if (u.service() == null) continue;
            Sandbox sb = u.service().sandbox();
            if (sb == null || sb.isEmpty()) continue;
            boolean ns = sb.privateTmp() || sb.privateNetwork() || sb.rootDirectory() != null || !sb.readOnlyPaths().isEmpty();
            if (ns) {
                need(needs, Sandboxing.UNSHARE, u);
                need(needs, "/bin/sh", u);
                need(needs, "mount", u);
            }
            if (sb.rootDirectory() != null) need(needs, Sandboxing.CHROOT, u);
            if (sb.noNewPrivileges()) need(needs, Sandboxing.SETPRIV, u);
        }
        List<String> out = new ArrayList<>();
        needs.forEach((tool, who) -> {
            if (present(root, tool)) return;
            out.add((tool.startsWith("/") ? tool : tool + " (in /usr/bin or /bin)") + " is missing from this image: the sandbox of "
                    + String.join(", ", who) + " is not applied (a unit with sandbox.required fails to start)");
        });
        return out;
    }

    private static void need(Map<String, TreeSet<String>> needs, String tool, Unit u) {
        needs.computeIfAbsent(tool, k -> new TreeSet<>()).add(u.name());
    }

    private static boolean present(Path root, String tool) {
        if (tool.startsWith("/")) return Files.isExecutable(root.resolve(tool.substring(1)));
        return Files.isExecutable(root.resolve("usr/bin").resolve(tool)) || Files.isExecutable(root.resolve("bin").resolve(tool));
    }
}
