package dev.svcmgr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real shells driving the completion scripts of {@code svcmgr completion}, with an {@code svcmgr}
 * on their PATH that runs this build's classes (the scripts call it back for every candidate).
 */
public final class Shells {
    private final Path dir;
    private final Path bin;
    /** Extra environment for every shell (e.g. SVCMGR_RUNTIME_DIR). */
    public final Map<String, String> env = new java.util.HashMap<>();

    public Shells(Path dir) throws IOException {
        this.dir = dir;
        this.bin = Files.createDirectories(dir.resolve("bin"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path svcmgr = bin.resolve("svcmgr");
        Files.writeString(svcmgr, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + cp + "' dev.svcmgr.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(svcmgr, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** True when {@code shell} is installed (a test skips, saying so, without it). */
    public static boolean installed(String shell) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, shell))) return true;
        }
        return false;
    }

    /** The script {@code svcmgr completion SHELL} prints, written to a file. */
    public Path script(String shell) throws IOException {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "completion", shell);
        if (code != 0) throw new IllegalStateException("completion " + shell + ": exit " + code);
        Path f = dir.resolve(shell.equals("zsh") ? "zsh/_svcmgr" : "svcmgr." + shell);
        Files.createDirectories(f.getParent());
        Files.writeString(f, out.toString());
        return f;
    }

    /** The words of a command line as a shell splits it; a trailing space starts an empty word. */
    static List<String> words(String line) {
        List<String> w = new ArrayList<>(Arrays.asList(line.trim().split(" +")));
        if (line.endsWith(" ")) w.add("");
        return w;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** What bash offers for {@code line}: the completion function run on COMP_WORDS, COMPREPLY one a line. */
    public List<String> bash(String line) throws Exception {
        List<String> w = words(line);
        StringBuilder words = new StringBuilder();
        for (String s : w) words.append(quote(s)).append(' ');
        String sh = "source " + quote(script("bash").toString()) + "\nCOMP_WORDS=(" + words + "); COMP_CWORD=" + (w.size() - 1)
                + "; COMP_LINE=" + quote(line) + "; COMP_POINT=${#COMP_LINE}\n_svcmgr\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return lines(run(List.of("bash", "--norc", "--noprofile", "-c", sh)));
    }

    /** What fish offers for {@code line} ({@code complete -C}), descriptions cut off. */
    public List<String> fish(String line) throws Exception {
        String sh = "source " + quote(script("fish").toString()) + "; complete -C " + quote(line);
        List<String> out = new ArrayList<>();
        for (String l : lines(run(List.of("fish", "--no-config", "-c", sh)))) out.add(l.contains("\t") ? l.substring(0, l.indexOf('\t')) : l);
        return out;
    }

    /**
     * What zsh offers for {@code line}: compinit finds _svcmgr in $fpath (as an installed
     * site-functions file) and registers it for svcmgr; the function then runs with zsh's words and
     * CURRENT set, and the completion builtins it ends in (_describe, _files) print what they were given.
     */
    public List<String> zsh(String line) throws Exception {
        Path fn = script("zsh");
        List<String> w = words(line);
        StringBuilder words = new StringBuilder();
        for (String s : w) words.append(quote(s)).append(' ');
        String sh = "fpath=(" + quote(fn.getParent().toString()) + " $fpath)\nautoload -Uz compinit && compinit -u -d "
                + quote(dir.resolve("zcompdump").toString()) + "\n"
                + "[[ $_comps[svcmgr] == _svcmgr ]] || { print 'svcmgr is not registered'; exit 1; }\n"
                + "_describe() { print -rl -- \"${(@P)4}\"; }\n_files() { print -r -- \":files $*\"; }\n"
                + "words=(" + words + "); CURRENT=" + w.size() + "\n_svcmgr\n";
        List<String> out = new ArrayList<>();
        for (String l : lines(run(List.of("zsh", "-f", "-c", sh)))) {
            int colon = l.indexOf(':', 1);
            while (colon > 0 && l.charAt(colon - 1) == '\\') colon = l.indexOf(':', colon + 1);
            out.add((colon > 0 && !l.startsWith(":files") ? l.substring(0, colon) : l).replace("\\:", ":"));
        }
        return out;
    }

    /**
     * Types {@code line} and a TAB into a real interactive zsh (driven through zsh/zpty, with compinit
     * finding _svcmgr in $fpath) and returns what the terminal showed once {@code expect} appeared (or
     * after 30 s): the completed line, or the listed candidates.
     */
    public String zshTerminal(String line, String expect) throws Exception {
        Path fn = script("zsh");
        String setup = "PS1=\"%% \"; fpath=(" + fn.getParent() + " $fpath); autoload -Uz compinit; compinit -u -d " + dir.resolve("zdump")
                + "; zstyle \":completion:*\" list-prompt \"\"; LISTMAX=1000; print READY-$((40+2))";
        String sh = "zmodload zsh/zpty\nzpty z zsh -f -i\n"
                + "zpty -w z " + quote(setup) + "\n"
                + "wait_for() { local buf=\"\" chunk; local deadline=$((SECONDS+30)); while (( SECONDS < deadline )); do"
                + " if zpty -r -t z chunk; then buf+=$chunk; [[ $buf == *$1* ]] && break; else sleep 0.1; fi; done; REPLY=$buf; }\n"
                + "wait_for READY-42\n"
                + "zpty -w -n z " + quote(line) + "$'\\t'\n"
                + "wait_for " + quote(expect) + "\nprint -r -- \"$REPLY\"\nzpty -d z\n";
        return run(List.of("zsh", "-f", "-c", sh)).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        for (String l : s.split("\n")) if (!l.isEmpty()) out.add(l);
        return out;
    }

    /** Runs a command with the svcmgr bin first on PATH; its stdout (stderr is kept apart and shown on failure). */
    public String run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("SVCMGR_RUNTIME_DIR");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Path err = dir.resolve("shell.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd.get(0) + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) throw new AssertionError(cmd.get(0) + " exited " + p.exitValue() + ":\n" + out + Files.readString(err));
        return out;
    }
}
