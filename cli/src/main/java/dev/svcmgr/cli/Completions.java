package dev.svcmgr.cli;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.core.daemon.Locations;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import dev.svcmgr.units.UnitType;
import dev.svcmgr.units.load.UnitLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Shell completion, answered by the program itself: the bash, zsh and fish scripts that
 * {@code svcmgr completion SHELL} prints are small shims that hand the words typed so far to the
 * hidden {@code svcmgr __complete SHELL -- WORD...} and show what it prints. The candidates come
 * from the same picocli model as {@code --help} and the man pages (commands, options, enum values),
 * so a new command or option completes without a change here; unit arguments (a parameter or
 * option whose label starts with {@code UNIT}, and {@code --target}) complete to unit names from
 * the running daemon, or, when none answers, from the file names in the unit directories.
 *
 * <p>The answer's first line is a directive: {@code :words} (the candidates follow, one a line),
 * {@code :files} or {@code :dirs} (let the shell complete paths). Candidates carry a description
 * after a tab for fish and after a colon for zsh (colons in the word escaped), none for bash.
 */
public final class Completions {
    private Completions() {}

    /** What the shell should do: show the candidates, or complete file or directory names itself. */
    public enum Directive { WORDS, FILES, DIRS }

    /** One candidate and its one-line description (empty when none). */
    public record Candidate(String word, String help) {}

    /** The answer to one completion request. */
    public record Answer(Directive directive, List<Candidate> candidates) {}

    /** How long a completion waits for the daemon before it falls back to the unit directories. */
    static final Duration DAEMON_WAIT = Duration.ofSeconds(2);

