package dev.svcmgr.cli;

import dev.svcmgr.units.load.SchemaReference;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a roff man page per command (svcmgr(1), svcmgr-start(1), svcmgr-analyze-blame(1), ...)
 * from the same picocli model that prints {@code --help}. Run at build time:
 * {@code java -cp ... dev.svcmgr.cli.ManPages docs/man}. svcmgr(1) also has EXAMPLES, FILES and ENVIRONMENT
 * (from {@code man/svcmgr.1.roff}), and svcmgr.unit(5) documents the unit files, its KEYS section
 * generated from the loader's schema table.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/man");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : pages().entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.exists(f) || !Files.readString(f).equals(e.getValue())) Files.writeString(f, e.getValue());
        }
    }

    /** File name -> roff text for every command, and svcmgr.unit(5). */
    public static Map<String, String> pages() {
        Map<String, String> out = new TreeMap<>();
        walk(Main.commandLine(), out);
        out.put("svcmgr.unit.5", unitPage());
        return out;
    }

    /**
     * svcmgr.unit(5): the hand-written sections of {@code man/svcmgr.unit.5.roff} with the KEYS
     * section generated from the loader's schema table (every key, its units, its merge, its value).
     */
    static String unitPage() {
        StringBuilder keys = new StringBuilder();
        String group = null;
        for (SchemaReference.Row r : SchemaReference.rows()) {
            if (!r.units().equals(group)) {
                group = r.units();
                keys.append(".SS ").append(group.equals("all") ? "Every unit" : Character.toUpperCase(group.charAt(0)) + group.substring(1)).append('\n');
            }
            keys.append(".TP\n\\fB").append(esc(r.key())).append("\\fR\n").append(esc(capitalized(r.value().replace("`", ""))))
                    .append(". In a drop\\-in: ").append(esc(r.merge())).append(".\n");
        }
        return resource("svcmgr.unit.5.roff").replace("@KEYS@\n", keys.toString());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String resource(String name) {
        try (java.io.InputStream in = ManPages.class.getResourceAsStream("man/" + name)) {
            if (in == null) throw new IllegalStateException("man/" + name + " is missing from the jar");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("man/" + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void walk(CommandLine cl, Map<String, String> out) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.userObject() instanceof CommandLine.HelpCommand || spec.usageMessage().hidden()) return;
        String name = spec.qualifiedName("-");
        out.put(name + ".1", page(spec, name));
        for (CommandLine sub : cl.getSubcommands().values()) walk(sub, out);
    }

    private static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    private static String page(CommandSpec spec, String name) {
        StringBuilder b = new StringBuilder();
        String[] desc = spec.usageMessage().description();
        b.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"svcmgr 0.1.0\" \"svcmgr manual\"\n");
        b.append(".SH NAME\n").append(esc(name)).append(" \\- ")
                .append(esc(desc.length > 0 ? firstSentence(desc[0]) : name)).append('\n');
        b.append(".SH SYNOPSIS\n.nf\n")
                .append(esc(new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                        .synopsis(0).trim()))
                .append("\n.fi\n");
        if (desc.length > 0) {
            b.append(".SH DESCRIPTION\n");
            for (String d : desc) b.append(esc(d)).append("\n.PP\n");
        }
        List<PositionalParamSpec> params = spec.positionalParameters();
        if (!params.isEmpty()) {
            b.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) {
                b.append(".TP\n\\fI").append(esc(p.paramLabel())).append("\\fR\n")
                        .append(esc(String.join(" ", p.description()))).append('\n');
            }
        }
        List<OptionSpec> opts = new ArrayList<>(spec.options());
        if (!opts.isEmpty()) {
            b.append(".SH OPTIONS\n");
            for (OptionSpec o : opts) {
                b.append(".TP\n\\fB").append(esc(String.join(", ", o.names()))).append("\\fR");
                if (o.arity().max > 0) b.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
                b.append('\n').append(esc(String.join(" ", o.description()))).append('\n');
            }
        }
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (!codes.isEmpty()) {
            b.append(".SH EXIT STATUS\n");
            for (Map.Entry<String, String> c : codes.entrySet()) {
                b.append(".TP\n").append(esc(c.getKey().trim())).append('\n').append(esc(c.getValue())).append('\n');
            }
        }
        if (!spec.subcommands().isEmpty()) {
            b.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                String sub = e.getKey();
                if (sub.equals("help") || e.getValue().getCommandSpec().usageMessage().hidden()) continue;
                b.append(".TP\n\\fB").append(esc(sub)).append("\\fR\nsee \\fB").append(esc(name + "-" + sub)).append("\\fR(1)\n");
            }
        }
        if (spec.parent() == null) b.append(resource("svcmgr.1.roff")); // EXAMPLES, FILES, ENVIRONMENT, SEE ALSO
        else b.append(".SH SEE ALSO\n\\fBsvcmgr\\fR(1), \\fBsvcmgr.unit\\fR(5); docs/ in the svcmgr source tree\n");
        return b.toString();
    }

    private static String firstSentence(String s) {
        int dot = s.indexOf(". ");
        String t = dot > 0 ? s.substring(0, dot) : s;
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
