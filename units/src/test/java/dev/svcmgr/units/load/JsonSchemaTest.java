package dev.svcmgr.units.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/svcmgr-unit.schema.json is the schema generated from the loader's table, and a real JSON
 * Schema validator (python3's jsonschema) accepts every example unit with it and rejects unknown keys
 * and wrong values, reading YAML as an editor does (YAML 1.2).
 */
class JsonSchemaTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p;
    }

    @Test
    @DisplayName("docs/svcmgr-unit.schema.json is the generated schema, and it names every key of the table")
    void docsHoldTheGeneratedSchema() throws IOException {
        String doc = Files.readString(root().resolve("docs/svcmgr-unit.schema.json"));
        assertEquals(JsonSchema.json(), doc, "docs/svcmgr-unit.schema.json is stale: run 'mvn -pl units -am package -DskipTests'"
                + " (or java -cp units/target/classes dev.svcmgr.units.load.JsonSchema docs/svcmgr-unit.schema.json) and commit it");
        for (String key : Schema.allKeyPaths()) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            assertTrue(doc.contains("\"" + last + "\": {"), key + " is not in the schema");
            assertTrue(doc.contains(") " + key + ": "), key + " has no description");
        }
    }

    @Test
    @DisplayName("python3-jsonschema: every file of examples/units is valid; unknown keys and wrong values are not")
    void aRealValidatorAgrees(@TempDir Path dir) throws Exception {
        assumeTrue(validatorPresent(), "python3 with the jsonschema module is not installed (.ci/run installs python3-jsonschema);"
                + " skipping the validation of examples/units against the schema");
        Path schema = root().resolve("docs/svcmgr-unit.schema.json");
        Map<String, String> valid = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root().resolve("examples/units"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted().toList())
                valid.put(root().relativize(f).toString(), Files.readString(f));
        }
        assertTrue(valid.size() > 20, "examples: " + valid.keySet());
        valid.put("yaml-1.2-words", "restart: no\numask: 0027\ntimeout-stop: 10\nremain-after-exit: false\n");
        valid.put("dependency-map", "requires: [{unit: b.service, ordered: false}, c.service]\nafter: a.service\nbefore:\n");
        valid.put("commands", "exec: /bin/sleep 1\nexec-start-pre: [[/bin/true], \"/bin/echo hi\"]\nexec-reload: [/bin/kill, -HUP, $MAINPID]\n");
        valid.put("socket", "listen:\n  - tcp: \"127.0.0.1:8080\"\n  - fifo: /run/app.fifo\n    name: control\nbacklog: 128\n");
        valid.put("empty-file", "");
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("unknown-key", "restat: always\n");
        invalid.put("unknown-nested-key", "limits:\n  memroy: 1G\n");
        invalid.put("unknown-word", "restart: sometimes\n");
        invalid.put("not-a-boolean", "remain-after-exit: maybe\n");
        invalid.put("dependency-map-key", "requires: [{unit: b.service, orderd: false}]\n");
        invalid.put("list-of-maps-for-names", "aliases: [{a: b}]\n");
        invalid.put("not-a-mapping", "- description: a list\n");
        Map<String, String> verdicts = validate(dir, schema, valid, invalid);
        List<String> wrong = new ArrayList<>();
        for (String k : valid.keySet()) if (!verdicts.get(k).equals("ok")) wrong.add(k + " should be valid: " + verdicts.get(k));
        for (String k : invalid.keySet()) if (verdicts.get(k).equals("ok")) wrong.add(k + " should be invalid");
        assertEquals(List.of(), wrong);
    }

    private static boolean validatorPresent() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import jsonschema").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Each document's verdict from jsonschema's Draft7Validator: "ok" or the first error. */
    private static Map<String, String> validate(Path dir, Path schema, Map<String, String> a, Map<String, String> b) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(a);
        all.putAll(b);
        List<String> names = new ArrayList<>(all.keySet());
        for (int i = 0; i < names.size(); i++) Files.writeString(dir.resolve(i + ".json"), toJson(all.get(names.get(i))));
        String py = "import json, sys, jsonschema\n"
                + "schema = json.load(open(sys.argv[1]))\n"
                + "jsonschema.Draft7Validator.check_schema(schema)\n"
                + "v = jsonschema.Draft7Validator(schema)\n"
                + "for f in sys.argv[2:]:\n"
                + "    errs = list(v.iter_errors(json.load(open(f))))\n"
                + "    print('ok' if not errs else 'invalid: ' + errs[0].message.replace('\\n', ' '))\n";
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", py, schema.toString()));
        for (int i = 0; i < names.size(); i++) cmd.add(dir.resolve(i + ".json").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the validator did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(names.size(), lines.size(), out);
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) verdicts.put(names.get(i), lines.get(i));
        return verdicts;
    }

    /** A YAML document as JSON, plain scalars resolved by YAML 1.2's core schema (as yaml-language-server reads them). */
    static String toJson(String yaml) {
        Node n = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        StringBuilder b = new StringBuilder();
        json(b, n);
        return b.toString();
    }

    private static void json(StringBuilder b, Node n) {
        if (n == null) {
            b.append("null");
        } else if (n instanceof MappingNode m) {
            b.append('{');
            String sep = "";
            for (NodeTuple t : m.getValue()) {
                b.append(sep);
                quote(b, ((ScalarNode) t.getKeyNode()).getValue());
                b.append(':');
                json(b, t.getValueNode());
                sep = ",";
            }
            b.append('}');
        } else if (n instanceof SequenceNode s) {
            b.append('[');
            String sep = "";
            for (Node c : s.getValue()) {
                b.append(sep);
                json(b, c);
                sep = ",";
            }
            b.append(']');
        } else {
            ScalarNode s = (ScalarNode) n;
            String v = s.getValue();
            boolean plain = s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
            if (plain && v.matches("|~|null|Null|NULL")) b.append("null");
            else if (plain && v.matches("true|True|TRUE|false|False|FALSE")) b.append(v.toLowerCase(java.util.Locale.ROOT));
            else if (plain && v.matches("[-+]?[0-9]+")) b.append(new java.math.BigInteger(v.startsWith("+") ? v.substring(1) : v));
            else if (plain && v.matches("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?")) b.append(Double.parseDouble(v));
            else quote(b, v);
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }
}
