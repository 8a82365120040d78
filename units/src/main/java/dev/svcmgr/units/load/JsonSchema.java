package dev.svcmgr.units.load;

import dev.svcmgr.units.DepKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON Schema (draft-07, which yaml-language-server and most editors support fully) for unit
 * files, generated from the loader's own schema table so that it cannot drift from what the loader
 * accepts (docs/svcmgr-unit.schema.json, kept current by a test; the distribution ships it as
 * share/svcmgr/svcmgr-unit.schema.json).
 *
 * <p>One schema serves every unit type: JSON Schema cannot see the file name, and a unit file's type
 * is only in its name. So the schema accepts the keys of every type, rejects every other key (at
 * every level), and each key's description says which unit types take it; {@code svcmgr verify}
 * reports a key in the wrong type of unit. Values are checked as far as the table says: booleans,
 * the words of "one of ..." keys, whole numbers, the list-or-scalar form of lists, commands, the
 * fixed keys of maps, dependency entries ({@code {unit, ordered}}) and socket {@code listen} entries.
 * YAML is read as YAML 1.2 by the editor, as the loader does (so {@code restart: no} is the word).
 */
public final class JsonSchema {
    private JsonSchema() {}

    /** The schema as pretty-printed JSON, ending in a newline. */
    public static String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "svcmgr unit file");
        root.put("description", "A svcmgr unit file (NAME.service.yaml, .target.yaml, .socket.yaml, .timer.yaml, .path.yaml, or a drop-in"
                + " NAME.TYPE.d/*.yaml). One schema for every type: each key says which types take it; svcmgr verify checks the rest.");
        root.put("type", List.of("object", "null"));
        Map<String, Object> props = new LinkedHashMap<>();
        addAll(props, Schema.COMMON, "every unit");
        addAll(props, Schema.TARGET_ONLY, "targets");
        addAll(props, Schema.SERVICE_ONLY, "services");
        addAll(props, Schema.TIMER_ONLY, "timers");
        addAll(props, Schema.PATH_ONLY, "paths");
        addAll(props, Schema.SOCKET_ONLY, "sockets");
        root.put("properties", props);
        root.put("additionalProperties", false);
        Map<String, Object> defs = new LinkedHashMap<>();
        Map<String, Object> word = obj("type", "string", "minLength", 1);
        defs.put("command", obj("description", "A command: a list of words (the exact argv) or a string split like a shell (quotes honoured, no expansion).",
                "anyOf", List.of(word, obj("type", "array", "minItems", 1, "items", obj("type", "string")))));
        defs.put("dependency", obj("description", "A unit name, or {unit: NAME, ordered: false} to pull it in without ordering on it.",
                "anyOf", List.of(word, obj("type", "object", "properties", obj("unit", word, "ordered", obj("type", "boolean")),
                        "required", List.of("unit"), "additionalProperties", false))));
        Map<String, Object> execProps = new LinkedHashMap<>();
        execProps.put("command", obj("$ref", "#/definitions/command"));
        execProps.put("privileged", obj("type", "boolean", "description", "Run as root, outside user: and the sandbox (systemd's + prefix)."));
        execProps.put("ignore-failure", obj("type", "boolean", "description", "A non-zero exit is logged and ignored (systemd's - prefix)."));
        defs.put("execCommand", obj("description", "A command, or {command, privileged, ignore-failure}.", "anyOf",
                List.of(obj("$ref", "#/definitions/command"),
                        obj("type", "object", "properties", execProps, "required", List.of("command"), "additionalProperties", false))));
        root.put("definitions", defs);
        StringBuilder b = new StringBuilder();
        write(b, root, "");
        return b.append('\n').toString();
    }

    /** Adds a type's keys; a key several types share (service, in timers, paths and sockets) names them all. */
    @SuppressWarnings("unchecked")
    private static void addAll(Map<String, Object> props, Map<String, Schema.Spec> specs, String types) {
        for (Schema.Spec s : specs.values()) {
            Map<String, Object> had = (Map<String, Object>) props.get(s.key());
            if (had != null) {
                String d = (String) had.get("description");
                had.put("description", d.replaceFirst("^\\(([^)]*)\\)", "($1, " + types + ")"));
                continue;
            }
            props.put(s.key(), value(s, s.key(), types));
        }
    }

    private static Map<String, Object> value(Schema.Spec s, String path, String types) {
        String merge = switch (s.shape()) {
            case SCALAR, COMMAND, EXEC_COMMAND -> "a drop-in replaces it";
            case LIST, EXEC_COMMANDS -> "a drop-in appends to it; [] resets it";
            case MAP, FREE_MAP -> "a drop-in merges it key by key";
        };
        String what = s.shape() == Schema.Shape.MAP ? "a mapping" : s.expect();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("description", "(" + types + ") " + path + ": " + what + "; " + merge + ".");
        switch (s.shape()) {
            case SCALAR -> v.putAll(scalar(s.expect()));
            case COMMAND -> v.put("$ref", "#/definitions/command");
            case EXEC_COMMAND -> v.put("$ref", "#/definitions/execCommand");
            case EXEC_COMMANDS -> v.put("anyOf", List.of(obj("$ref", "#/definitions/execCommand"),
                    obj("type", "array", "items", obj("$ref", "#/definitions/execCommand")), obj("type", "null")));
            case LIST -> {
                Map<String, Object> item = item(s.key(), s.expect());
                v.put("anyOf", List.of(item, obj("type", "array", "items", item), obj("type", "null")));
            }
            case MAP -> {
                v.put("type", List.of("object", "null"));
                Map<String, Object> children = new LinkedHashMap<>();
                for (Schema.Spec c : s.children().values()) children.put(c.key(), value(c, path + "." + c.key(), types));
                v.put("properties", children);
                v.put("additionalProperties", false);
            }
            case FREE_MAP -> {
                v.put("type", List.of("object", "null"));
                v.put("additionalProperties", obj("type", List.of("string", "number", "boolean")));
            }
        }
        return v;
    }

    /** A scalar's type from what the table says it expects. */
    static Map<String, Object> scalar(String expect) {
        if (expect.equals("true or false")) return obj("type", "boolean");
        if (expect.startsWith("one of ")) return obj("enum", List.of(expect.substring("one of ".length()).split(", ")));
        if (expect.contains("whole number") || expect.contains("descriptor number")) return obj("type", "integer", "minimum", 0);
        if (expect.matches(".*\\b(number|size|duration|percentage|octal)\\b.*")) return obj("type", List.of("string", "number"));
        return obj("type", "string");
    }

    /** A list item's schema from the key and what the table says the list holds. */
    private static Map<String, Object> item(String key, String expect) {
        if (DepKind.ofKey(key) != null) return obj("$ref", "#/definitions/dependency");
        if (expect.equals("a list of commands")) return obj("$ref", "#/definitions/command");
        if (key.equals("listen")) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String k : List.of("tcp", "unix", "udp", "fifo")) p.put(k, obj("type", List.of("string", "integer")));
            p.put("name", obj("type", "string"));
            return obj("type", "object", "properties", p, "additionalProperties", false, "minProperties", 1);
        }
        if (expect.contains("exit status")) return obj("type", List.of("integer", "string"));
        return obj("type", "string");
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static void write(StringBuilder b, Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            boolean simple = m.values().stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map));
            if (simple && m.size() <= 3) {
                StringBuilder one = new StringBuilder("{");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    string(one, (String) e.getKey());
                    one.append(": ");
                    write(one, e.getValue(), indent);
                    if (++i < m.size()) one.append(", ");
                }
                one.append('}');
                if (one.length() <= 100) {
                    b.append(one);
                    return;
                }
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(indent).append("  ");
                string(b, (String) e.getKey());
                b.append(": ");
                write(b, e.getValue(), indent + "  ");
                b.append(++i < m.size() ? ",\n" : "\n");
            }
            b.append(indent).append('}');
        } else if (v instanceof List<?> l) {
            boolean simple = l.stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List));
            if (simple) {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(", ");
                    write(b, l.get(i), indent);
                }
                b.append(']');
                return;
            }
            b.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                b.append(indent).append("  ");
                write(b, l.get(i), indent + "  ");
                b.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            b.append(indent).append(']');
        } else if (v instanceof String s) {
            string(b, s);
        } else {
            b.append(v);
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Writes the schema to the file named (default docs/svcmgr-unit.schema.json) when it differs. */
    public static void main(String[] args) throws IOException {
        Path f = Path.of(args.length > 0 ? args[0] : "docs/svcmgr-unit.schema.json");
        String text = json();
        if (f.getParent() != null) Files.createDirectories(f.getParent());
        if (!Files.exists(f) || !Files.readString(f).equals(text)) Files.writeString(f, text);
    }
}