    /**
     * The candidates for the last of {@code words} (the words after the program name; the last one
     * is the word being completed, possibly empty); {@code units} lists unit names given the words.
     */
    public static Answer complete(List<String> words, Function<List<String>, List<Candidate>> units) {
        List<String> w = words.isEmpty() ? List.of("") : words;
        String cur = w.get(w.size() - 1);
        CommandLine cl = Main.commandLine(firstWord(w));
        int positional = 0;
        boolean endOfOptions = false;
        ArgSpec valueOf = null;
        for (int i = 0; i < w.size() - 1; i++) {
            String word = w.get(i);
            if (!endOfOptions && word.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (!endOfOptions && word.startsWith("-") && word.length() > 1) {
                String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                OptionSpec o = cl.getCommandSpec().findOption(name);
                boolean takesValue = o != null ? o.arity().min > 0 : cl.getParent() == null && isGlobalWithValue(name);
                if (takesValue && !word.contains("=")) {
                    i++;
                    if (i < w.size() - 1 && w.get(i).equals("=")) i++; // bash splits --opt=value at the '='
                    if (i == w.size() - 1) valueOf = o;
                    if (o == null && i == w.size() - 1) return globalValue(name);
                }
                continue;
            }
            if (!endOfOptions && positional == 0 && cl.getSubcommands().containsKey(word)) {
                cl = cl.getSubcommands().get(word);
                continue;
            }
            positional++;
        }
        if (valueOf != null) return filter(values(valueOf, w, units), cur);
        CommandSpec spec = cl.getCommandSpec();
        if (!endOfOptions && cur.startsWith("-")) {
            List<Candidate> out = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) continue;
                for (String n : o.names()) out.add(new Candidate(n, firstSentence(o.description())));
            }
            if (cl.getParent() == null) { // the options that may also stand before the command name
                for (String n : new java.util.TreeSet<>(Main.GLOBAL_WITH_VALUE)) out.add(new Candidate(n, ""));
                for (String n : new java.util.TreeSet<>(Main.GLOBAL_FLAGS)) out.add(new Candidate(n, ""));
            }
            return filter(new Answer(Directive.WORDS, out), cur);
        }
        if (!endOfOptions && positional == 0 && !visibleSubcommands(cl).isEmpty()) {
            List<Candidate> out = new ArrayList<>();
            for (CommandLine sub : visibleSubcommands(cl)) {
                CommandSpec s = sub.getCommandSpec();
                out.add(new Candidate(s.name(), firstSentence(s.usageMessage().description())));
            }
            return filter(new Answer(Directive.WORDS, out), cur);
        }
        if (spec.userObject() instanceof CommandLine.HelpCommand && positional == 0 && cl.getParent() != null) {
            List<Candidate> out = new ArrayList<>(); // help COMMAND: the commands beside it
            for (CommandLine sub : visibleSubcommands(cl.getParent())) out.add(new Candidate(sub.getCommandName(), ""));
            return filter(new Answer(Directive.WORDS, out), cur);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(positional)) return filter(values(p, w, units), cur);
        }
        return new Answer(Directive.WORDS, List.of());
    }

    /** The first word that names a command (global options and their values skipped), or null. */
    private static String firstWord(List<String> w) {
        for (int i = 0; i < w.size() - 1; i++) {
            String word = w.get(i);
            if (!word.startsWith("-")) return word;
            if (isGlobalWithValue(word) && !word.contains("=")) i += i + 2 < w.size() && w.get(i + 1).equals("=") ? 2 : 1;
        }
        return null;
    }

    private static boolean isGlobalWithValue(String name) {
        return Main.GLOBAL_WITH_VALUE.contains(name);
    }

    /** The value of a global option given before the command name: a directory, or nothing to offer for --timeout. */
    private static Answer globalValue(String name) {
        if (name.equals("--timeout")) return new Answer(Directive.WORDS, List.of());
        return new Answer(Directive.DIRS, List.of());
    }

    private static List<CommandLine> visibleSubcommands(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) out.add(sub);
        }
        return out;
    }

    /** True when an option or parameter takes unit names: its label starts with UNIT or TARGET, or it is --target. */
    static boolean takesUnits(ArgSpec a) {
        String label = a.paramLabel().toUpperCase(Locale.ROOT);
        if (label.startsWith("UNIT") || label.startsWith("TARGET")) return true;
        return a instanceof OptionSpec o && List.of(o.names()).contains("--target");
    }

    private static Answer values(ArgSpec a, List<String> w, Function<List<String>, List<Candidate>> units) {
        if (takesUnits(a)) {
            List<Candidate> out = new ArrayList<>();
            return new Answer(Directive.WORDS, units.apply(w));
        }
        if (a.completionCandidates() != null) {
            List<Candidate> out = new ArrayList<>();
            for (String c : a.completionCandidates()) out.add(new Candidate(c, ""));
            return new Answer(Directive.WORDS, out);
        }
        Class<?> t = a.type();
        if (t == Path.class || t == java.io.File.class || a.auxiliaryTypes().length > 0 && a.auxiliaryTypes()[0] == Path.class) {
            return new Answer(a.paramLabel().contains("DIR") ? Directive.DIRS : Directive.FILES, List.of());
        }
        if (a.paramLabel().equals("CMD")) return new Answer(Directive.FILES, List.of());
        return new Answer(Directive.WORDS, List.of());
    }

    private static Answer filter(Answer a, String prefix) {
        if (a.directive() != Directive.WORDS) return a;
        List<Candidate> out = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Candidate c : a.candidates()) {
            if (c.word().startsWith(prefix) && seen.add(c.word())) out.add(c);
        }
        return new Answer(a.directive(), out);
    }

    private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("(?<!\\be\\.g|\\bi\\.e)\\.\\s");

    private static String firstSentence(String[] desc) {
        if (desc == null || desc.length == 0) return "";
        String s = desc[0].replace("%n", " ").replace('\n', ' ').trim();
        java.util.regex.Matcher m = SENTENCE_END.matcher(s);
        String t = m.find() ? s.substring(0, m.start()) : s;
        t = t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }

    /** The answer as the shell shim reads it: the directive line, then one candidate a line. */
    public static String render(Answer a, String shell) {
        StringBuilder b = new StringBuilder(":").append(a.directive().name().toLowerCase(Locale.ROOT)).append('\n');
        for (Candidate c : a.candidates()) {
            String help = c.help().replace('\t', ' ');
            switch (shell) {
                case "fish" -> b.append(c.word()).append(help.isEmpty() ? "" : "\t" + help);
                case "zsh" -> b.append(c.word().replace("\\", "\\\\").replace(":", "\\:")).append(help.isEmpty() ? "" : ":" + help);
                default -> b.append(c.word());
            }
            b.append('\n');
        }
        return b.toString();
    }

    // ---- unit names ------------------------------------------------------------------------

    /**
     * The unit names to offer for a command line: the running daemon's units (every loaded unit, each
     * described by its state and description), or, when no daemon answers, the names of the unit files
     * in the unit directories ({@code --units DIR} on the line, else the defaults), templates
     * ({@code worker@.service}) included.
     */
    public static List<Candidate> unitNames(List<String> words) {
        String runtime = valueOf(words, "--runtime-dir");
        Path dir = runtime != null ? Path.of(runtime) : Locations.runtimeDir(System.getenv());
        if (Files.exists(dir.resolve("control.sock"))) {
            try {
                List<Candidate> out = new ArrayList<>();
                for (UnitInfo u : new Client(dir, DAEMON_WAIT).call(new Request.Units(List.of(), true)).units()) {
                    String state = u.active() == null ? "" : u.active() + (u.sub() == null ? "" : " (" + u.sub() + ")");
                    String d = u.description() == null || u.description().isBlank() ? "" : " - " + u.description();
                    out.add(new Candidate(u.unit(), (state + d).trim()));
                }
                return out;
            } catch (Exception unreachable) {
                // no daemon answers (or not in time): the unit directories instead
            }
        }
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < words.size() - 1; i++) {
            String word = words.get(i);
            if (word.equals("--units")) dirs.add(Path.of(next(words, ++i)));
            else if (word.startsWith("--units=")) dirs.add(Path.of(word.substring("--units=".length())));
        }
        List<Candidate> out = new ArrayList<>();
        for (String name : unitFiles(dirs.isEmpty() ? UnitLoader.defaultDirs() : dirs)) out.add(new Candidate(name, ""));
        return out;
    }

    private static String valueOf(List<String> words, String option) {
        String found = null;
        for (int i = 0; i < words.size() - 1; i++) {
            String word = words.get(i);
            if (word.equals(option)) found = next(words, ++i);
            else if (word.startsWith(option + "=")) found = word.substring(option.length() + 1);
        }
        return found;
    }

    /** The option value at {@code i}, or after it when bash split {@code --opt=value} into three words. */
    private static String next(List<String> words, int i) {
        return words.get(i).equals("=") && i + 1 < words.size() - 1 ? words.get(i + 1) : words.get(i);
    }

    /** The unit names the files in {@code dirs} define ({@code NAME.TYPE.yaml}), sorted, templates included. */
    static List<String> unitFiles(List<Path> dirs) {
        TreeSet<String> out = new TreeSet<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) continue;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.yaml")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    name = name.substring(0, name.length() - ".yaml".length());
                    if (!name.startsWith(".") && UnitType.ofName(name) != null && !Files.isDirectory(f)) out.add(name);
                }
            } catch (IOException | RuntimeException unreadable) {
                // an unreadable directory offers nothing
            }
        }
        return new ArrayList<>(out);
    }

    // ---- the shell scripts -----------------------------------------------------------------

    /** The completion script for {@code shell} (bash, zsh or fish), or null for another shell. */
    public static String script(String shell) {
        if (!List.of("bash", "zsh", "fish").contains(shell)) return null;
        try (InputStream in = Completions.class.getResourceAsStream("completion." + shell)) {
            if (in == null) throw new IllegalStateException("completion." + shell + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("completion." + shell + " cannot be read: " + e.getMessage(), e);
        }
    }
}
