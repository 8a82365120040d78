package dev.svcmgr.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every code block marked {@code sh example} in docs/*.md runs, as written, in bash
 * with {@code svcmgr} on the PATH (this build's classes), and must exit 0.
 */
class DocsExamplesTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p;
    }

    record Example(Path file, int line, String script) {}

    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        List<Path> docs;
        try (Stream<Path> s = Files.list(root().resolve("docs"))) {
            docs = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).trim().equals("```sh example")) continue;
                StringBuilder b = new StringBuilder();
                int start = i + 1;
                for (i = i + 1; i < lines.size() && !lines.get(i).trim().equals("```"); i++) b.append(lines.get(i)).append('\n');
                out.add(new Example(doc, start, b.toString()));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> docsExamplesRun() throws IOException {
        List<Example> all = examples();
        assertFalse(all.isEmpty(), "no 'sh example' blocks found in docs/");
        return all.stream().map(e -> DynamicTest.dynamicTest(root().relativize(e.file()) + ":" + e.line(), () -> run(e)));
    }

    private static void run(Example e) throws Exception {
        Path tmp = Files.createTempDirectory("svcmgr-docs-");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path svcmgr = bin.resolve("svcmgr");
        Files.writeString(svcmgr, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + cp + "' dev.svcmgr.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(svcmgr, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", e.script());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().remove("SVCMGR_RUNTIME_DIR");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        byte[] out;
        boolean done;
        try {
            out = p.getInputStream().readAllBytes();
            done = p.waitFor(120, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
            killLeftovers(tmp);
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(done, "example timed out:\n" + text);
        assertEquals(0, p.exitValue(), "example failed:\n" + e.script() + "\n--- output\n" + text);
    }

    /**
     * Ends any process a failed example left behind (its command line names the example's temp
     * dir): SIGTERM first, so that a daemon stops its services in order, then SIGKILL.
     */
    private static void killLeftovers(Path tmp) throws IOException {
        List<ProcessHandle> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) continue;
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(tmp.toString())) ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(left::add);
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        for (ProcessHandle h : left) h.destroy();
        for (ProcessHandle h : left) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                h.destroyForcibly();
            }
        }
    }
}
