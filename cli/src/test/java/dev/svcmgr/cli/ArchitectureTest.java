package dev.svcmgr.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each library stays in its module (STYLE "The shape of the house"): SnakeYAML in
 * units, JGraphT in graph, jnr in core's os package, picocli in cli; and modules
 * only import modules below them.
 */
class ArchitectureTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p;
    }

    private record Rule(String importPrefix, String allowedPathPrefix) {}

    private static final List<Rule> RULES = List.of(
            new Rule("org.yaml.snakeyaml", "units/src/"),
            new Rule("org.jgrapht", "graph/src/"),
            new Rule("jnr.", "core/src/main/java/dev/svcmgr/core/os/"),
            new Rule("jnr.", "core/src/test/java/dev/svcmgr/core/os/"),
            new Rule("picocli", "cli/src/"),
            new Rule("dev.svcmgr.cli", "cli/src/"),
            new Rule("dev.svcmgr.core", "core/src/"),
            new Rule("dev.svcmgr.core", "cli/src/"),
            new Rule("dev.svcmgr.graph", "graph/src/"),
            new Rule("dev.svcmgr.graph", "core/src/"),
            new Rule("dev.svcmgr.graph", "cli/src/"),
            new Rule("dev.svcmgr.graph", "bench/"));

    private static List<String> violations(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !root.relativize(f).toString().contains("/target/"))
                    .sorted().toList();
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imp = m.group(2);
                boolean governed = false, allowed = false;
                for (Rule r : RULES) {
                    if (imp.startsWith(r.importPrefix())) {
                        governed = true;
                        if (rel.startsWith(r.allowedPathPrefix())) allowed = true;
                    }
                }
                if (governed && !allowed) out.add(rel + ": imports " + imp);
            }
        }
        return out;
    }

    @Test
    void librariesAndModulesStayInTheirPlace() throws IOException {
        Path root = root();
        assertTrue(root != null, "repository root not found");
        assertEquals(List.of(), violations(root));
    }

    /** Imports of files under {@code dir} that start with none of {@code allowed}. */
    private static List<String> importsOutside(Path root, String dir, List<String> allowed) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve(dir))) {
            files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imp = m.group(2);
                if (allowed.stream().noneMatch(imp::startsWith)) out.add(root.relativize(f) + ": imports " + imp);
            }
        }
        return out;
    }

    @Test
    void theProtocolIsSharedTypesOnly() throws IOException {
        // client and daemon share it: it knows JSON and the JDK, nothing of the daemon, the engine or the OS
        assertEquals(List.of(), importsOutside(root(), "core/src/main/java/dev/svcmgr/core/protocol",
                List.of("java.", "dev.svcmgr.core.json.")));
    }

    @Test
    void theScanCatchesALeak(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("graph/src/main/java/x/Leak.java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "package x;\nimport org.yaml.snakeyaml.Yaml;\nimport jnr.posix.POSIX;\nclass Leak {}\n");
        assertEquals(List.of("graph/src/main/java/x/Leak.java: imports org.yaml.snakeyaml.Yaml",
                "graph/src/main/java/x/Leak.java: imports jnr.posix.POSIX"), violations(tmp));
    }
}
