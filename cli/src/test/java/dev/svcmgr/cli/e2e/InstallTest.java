package dev.svcmgr.cli.e2e;

import dev.svcmgr.cli.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a user installs it: the tree {@code mvn package} makes (written here by the same
 * {@link Distribution} from a self-contained jar of this build's classes), {@code install.sh --prefix},
 * then {@code PREFIX/bin/svcmgr} run from elsewhere, through a symlink and as another user, the man pages
 * through {@code man}, the installed bash completion, {@code DESTDIR} staging and {@code --uninstall}.
 */
class InstallTest {
    private Path base;

    @AfterEach
    void clean() throws IOException {
        if (base == null) return;
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("units/pom.xml"))) p = p.getParent();
        return p;
    }

    record Run(int code, String out) {}

    private static Run run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        pb.environment().remove("SVCMGR_RUNTIME_DIR");
        pb.environment().remove("SVCMGR_NATIVE_CLIENT");
        pb.environment().remove("MANPATH");
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }

    /** One jar with every class and resource of this build's runtime classpath (what the shade plugin makes). */
    static void fatJar(Path jar) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.svcmgr.cli.Main");
        mf.getMainAttributes().put(new Attributes.Name("Multi-Release"), "true");
        Set<String> seen = new HashSet<>(List.of("META-INF/MANIFEST.MF"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            for (String e : cp.split(File.pathSeparator)) {
                Path p = Path.of(e);
                if (e.contains("test-classes") || e.matches(".*(junit|opentest4j|apiguardian).*") || !Files.exists(p)) continue;
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                            String name = p.relativize(f).toString().replace(File.separatorChar, '/');
                            if (keep(name) && seen.add(name)) add(out, name, Files.newInputStream(f));
                        }
                    }
                } else {
                    try (JarFile j = new JarFile(p.toFile())) {
                        for (Enumeration<JarEntry> en = j.entries(); en.hasMoreElements(); ) {
                            JarEntry je = en.nextElement();
                            if (!je.isDirectory() && keep(je.getName()) && seen.add(je.getName())) add(out, je.getName(), j.getInputStream(je));
                        }
                    }
                }
            }
        }
    }

    private static boolean keep(String name) {
        return !name.matches("META-INF/[^/]*\\.(SF|DSA|RSA)") && !name.equals("module-info.class") && !name.equals("META-INF/MANIFEST.MF");
    }

    private static void add(JarOutputStream out, String name, InputStream in) throws IOException {
        try (in) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    @DisplayName("install.sh --prefix P: P/bin/svcmgr runs from anywhere (symlinked, as another user), man svcmgr and man svcmgr.unit render, bash completes; DESTDIR; --uninstall")
    void installedFromTheDistribution() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-install-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = base.resolve("svcmgr.jar");
        fatJar(jar);
        Path client = Path.of("target/svcmgr-client").toAbsolutePath(); // the native client, where this build has a C compiler
        boolean nativeClient = Files.isExecutable(client);
        if (nativeClient) Files.copy(client, base.resolve("svcmgr-client"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path dist = base.resolve("svcmgr-0.1.0");
        Distribution.write(dist, jar, root());
        assertEquals(Files.readString(root().resolve("svcmgr")), Files.readString(dist.resolve("bin/svcmgr")),
                "the installed launcher is ./svcmgr itself (the same JVM options)");
        for (String f : List.of("bin/svcmgr", "lib/svcmgr.jar", "share/man/man1/svcmgr.1", "share/man/man1/svcmgr-start.1",
                "share/man/man5/svcmgr.unit.5", "share/bash-completion/completions/svcmgr", "share/zsh/site-functions/_svcmgr",
                "share/fish/vendor_completions.d/svcmgr.fish", "share/svcmgr/svcmgr-unit.schema.json", "install.sh"))
            assertTrue(Files.isRegularFile(dist.resolve(f)), "the distribution lacks " + f);
        assertFalse(Files.exists(dist.resolve("share/man/man1/svcmgr-__complete.1")));
        Distribution.tarball(dist);
        Run listing = run(base, Map.of(), "tar", "-tvzf", base.resolve("svcmgr-0.1.0.tar.gz").toString());
        assertEquals(0, listing.code(), listing.out());
        assertTrue(listing.out().lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" svcmgr-0.1.0/install.sh")), listing.out());
        assertTrue(listing.out().lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" svcmgr-0.1.0/bin/svcmgr")), listing.out());
        assertTrue(listing.out().contains(" svcmgr-0.1.0/share/man/man5/svcmgr.unit.5\n"), listing.out());

        Path prefix = base.resolve("prefix");
        Path elsewhere = Path.of("/");
        Run install = run(elsewhere, Map.of(), dist.resolve("install.sh").toString(), "--prefix", prefix.toString());
        assertEquals(0, install.code(), install.out());
        Path svcmgr = prefix.resolve("bin/svcmgr");
        Run version = run(elsewhere, Map.of(), svcmgr.toString(), "--version");
        assertEquals(new Run(0, "svcmgr 0.1.0\n"), version);
        boolean archive = Files.exists(root().resolve("cli/cds/classes.lst"));
        if (archive) {
            assertTrue(Files.isRegularFile(prefix.resolve("lib/svcmgr/svcmgr.jsa")), "install.sh made the start-up archive: " + install.out());
            assertEquals(new Run(0, "svcmgr 0.1.0\n"), run(elsewhere, Map.of("SVCMGR_JAVA_OPTS", "-Xshare:on"), svcmgr.toString(), "--version"),
                    "the archive maps (-Xshare:on fails otherwise)");
        }
        Path links = Files.createDirectories(base.resolve("links"));
        Files.createSymbolicLink(links.resolve("svcmgr"), svcmgr);
        assertEquals(new Run(0, "svcmgr 0.1.0\n"), run(elsewhere, Map.of(), links.resolve("svcmgr").toString(), "--version"));
        Run verify = run(elsewhere, Map.of(), svcmgr.toString(), "verify", "--units", root().resolve("examples/units").toString());
        assertEquals(0, verify.code(), verify.out());
        if (nativeClient) {
            // the installed launcher answers is-active through lib/svcmgr/svcmgr-client: with no java on PATH at all
            assertTrue(Files.isExecutable(prefix.resolve("lib/svcmgr/svcmgr-client")));
            Path none = Files.createDirectories(base.resolve("no-daemon"));
            Path tools = Files.createDirectories(base.resolve("no-java"));
            for (String t : List.of("readlink", "dirname")) Files.createSymbolicLink(tools.resolve(t), Path.of("/usr/bin", t));
            String line = "svcmgr: no svcmgr daemon is running (no control socket at " + none.resolve("control.sock")
                    + "); start one with 'svcmgr daemon' or name its --runtime-dir\n";
            Map<String, String> noJava = Map.of("PATH", tools.toString());
            assertEquals(new Run(1, line), run(elsewhere, noJava, svcmgr.toString(), "is-active", "web", "--runtime-dir", none.toString()));
            // installed and not a symlink: the client runs before the launcher needs any tool (no readlink, no subshell)
            Path noTools = Files.createDirectories(base.resolve("no-tools"));
            assertEquals(new Run(1, line), run(elsewhere, Map.of("PATH", noTools.toString()), svcmgr.toString(), "is-active", "web",
                    "--runtime-dir", none.toString()));
            assertEquals(new Run(1, line), run(elsewhere, noJava, links.resolve("svcmgr").toString(), "is-active", "web", "--runtime-dir",
                    none.toString()), "through a symlink: the canonical path first, then the client");
            assertEquals(new Run(1, line), run(elsewhere, Map.of(), svcmgr.toString(), "is-active", "web", "--json", "--runtime-dir", none.toString()),
                    "another shape runs in the JVM, with the same words");
            assertEquals(127, run(elsewhere, noJava, svcmgr.toString(), "is-active", "web", "--json", "--runtime-dir", none.toString()).code(),
                    "and needs java");
        }

        // another user: lib/svcmgr is not theirs, so the archive goes to their cache, or nowhere, and svcmgr still runs
        if (Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name"))) {
            Files.deleteIfExists(prefix.resolve("lib/svcmgr/svcmgr.jsa"));
            Path home = Files.createDirectories(base.resolve("home"));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
            String[] asNobody = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", svcmgr.toString(), "--version"};
            assertEquals(new Run(0, "svcmgr 0.1.0\n"), run(elsewhere, Map.of("HOME", "/nonexistent"), asNobody), "no writable place: no archive");
            assertEquals(new Run(0, "svcmgr 0.1.0\n"), run(elsewhere, Map.of("HOME", home.toString()), asNobody));
            if (archive) {
                try (Stream<Path> s = Files.list(home.resolve(".cache/svcmgr"))) {
                    assertEquals(1, s.filter(p -> p.toString().endsWith(".jsa")).count(), "the archive in the user's cache");
                }
            }
            assertFalse(Files.exists(prefix.resolve("lib/svcmgr/svcmgr.jsa")));
        }

        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            Map<String, String> env = Map.of("MANPATH", prefix.resolve("share/man").toString(), "MANWIDTH", "100");
            Run one = run(elsewhere, env, "man", "-P", "cat", "svcmgr");
            assertEquals(0, one.code(), one.out());
            for (String s : List.of("SVCMGR(1)", "EXAMPLES", "FILES", "ENVIRONMENT", "SVCMGR_JAVA_OPTS", "/etc/svcmgr/units"))
                assertTrue(one.out().contains(s), "man svcmgr lacks " + s + ":\n" + one.out());
            Run five = run(elsewhere, env, "man", "-P", "cat", "svcmgr.unit");
            assertEquals(0, five.code(), five.out());
            for (String s : List.of("SVCMGR.UNIT(5)", "DROP-INS", "TEMPLATES", "restart-delay", "allow-isolate", "on-calendar"))
                assertTrue(five.out().contains(s), "man svcmgr.unit lacks " + s + ":\n" + five.out());
            assertEquals(0, run(elsewhere, env, "man", "-P", "cat", "svcmgr-start").code());
        } else {
            System.out.println("man is not installed (.ci/run installs man-db); the installed man pages were not rendered");
        }

        // the installed bash completion, calling the installed svcmgr found on PATH
        String sh = "PATH=" + prefix.resolve("bin") + ":$PATH\nsource " + prefix.resolve("share/bash-completion/completions/svcmgr")
                + "\nCOMP_WORDS=(svcmgr is-sys); COMP_CWORD=1; _svcmgr; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        assertEquals(new Run(0, "is-system-running\n"), run(elsewhere, Map.of(), "bash", "--norc", "-c", sh));

        // DESTDIR stages the same tree below it and makes no archive (it records the jar's final path)
        Path stage = base.resolve("stage");
        Run staged = run(elsewhere, Map.of("DESTDIR", stage.toString()), dist.resolve("install.sh").toString(), "--prefix", "/usr/local");
        assertEquals(0, staged.code(), staged.out());
        assertTrue(Files.isExecutable(stage.resolve("usr/local/bin/svcmgr")) && Files.exists(stage.resolve("usr/local/share/man/man5/svcmgr.unit.5")));
        assertFalse(Files.exists(stage.resolve("usr/local/lib/svcmgr/svcmgr.jsa")));

        Run bad = run(elsewhere, Map.of(), dist.resolve("install.sh").toString(), "--prefix", "relative/dir");
        assertEquals(2, bad.code(), bad.out());
        assertEquals("install.sh: --prefix must be an absolute path, not 'relative/dir'\n", bad.out());

        Run gone = run(elsewhere, Map.of(), dist.resolve("install.sh").toString(), "--prefix", prefix.toString(), "--uninstall");
        assertEquals(0, gone.code(), gone.out());
        List<String> left = new ArrayList<>();
        try (Stream<Path> s = Files.walk(prefix)) {
            s.filter(Files::isRegularFile).forEach(p -> left.add(prefix.relativize(p).toString()));
        }
        assertEquals(List.of(), left, "files left after --uninstall");
    }

    @Test
    @DisplayName("the source tree's launcher answers a native verb before its source scan, and builds when the client's own C source changed")
    void sourceTreeClientBeforeTheScan() throws Exception {
        Path client = Path.of("target/svcmgr-client").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(client), "this build has no native client (no C compiler)");
        base = Files.createTempDirectory(Path.of("/tmp"), "svcmgr-tree-");
        // a source tree as the launcher sees one: its jar and client built, a Java source edited since
        Path tree = base.resolve("tree");
        Files.createDirectories(tree.resolve("cli/target"));
        Files.copy(root().resolve("svcmgr"), tree.resolve("svcmgr"), StandardCopyOption.COPY_ATTRIBUTES);
        Path c = Files.createDirectories(tree.resolve("cli/src/main/c")).resolve("svcmgr-client.c");
        Files.writeString(c, "/* the client's source */\n");
        Path jar = Files.writeString(tree.resolve("cli/target/svcmgr.jar"), "");
        Files.copy(client, tree.resolve("cli/target/svcmgr-client"), StandardCopyOption.COPY_ATTRIBUTES);
        Path edited = Files.createDirectories(tree.resolve("core/src/main/java")).resolve("Edited.java");
        Files.writeString(edited, "class Edited {}\n");
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(c, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 30_000));
        Files.setLastModifiedTime(tree.resolve("cli/target/svcmgr-client"), FileTime.fromMillis(now - 30_000));
        // an mvn that says it was asked (the tree has no POM to build)
        Path tools = Files.createDirectories(base.resolve("tools"));
        Path asked = base.resolve("mvn-ran");
        Files.writeString(tools.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> " + asked + "\nexit 1\n");
        Files.setPosixFilePermissions(tools.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", tools + ":/usr/bin:/bin");
        Path none = Files.createDirectories(base.resolve("no-daemon"));
        String line = "svcmgr: no svcmgr daemon is running (no control socket at " + none.resolve("control.sock")
                + "); start one with 'svcmgr daemon' or name its --runtime-dir\n";
        assertEquals(new Run(1, line), run(base, env, tree.resolve("svcmgr").toString(), "is-active", "web", "--runtime-dir", none.toString()),
                "the client answers though a Java source is newer than the jar");
        assertFalse(Files.exists(asked), "no build for a verb the client answered");
        // a shape the client hands to the JVM (exit 125, nothing printed): the scan, and so the build, come first
        Run handed = run(base, env, tree.resolve("svcmgr").toString(), "is-active", "web", "--json", "--runtime-dir", none.toString());
        assertEquals(1, handed.code(), handed.out());
        assertTrue(handed.out().startsWith("svcmgr: building (mvn package)...\n"), handed.out());
        assertTrue(Files.exists(asked), "the launcher built before the JVM would run the command");
        Files.delete(asked);
        // the client's own source edited since its build: the scan, and so the build, come first
        Files.setLastModifiedTime(c, FileTime.fromMillis(now));
        Run stale = run(base, env, tree.resolve("svcmgr").toString(), "is-active", "web", "--runtime-dir", none.toString());
        assertEquals(1, stale.code(), stale.out());
        assertTrue(stale.out().startsWith("svcmgr: building (mvn package)...\nsvcmgr: build failed; run 'mvn -f "), stale.out());
        assertTrue(Files.exists(asked), "the launcher built first");
        // a verb the client does not answer always checks the sources
        Files.delete(asked);
        Files.setLastModifiedTime(c, FileTime.fromMillis(now - 60_000));
        assertEquals(1, run(base, env, tree.resolve("svcmgr").toString(), "verify", "--units", none.toString()).code());
        assertTrue(Files.exists(asked), "verify runs the jar: the launcher built first");
    }
}
