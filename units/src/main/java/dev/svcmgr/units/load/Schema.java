package dev.svcmgr.units.load;

import dev.svcmgr.units.UnitType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The unit schema (units.md): which keys exist for each unit type, the shape of
 * each value, and the merge of a unit file and its drop-ins into one {@link Tree}
 * (scalars replace, lists append with {@code []} resetting, maps merge key by key).
 */
final class Schema {
    /** How a key's value is shaped and merged. */
    enum Shape {
        /** One scalar; a later file replaces it. */
        SCALAR,
        /** A command: a scalar (split like a shell) or a list (exact argv); a later file replaces it. */
        COMMAND,
        /** A service's command key: as {@link #COMMAND}, or a mapping {@code {command, privileged, ignore-failure}}. */
        EXEC_COMMAND,
        /** A list (a single scalar counts as a one-element list); later files append, {@code []} resets. */
        LIST,
        /** A service's list of commands: as {@link #LIST}, a single mapping ({@code {command, ...}}) counting as one item. */
        EXEC_COMMANDS,
        /** A mapping with fixed keys, merged key by key. */
        MAP,
        /** A mapping with free keys (environment), merged key by key. */
        FREE_MAP
    }

    /** One key: its shape, what it expects (for messages), and for maps its children. */
    record Spec(String key, Shape shape, String expect, Map<String, Spec> children) {}

    static final Map<String, Spec> COMMON = new LinkedHashMap<>();
    static final Map<String, Spec> TARGET_ONLY = new LinkedHashMap<>();
    static final Map<String, Spec> SERVICE_ONLY = new LinkedHashMap<>();
    static final Map<String, Spec> TIMER_ONLY = new LinkedHashMap<>();
    static final Map<String, Spec> PATH_ONLY = new LinkedHashMap<>();
    static final Map<String, Spec> SOCKET_ONLY = new LinkedHashMap<>();
    static final String NAMES = "a list of unit names";
    static final String COMMANDS = "a list of commands, each a list of words, a string, or {command, privileged, ignore-failure}";

