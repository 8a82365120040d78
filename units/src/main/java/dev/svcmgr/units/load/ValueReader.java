package dev.svcmgr.units.load;

import dev.svcmgr.units.ExecCommand;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.Values;
import dev.svcmgr.units.load.Schema.Tree;
import dev.svcmgr.units.load.Schema.Val;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one schema value of a unit at a time for {@link UnitCompiler}: scalars parsed by the schema's
 * type (strings, booleans, durations, absolute paths, lists of checked strings) with the last value
 * written winning, and commands (a list of words or a string split like a shell). It owns the reporting
 * of a single bad value, at its position and with its key path and what was expected, and the expansion
 * of the template specifiers %i, %n, %N and %% in the values of a template instance.
 */
final class ValueReader {
    private final Report report;
    private final String name;
    private final String instance; // null unless a template instance

    ValueReader(Report report, String name, String instance) {
        this.report = report;
        this.name = name;
        this.instance = instance;
    }

    /** A parser for {@link #scalar}: the text itself when it is an absolute path. */
    static String absolute(String s) {
        if (!s.startsWith("/")) throw new IllegalArgumentException();
        return s;
    }

    /** Every value written for a scalar key, in the order written. */
    static List<Val> all(Tree t, String key) { return t.scalars.getOrDefault(key, List.of()); }

    /** The value that wins for a scalar key (the last written), or null. */
    static Val last(Tree t, String key) {
        List<Val> l = t.scalars.get(key);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Reads every value written for a scalar key (so that replaced values are checked too); the last one wins. */
    <T> T scalar(Tree t, String key, T dflt, Function<String, T> parse, String expect) {
        return scalar(t, key, dflt, parse, expect, key);
    }

    <T> T scalar(Tree t, String key, T dflt, Function<String, T> parse, String expect, String path) {
        T result = dflt;
        for (Val v : all(t, key)) {
            if (v.node() instanceof ScalarNode sn && Schema.isNull(sn)) {
                result = dflt; // an empty value resets to the default
                continue;
            }
            String s = scalarText(v, path, expect);
            if (s == null) continue;
            try {
                result = parse.apply(s);
            } catch (IllegalArgumentException e) {
                bad(v, path, expect, s);
            }
        }
        return result;
    }

    String str(Tree t, String key, String dflt, boolean oneLine) {
        return scalar(t, key, dflt, s -> {
            if (oneLine && s.contains("\n")) throw new IllegalArgumentException();
            return s;
        }, oneLine ? "a one-line string" : "a string");
    }

    boolean bool(Tree t, String key, boolean dflt) { return bool(t, key, dflt, key); }

    boolean bool(Tree t, String key, boolean dflt, String path) {
        return scalar(t, key, dflt, s -> switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        }, "true or false", path);
    }

    Duration duration(Tree t, String key, Duration dflt) {
        return scalar(t, key, dflt, Values::parseDuration, "a duration like 100ms, 90s, 1min 30s or infinity");
    }

    String path(Tree t, String key, String dflt) {
        return scalar(t, key, dflt, ValueReader::absolute, "an absolute path");
    }

