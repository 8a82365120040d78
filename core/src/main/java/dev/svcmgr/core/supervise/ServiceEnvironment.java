package dev.svcmgr.core.supervise;

import dev.svcmgr.core.os.SpawnException;
import dev.svcmgr.units.EnvFile;
import dev.svcmgr.units.ServiceConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a service's environment: manager environment, then environment-file(s), then environment. */
final class ServiceEnvironment {
    private ServiceEnvironment() {}

    static Map<String, String> build(Map<String, String> manager, ServiceConfig c, Integer mainPid) throws SpawnException {
        return build(manager, c, mainPid, true);
    }

    /**
     * As above; without {@code copy}, a unit that adds nothing (no environment files, no {@code environment}, no
     * {@code MAINPID}) gets {@code manager} itself when it has a {@code PATH}: read only, and no map built per start.
     */
    static Map<String, String> build(Map<String, String> manager, ServiceConfig c, Integer mainPid, boolean copy) throws SpawnException {
        if (!copy && mainPid == null && c.environmentFiles().isEmpty() && c.environment().isEmpty() && manager.containsKey("PATH")) {
            return manager;
        }
        Map<String, String> env = new TreeMap<>(manager);
        env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (EnvFile f : c.environmentFiles()) {
            try {
                parse(Files.readAllLines(Path.of(f.path()), StandardCharsets.UTF_8), env);
            } catch (NoSuchFileException e) {
                if (!f.optional()) throw new SpawnException("reading environment file", "No such file or directory", f.path());
            } catch (IOException e) {
                if (!f.optional()) throw new SpawnException("reading environment file", String.valueOf(e.getMessage()), f.path());
            }
        }
        env.putAll(c.environment());
        if (mainPid != null) env.put("MAINPID", Integer.toString(mainPid));
        return env;
    }

    /** KEY=value lines; blank lines and {@code #}/{@code ;} comments skipped; one pair of surrounding quotes removed. */
    static void parse(List<String> lines, Map<String, String> into) {
        for (String raw : lines) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            if (l.startsWith("export ")) l = l.substring(7).strip();
            int eq = l.indexOf('=');
            if (eq <= 0) continue;
            String k = l.substring(0, eq).strip();
            String v = l.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            into.put(k, v);
        }
    }

    /** Replaces {@code $MAINPID} and {@code ${MAINPID}} in each word. */
    static List<String> expandMainPid(List<String> argv, Integer mainPid) {
        String pid = mainPid == null ? "" : Integer.toString(mainPid);
        return argv.stream().map(a -> a.replace("${MAINPID}", pid).replace("$MAINPID", pid)).toList();
    }
}