    static {
        scalar(COMMON, "description", "a one-line string");
        list(COMMON, "documentation", "a list of URLs");
        for (String k : List.of("requires", "wants", "requisite", "binds-to", "part-of", "conflicts", "after", "before", "on-failure"))
            list(COMMON, k, NAMES);
        list(COMMON, "provides", "a list of names");
        list(COMMON, "aliases", NAMES);
        Map<String, Spec> cond = new LinkedHashMap<>();
        list(cond, "path-exists", "an absolute path or a list of them");
        list(cond, "path-exists-not", "an absolute path or a list of them");
        list(cond, "file-not-empty", "an absolute path or a list of them");
        list(cond, "env", "a list of environment variable names");
        map(COMMON, "conditions", cond);
        scalar(COMMON, "ignore-on-isolate", "true or false");
        Map<String, Spec> install = new LinkedHashMap<>();
        list(install, "wanted-by", NAMES);
        list(install, "required-by", NAMES);
        map(COMMON, "install", install);

        scalar(TARGET_ONLY, "allow-isolate", "true or false");

        list(TIMER_ONLY, "on-calendar", "a calendar event like \"Mon..Fri *-*-* 03:00:00\" or \"hourly\", or a list of them");
        for (String k : List.of("on-boot", "on-active", "on-unit-active", "on-unit-inactive"))
            scalar(TIMER_ONLY, k, "a duration like 5min");
        scalar(TIMER_ONLY, "persistent", "true or false");
        scalar(TIMER_ONLY, "randomized-delay", "a duration like 30s");
        scalar(TIMER_ONLY, "accuracy", "a duration like 1s");
        scalar(TIMER_ONLY, "service", "a service name like backup.service");

        for (String k : List.of("path-exists", "path-changed", "path-modified", "directory-not-empty"))
            list(PATH_ONLY, k, "an absolute path or a list of them");
        scalar(PATH_ONLY, "service", "a service name like app.service");
        scalar(PATH_ONLY, "action", "one of start, restart, reload");

        list(SOCKET_ONLY, "listen", "a list of {tcp|unix|udp|fifo: ADDRESS, name: NAME} entries");
        scalar(SOCKET_ONLY, "socket-mode", "an octal mode like \"0660\"");
        scalar(SOCKET_ONLY, "socket-user", "a user name or number");
        scalar(SOCKET_ONLY, "socket-group", "a group name or number");
        scalar(SOCKET_ONLY, "backlog", "a whole number of pending connections");
        scalar(SOCKET_ONLY, "service", "a service name like app.service");

        scalar(SERVICE_ONLY, "type", "one of simple, exec, notify, oneshot, forking");
        command(SERVICE_ONLY, "exec");
        commands(SERVICE_ONLY, "exec-start-pre");
        commands(SERVICE_ONLY, "exec-start-post");
        SERVICE_ONLY.put("exec-reload", new Spec("exec-reload", Shape.EXEC_COMMAND,
                "a command (a list of words, or a string split like a shell), or {command, privileged, ignore-failure}", Map.of()));
        commands(SERVICE_ONLY, "exec-stop");
        scalar(SERVICE_ONLY, "stop-signal", "a signal name like SIGTERM or a number");
        scalar(SERVICE_ONLY, "timeout-start", "a duration like 90s");
        scalar(SERVICE_ONLY, "timeout-stop", "a duration like 10s");
        scalar(SERVICE_ONLY, "restart", "one of no, on-failure, on-abnormal, always");
        scalar(SERVICE_ONLY, "restart-delay", "a duration like 100ms");
        scalar(SERVICE_ONLY, "restart-max-delay", "a duration like 30s");
        scalar(SERVICE_ONLY, "restart-reset-after", "a duration like 60s");
        Map<String, Spec> sl = new LinkedHashMap<>();
        scalar(sl, "burst", "a whole number of starts");
        scalar(sl, "interval", "a duration like 10s");
        map(SERVICE_ONLY, "start-limit", sl);
        scalar(SERVICE_ONLY, "remain-after-exit", "true or false");
        list(SERVICE_ONLY, "success-exit-status", "a list of exit statuses (0 to 255)");
        scalar(SERVICE_ONLY, "pid-file", "an absolute path");
        Map<String, Spec> ready = new LinkedHashMap<>();
        scalar(ready, "notify", "true or false");
        scalar(ready, "fd", "a file descriptor number (3 or more)");
        scalar(ready, "tcp", "host:port");
        scalar(ready, "http", "an http:// URL");
        command(ready, "exec");
        scalar(ready, "path", "an absolute path");
        map(SERVICE_ONLY, "ready", ready);
        scalar(SERVICE_ONLY, "watchdog", "a duration like 30s");
        SERVICE_ONLY.put("environment", new Spec("environment", Shape.FREE_MAP, "a mapping of NAME: value", Map.of()));
        list(SERVICE_ONLY, "environment-file", "an absolute path (optional with a leading '-') or a list of them");
        scalar(SERVICE_ONLY, "working-directory", "an absolute path");
        scalar(SERVICE_ONLY, "user", "a user name or number");
        scalar(SERVICE_ONLY, "group", "a group name or number");
        list(SERVICE_ONLY, "supplementary-groups", "a list of group names");
        scalar(SERVICE_ONLY, "umask", "an octal mode like \"0027\"");
        Map<String, Spec> limits = new LinkedHashMap<>();
        scalar(limits, "memory", "a size like 512M");
        scalar(limits, "cpu", "a percentage like 50%");
        scalar(limits, "pids", "a whole number");
        scalar(limits, "nofile", "a whole number");
        scalar(limits, "core", "a size like 0 or 1G");
        map(SERVICE_ONLY, "limits", limits);
        Map<String, Spec> sandbox = new LinkedHashMap<>();
        scalar(sandbox, "required", "true or false");
        scalar(sandbox, "no-new-privileges", "true or false");
        scalar(sandbox, "private-tmp", "true or false");
        scalar(sandbox, "private-network", "true or false");
        scalar(sandbox, "root-directory", "an absolute path");
        list(sandbox, "read-only-paths", "a list of absolute paths");
        map(SERVICE_ONLY, "sandbox", sandbox);
        Map<String, Spec> log = new LinkedHashMap<>();
        scalar(log, "max-size", "a size like 10M");
        scalar(log, "keep", "a whole number of rotated files");
        map(SERVICE_ONLY, "log", log);
        list(SERVICE_ONLY, "runtime-directory", "a directory name under /run (a user's $XDG_RUNTIME_DIR), or a list of them; removed after the service stops");
        list(SERVICE_ONLY, "state-directory", "a directory name under /var/lib (a user's ~/.local/state), or a list of them");
        list(SERVICE_ONLY, "logs-directory", "a directory name under /var/log (a user's ~/.local/state/log), or a list of them");
        list(SERVICE_ONLY, "cache-directory", "a directory name under /var/cache (a user's ~/.cache), or a list of them");
        scalar(SERVICE_ONLY, "directory-mode", "an octal mode like \"0755\"");
    }

