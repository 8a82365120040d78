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

    /**
     * Which packages of core each package may use (core/src/main): the engine knows only the loop; the
     * supervisors know the engine's driver port but not the daemon; the simulation knows no daemon;
     * only the daemon wires everything. A reference is an import or a fully qualified name.
     */
    private static final java.util.Map<String, List<String>> CORE_LAYERS = java.util.Map.ofEntries(
            java.util.Map.entry("json", List.of()),
            java.util.Map.entry("loop", List.of()),
            java.util.Map.entry("os", List.of()),
            java.util.Map.entry("protocol", List.of("json")),
            java.util.Map.entry("render", List.of("protocol")),
            java.util.Map.entry("http", List.of("json", "protocol", "render")),
            java.util.Map.entry("log", List.of("os")),
            java.util.Map.entry("engine", List.of("loop")),
            java.util.Map.entry("supervise.notify", List.of("loop", "os")),
            java.util.Map.entry("supervise.readiness", List.of("loop", "os")),
            java.util.Map.entry("supervise", List.of("engine", "json", "log", "loop", "os", "supervise.notify", "supervise.readiness")),
            java.util.Map.entry("sim", List.of("engine", "loop", "os", "protocol", "supervise", "supervise.notify", "supervise.readiness")),
            java.util.Map.entry("daemon", List.of("engine", "http", "json", "log", "loop", "os", "protocol", "sim", "supervise",
                    "supervise.notify", "supervise.readiness")));

    private static final Pattern CORE_REF = Pattern.compile("dev\\.svcmgr\\.core\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)(?=\\.[A-Z*])");

    /** References from one core package to another that {@link #CORE_LAYERS} does not allow, under {@code src}. */
    static List<String> coreLayerViolations(Path src) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
            if (pkg.isEmpty()) continue;
            List<String> allowed = CORE_LAYERS.get(pkg);
            if (allowed == null) {
                out.add(src.relativize(f) + ": package " + pkg + " has no place in the layers (add it to CORE_LAYERS)");
                continue;
            }
            java.util.Set<String> seen = new java.util.TreeSet<>();
            Matcher m = CORE_REF.matcher(Files.readString(f));
            while (m.find()) {
                String used = m.group(1);
                if (!used.equals(pkg) && !allowed.contains(used) && seen.add(used)) out.add(src.relativize(f) + ": uses core." + used);
            }
        }
        return out;
    }

    @Test
    void corePackagesOnlyUseTheLayersBelowThem() throws IOException {
        assertEquals(List.of(), coreLayerViolations(root().resolve("core/src/main/java/dev/svcmgr/core")));
    }

    @Test
    void theLayerScanCatchesAnEngineThatKnowsItsSupervisors(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("engine/Leak.java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "package dev.svcmgr.core.engine;\nimport dev.svcmgr.core.loop.Loop;\n"
                + "class Leak { dev.svcmgr.core.supervise.ServiceSupervisor s; dev.svcmgr.core.supervise.notify.NotifyHub h; }\n");
        Path g = tmp.resolve("newpkg/X.java");
        Files.createDirectories(g.getParent());
        Files.writeString(g, "package dev.svcmgr.core.newpkg;\nclass X {}\n");
        assertEquals(List.of("engine/Leak.java: uses core.supervise", "engine/Leak.java: uses core.supervise.notify",
                "newpkg/X.java: package newpkg has no place in the layers (add it to CORE_LAYERS)"), coreLayerViolations(tmp));
    }

    /** A cgroup file system path, or a process's /proc entry built from a PID ({@code /proc/self} is not one). */
    private static final Pattern OS_FIGURES = Pattern.compile("\"/sys/fs/cgroup|\"/proc/?\"|\"/proc/\"\\s*\\+");

    /** Main sources of core and cli under {@code root}, outside core.os, that name cgroup or per-process /proc paths. */
    static List<String> osFigureReaders(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (String main : List.of("core/src/main", "cli/src/main")) {
            if (!Files.isDirectory(root.resolve(main))) continue;
            try (Stream<Path> s = Files.walk(root.resolve(main))) {
                for (Path f : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String rel = root.relativize(f).toString().replace('\\', '/');
                    if (rel.startsWith("core/src/main/java/dev/svcmgr/core/os/")) continue;
                    if (OS_FIGURES.matcher(Files.readString(f)).find()) out.add(rel);
                }
            }
        }
        return out;
    }

    @Test
    void cgroupsAndProcessFiguresAreReadInCoreOsOnly() throws IOException {
        assertEquals(List.of(), osFigureReaders(root()));
    }

    @Test
    void theFigureScanCatchesAReaderOutsideCoreOs(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("core/src/main/java/dev/svcmgr/core/os"));
        Files.createDirectories(tmp.resolve("core/src/main/java/dev/svcmgr/core/daemon"));
        String reader = "class U { Object a = java.nio.file.Path.of(\"/sys/fs/cgroup/memory\"); Object b = \"/proc/\" + 1; }\n";
        Files.writeString(tmp.resolve("core/src/main/java/dev/svcmgr/core/os/U.java"), reader);
        Files.writeString(tmp.resolve("core/src/main/java/dev/svcmgr/core/daemon/U.java"), reader);
        Files.writeString(tmp.resolve("core/src/main/java/dev/svcmgr/core/daemon/V.java"), "class V { Object p = \"/proc\"; }\n");
        Files.writeString(tmp.resolve("core/src/main/java/dev/svcmgr/core/daemon/W.java"), "class W { Object p = \"/proc/self\"; }\n");
        assertEquals(List.of("core/src/main/java/dev/svcmgr/core/daemon/U.java", "core/src/main/java/dev/svcmgr/core/daemon/V.java"),
                osFigureReaders(tmp));
    }

    /** Engine sources under {@code engine} other than its file port that name the file system API. */
    static List<String> engineFileSystemUsers(Path engine) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(engine)) {
            for (Path f : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (f.getFileName().toString().equals("FileProbe.java")) continue;
                String text = Files.readString(f);
                if (text.contains("java.nio.file") || text.contains("java.io.File")) out.add(f.getFileName().toString());
            }
        }
        return out;
    }

    @Test
    void theEngineReachesTheFileSystemOnlyThroughItsPort(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        assertEquals(List.of(), engineFileSystemUsers(root().resolve("core/src/main/java/dev/svcmgr/core/engine")));
        Files.writeString(tmp.resolve("FileProbe.java"), "import java.nio.file.Files;\n");
        Files.writeString(tmp.resolve("Gate.java"), "class Gate { boolean b = java.nio.file.Files.exists(null); }\n");
        assertEquals(List.of("Gate.java"), engineFileSystemUsers(tmp), "the scan catches a leak");
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