    List<String> strings(Tree t, String key, String path, Function<String, String> check) {
        List<String> out = new ArrayList<>();
        for (Val v : t.lists.getOrDefault(key, List.of())) {
            String s = scalarText(v, path, "a string");
            if (s == null) continue;
            String why = check.apply(s);
            if (why != null) {
                report.error(v.file(), v.node(), path, path + ": " + why + ", got '" + Schema.abbreviate(s) + "'");
                continue;
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    List<String> command(Tree t, String key) { return commandIn(t, key, key); }

    List<String> commandIn(Tree t, String key, String path) {
        List<String> result = null;
        for (Val v : all(t, key)) {
            if (v.node() instanceof ScalarNode sn && Schema.isNull(sn)) {
                result = null;
                continue;
            }
            List<String> c = toCommand(v, path);
            if (c != null) result = c;
        }
        return result;
    }

    /** A list of a service's commands: each item a command, or {@code {command, privileged, ignore-failure}}. */
    List<ExecCommand> execCommands(Tree t, String key) {
        List<ExecCommand> out = new ArrayList<>();
        for (Val v : t.lists.getOrDefault(key, List.of())) {
            ExecCommand c = toExecCommand(v, key);
            if (c != null) out.add(c);
        }
        return List.copyOf(out);
    }

    /** One service command (the last written wins), or null when there is none. */
    ExecCommand execCommand(Tree t, String key) {
        ExecCommand result = null;
        for (Val v : all(t, key)) {
            if (v.node() instanceof ScalarNode sn && Schema.isNull(sn)) {
                result = null;
                continue;
            }
            ExecCommand c = toExecCommand(v, key);
            if (c != null) result = c;
        }
        return result;
    }

    private static final List<String> EXEC_KEYS = List.of("command", "privileged", "ignore-failure");

    private ExecCommand toExecCommand(Val v, String path) {
        if (!(v.node() instanceof MappingNode m)) {
            List<String> argv = toCommand(v, path);
            return argv == null ? null : ExecCommand.of(argv);
        }
        List<String> argv = null;
        boolean privileged = false, ignore = false, ok = true, hasCommand = false;
        Set<String> seen = new HashSet<>();
        for (NodeTuple nt : m.getValue()) {
            Node kn = nt.getKeyNode();
            String k = kn instanceof ScalarNode ks ? ks.getValue() : null;
            Val inner = new Val(nt.getValueNode(), v.file(), kn);
            if (k == null || !EXEC_KEYS.contains(k)) {
                String s = k == null ? null : Schema.suggest(k, EXEC_KEYS);
                report.error(v.file(), kn, path, path + ": unknown key '" + (k == null ? "?" : Schema.abbreviate(k))
                        + "' in a command entry (expected command, privileged, ignore-failure" + (s == null ? "" : "; did you mean '" + s + "'?") + ")");
                ok = false;
            } else if (!seen.add(k)) {
                report.error(v.file(), kn, path, path + ": duplicate key '" + k + "' in a command entry");
                ok = false;
            } else if (k.equals("command")) {
                hasCommand = true;
                argv = toCommand(inner, path + ".command");
                if (argv == null) ok = false;
            } else {
                String text = scalarText(inner, path + "." + k, "true or false");
                if (!"true".equals(text) && !"false".equals(text)) {
                    if (text != null) bad(inner, path + "." + k, "true or false", text);
                    ok = false;
                } else if (k.equals("privileged")) {
                    privileged = text.equals("true");
                } else {
                    ignore = text.equals("true");
                }
            }
        }
        if (!hasCommand) {
            if (ok) report.error(v.file(), v.node(), path, path + ": an entry written as a mapping needs 'command' (a list of words or a string)");
            return null;
        }
        return ok ? new ExecCommand(argv, privileged, ignore) : null;
    }

    private List<String> toCommand(Val v, String path) {
        Node n = v.node();
        List<String> words = new ArrayList<>();
        if (n instanceof ScalarNode sn) {
            String raw = sn.getValue();
            try {
                for (String w : Values.splitCommand(raw)) {
                    String e = expand(w, v, path);
                    if (e == null) return null;
                    words.add(e);
                }
            } catch (IllegalArgumentException e) {
                report.error(v.file(), n, path, path + ": " + e.getMessage());
                return null;
            }
        } else if (n instanceof SequenceNode seq) {
            for (Node w : seq.getValue()) {
                String s = scalarText(new Val(w, v.file(), v.keyNode()), path, "a command word (a string)");
                if (s == null) return null;
                words.add(s);
            }
        } else {
            report.error(v.file(), n, path, path + ": expected a command (a list of words, or a string split like a shell), got a mapping");
            return null;
        }
        if (words.isEmpty() || words.get(0).isEmpty()) {
            report.error(v.file(), n, path, path + ": expected a non-empty command");
            return null;
        }
        return words;
    }

    /** The text of a scalar value, with template specifiers expanded; null (after reporting) when it is not a scalar. */
    String scalarText(Val v, String path, String expect) {
        if (!(v.node() instanceof ScalarNode sn)) {
            report.error(v.file(), v.node(), path, path + ": expected " + expect + ", got " + Schema.kindOf(v.node()));
            return null;
        }
        return expand(sn.getValue(), v, path);
    }

    /** Expands %i, %n, %N and %% in template instances; elsewhere returns the text unchanged. */
    private String expand(String s, Val v, String path) {
        if (instance == null || s.indexOf('%') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                report.error(v.file(), v.node(), path, path + ": '%' at the end of a value (expected %i, %n, %N or %%)");
                return null;
            }
            char d = s.charAt(++i);
            switch (d) {
                case 'i' -> b.append(instance);
                case 'n' -> b.append(name);
                case 'N' -> b.append(UnitNames.stem(name));
                case '%' -> b.append('%');
                default -> {
                    report.error(v.file(), v.node(), path, path + ": unknown specifier '%" + Schema.abbreviate(String.valueOf(d))
                            + "' (expected %i, %n, %N or %% in a template)");
                    return null;
                }
            }
        }
        return b.toString();
    }

    void bad(Val v, String path, String expect, String got) {
        report.error(v.file(), v.node(), path, path + ": expected " + expect + ", got '" + Schema.abbreviate(got) + "'");
    }
}