    private Schema() {}

    private static void scalar(Map<String, Spec> m, String k, String expect) { m.put(k, new Spec(k, Shape.SCALAR, expect, Map.of())); }

    private static void command(Map<String, Spec> m, String k) {
        m.put(k, new Spec(k, Shape.COMMAND, "a command (a list of words, or a string split like a shell)", Map.of()));
    }

    private static void commands(Map<String, Spec> m, String k) { m.put(k, new Spec(k, Shape.EXEC_COMMANDS, COMMANDS, Map.of())); }

    private static void list(Map<String, Spec> m, String k, String expect) { m.put(k, new Spec(k, Shape.LIST, expect, Map.of())); }

    private static void map(Map<String, Spec> m, String k, Map<String, Spec> children) {
        m.put(k, new Spec(k, Shape.MAP, "a mapping with keys " + String.join(", ", children.keySet()), children));
    }

    /** The top-level keys of a unit of this type. */
    static Map<String, Spec> topLevel(UnitType type) {
        Map<String, Spec> m = new LinkedHashMap<>(COMMON);
        m.putAll(only(type));
        return m;
    }

    /** The keys of one unit type beyond the common ones. */
    static Map<String, Spec> only(UnitType type) {
        return switch (type) {
            case TARGET -> TARGET_ONLY;
            case SERVICE -> SERVICE_ONLY;
            case TIMER -> TIMER_ONLY;
            case PATH -> PATH_ONLY;
            case SOCKET -> SOCKET_ONLY;
        };
    }

    /** True when {@code key} is a top-level key of some unit type. */
    static boolean isKnownKey(String key) {
        if (COMMON.containsKey(key)) return true;
        for (UnitType t : UnitType.values()) if (only(t).containsKey(key)) return true;
        return false;
    }

    /** Every key of the schema, each under its dotted path (for the round-trip test and docs). */
    static List<String> allKeyPaths() {
        List<String> out = new ArrayList<>();
        for (Map<String, Spec> m : List.of(COMMON, TARGET_ONLY, SERVICE_ONLY, TIMER_ONLY, PATH_ONLY, SOCKET_ONLY))
            for (Spec s : m.values()) {
                out.add(s.key);
                for (Spec c : s.children.values()) out.add(s.key + "." + c.key);
            }
        return out;
    }

    // ---- the merged tree ------------------------------------------------------------------

    /** A value node with the file it came from and its key node (for positions). */
    record Val(Node node, String file, Node keyNode) {}

    /** The merge of a unit file and its drop-ins; each map level keeps its slots in first-seen order. */
    static final class Tree {
        /** SCALAR/COMMAND: every value written, in merge order (the last wins; all are checked). */
        final Map<String, List<Val>> scalars = new LinkedHashMap<>();
        /** LIST: the items after appends and resets, plus the last key written (for positions). */
        final Map<String, List<Val>> lists = new LinkedHashMap<>();
        final Map<String, Val> listKeys = new HashMap<>();
        /** MAP and FREE_MAP: the merged child. */
        final Map<String, Tree> maps = new LinkedHashMap<>();
        final Map<String, Val> mapKeys = new HashMap<>();
    }

    /** Merges one file's mapping into {@code tree}, reporting unknown, duplicate and wrongly shaped keys. */
    static void merge(String file, MappingNode map, Map<String, Spec> schema, Tree tree, String prefix,
                      UnitType type, Report report) {
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node kn = t.getKeyNode();
            Node vn = t.getValueNode();
            if (!(kn instanceof ScalarNode ks)) {
                report.error(file, kn, prefix, "expected a key (a plain word), got " + kindOf(kn));
                continue;
            }
            String key = ks.getValue();
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            Node first = seen.putIfAbsent(key, kn);
            if (first != null) {
                report.error(file, kn, path, "duplicate key '" + abbreviate(path) + "' (first at line " + (first.getStartMark().getLine() + 1)
                        + ", column " + (first.getStartMark().getColumn() + 1) + ")");
                continue;
            }
            Spec spec = schema == null ? null : schema.get(key);
            if (schema == null) { // free map: values are scalars
                if (!(vn instanceof ScalarNode)) {
                    report.error(file, vn, path, abbreviate(path) + ": expected a string value, got " + kindOf(vn));
                    continue;
                }
                tree.scalars.computeIfAbsent(key, k -> new ArrayList<>()).add(new Val(vn, file, kn));
                continue;
            }
            if (spec == null) {
                report.error(file, kn, path, unknownKey(key, prefix, schema, type));
                continue;
            }
            switch (spec.shape) {
                case SCALAR -> {
                    if (!(vn instanceof ScalarNode)) {
                        report.error(file, vn, path, path + ": expected " + spec.expect + ", got " + kindOf(vn));
                        continue;
                    }
                    tree.scalars.computeIfAbsent(key, k -> new ArrayList<>()).add(new Val(vn, file, kn));
                }
                case COMMAND, EXEC_COMMAND -> {
                    if (vn instanceof MappingNode && spec.shape == Shape.COMMAND) {
                        report.error(file, vn, path, path + ": expected " + spec.expect + ", got a mapping");
                        continue;
                    }
                    tree.scalars.computeIfAbsent(key, k -> new ArrayList<>()).add(new Val(vn, file, kn));
                }
                case LIST, EXEC_COMMANDS -> {
                    List<Val> items = tree.lists.computeIfAbsent(key, k -> new ArrayList<>());
                    tree.listKeys.put(key, new Val(vn, file, kn));
                    if (vn instanceof SequenceNode seq) {
                        if (seq.getValue().isEmpty()) items.clear();
                        for (Node item : seq.getValue()) items.add(new Val(item, file, kn));
                    } else if (vn instanceof ScalarNode sn) {
                        if (isNull(sn)) items.clear();
                        else items.add(new Val(vn, file, kn));
                    } else if (spec.shape == Shape.EXEC_COMMANDS) {
                        items.add(new Val(vn, file, kn)); // {command: ...}: one command
                    } else {
                        report.error(file, vn, path, path + ": expected " + spec.expect + ", got a mapping");
                    }
                }
                case MAP, FREE_MAP -> {
                    if (vn instanceof ScalarNode sn && isNull(sn)) {
                        tree.maps.put(key, new Tree());
                        tree.mapKeys.put(key, new Val(vn, file, kn));
                        continue;
                    }
                    if (!(vn instanceof MappingNode mn)) {
                        report.error(file, vn, path, path + ": expected " + spec.expect + ", got " + kindOf(vn));
                        continue;
                    }
                    tree.mapKeys.put(key, new Val(vn, file, kn));
                    Tree child = tree.maps.computeIfAbsent(key, k -> new Tree());
                    merge(file, mn, spec.shape == Shape.FREE_MAP ? null : spec.children, child, path, type, report);
                }
            }
        }
    }

    private static String unknownKey(String key, String prefix, Map<String, Spec> schema, UnitType type) {
        if (prefix.isEmpty()) {
            for (UnitType other : UnitType.values()) {
                if (other != type && only(other).containsKey(key))
                    return "key '" + key + "' is only valid in a " + other.suffix() + ", not in a " + type.suffix();
            }
        }
        String where = prefix.isEmpty() ? "" : " in '" + prefix + "'";
        String best = suggest(key, schema.keySet());
        String shown = abbreviate(key);
        if (best == null && prefix.isEmpty()) {
            List<String> nested = new ArrayList<>();
            for (Spec s : schema.values()) for (String c : s.children.keySet()) nested.add(s.key + "." + c);
            for (String n : nested) if (n.endsWith("." + key)) return "unknown key '" + shown + "' (did you mean '" + n + "'?)";
        }
        return "unknown key '" + shown + "'" + where + (best == null ? "" : " (did you mean '" + best + "'?)");
    }

    /** The closest candidate within a small edit distance, ties broken by name; null when none is close. */
    static String suggest(String word, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        int limit = word.length() <= 3 ? 1 : Math.min(3, Math.max(2, word.length() / 3));
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c);
            if (d <= limit && (d < bestD || (d == bestD && c.compareTo(best) < 0))) {
                best = c;
                bestD = d;
            }
        }
        return best;
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64) return Integer.MAX_VALUE;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }

    static boolean isNull(ScalarNode s) {
        return s.getTag().equals(Tag.NULL) && s.getValue().isEmpty()
                && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    }

    static String kindOf(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (n instanceof ScalarNode s) return isNull(s) ? "nothing" : "'" + abbreviate(s.getValue()) + "'";
        return "something else";
    }

    static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (c == '\t') b.append("\\t");
            else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        String one = b.toString();
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}
