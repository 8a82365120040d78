package dev.svcmgr.cli;

import dev.svcmgr.cli.commands.CatCommand;
import dev.svcmgr.cli.commands.DaemonReloadCommand;
import dev.svcmgr.cli.commands.DisableCommand;
import dev.svcmgr.cli.commands.EnableCommand;
import dev.svcmgr.cli.commands.EventsCommand;
import dev.svcmgr.cli.commands.HaltCommand;
import dev.svcmgr.cli.commands.IsActiveCommand;
import dev.svcmgr.cli.commands.IsEnabledCommand;
import dev.svcmgr.cli.commands.IsFailedCommand;
import dev.svcmgr.cli.commands.IsSystemRunningCommand;
import dev.svcmgr.cli.commands.IsolateCommand;
import dev.svcmgr.cli.commands.KillCommand;
import dev.svcmgr.cli.commands.ListUnitsCommand;
import dev.svcmgr.cli.commands.LogsCommand;
import dev.svcmgr.cli.commands.MaskCommand;
import dev.svcmgr.cli.commands.PoweroffCommand;
import dev.svcmgr.cli.commands.RebootCommand;
import dev.svcmgr.cli.commands.ReloadCommand;
import dev.svcmgr.cli.commands.ResetFailedCommand;
import dev.svcmgr.cli.commands.RestartCommand;
import dev.svcmgr.cli.commands.ShowCommand;
import dev.svcmgr.cli.commands.StartCommand;
import dev.svcmgr.cli.commands.StatusCommand;
import dev.svcmgr.cli.commands.StopCommand;
import dev.svcmgr.cli.commands.TryRestartCommand;
import dev.svcmgr.cli.commands.UnmaskCommand;
import dev.svcmgr.cli.commands.VerifyCommand;
import dev.svcmgr.cli.commands.WhyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The svcmgr command line; the only place that calls {@code System.exit}. */
@Command(name = "svcmgr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"A dependency-graph service manager.",
                "Options may stand anywhere after the command name; --runtime-dir, --json, --debug and --units may also"
                        + " come before it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (the message says what)", "2:usage error",
                "3:unit not active (status, is-active)", "4:no such unit"})
public final class Main implements Runnable {
    /**
     * Every subcommand, in help order. Registered by hand so that a command line
     * builds the model of the one subcommand it runs only (client start-up time).
     */
    private static final List<Class<?>> COMMANDS = List.of(
            dev.svcmgr.cli.commands.DaemonCommand.class,
            StartCommand.class,
            StopCommand.class,
            RestartCommand.class,
            TryRestartCommand.class,
            ReloadCommand.class,
            IsolateCommand.class,
            PoweroffCommand.class,
            RebootCommand.class,
            HaltCommand.class,
            StatusCommand.class,
            IsActiveCommand.class,
            IsFailedCommand.class,
            IsEnabledCommand.class,
            IsSystemRunningCommand.class,
            ListUnitsCommand.class,
            EnableCommand.class,
            DisableCommand.class,
            MaskCommand.class,
            UnmaskCommand.class,
            DaemonReloadCommand.class,
            ResetFailedCommand.class,
            KillCommand.class,
            WhyCommand.class,
            dev.svcmgr.cli.commands.AnalyzeCommand.class,
            dev.svcmgr.cli.commands.RunCommand.class,
            dev.svcmgr.cli.commands.CompletionCommand.class,
            EventsCommand.class,
            LogsCommand.class,
            VerifyCommand.class,
            CatCommand.class,
            ShowCommand.class,
            dev.svcmgr.cli.commands.PlanCommand.class,
            dev.svcmgr.cli.commands.ListDependenciesCommand.class,
            dev.svcmgr.cli.commands.GraphCommand.class);

    /** Options that may stand before the command name; the value-taking ones first. */
    private static final Set<String> GLOBAL_WITH_VALUE = Set.of("--runtime-dir", "--units", "--log-dir", "--state-dir");
    private static final Set<String> GLOBAL_FLAGS = Set.of("--json", "--debug");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output writers and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        String[] ordered = reorder(args);
        CommandLine cl = commandLine(ordered.length > 0 ? ordered[0] : null);
        cl.setOut(out);
        cl.setErr(err);
        boolean debug = Arrays.asList(args).contains("--debug");
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("svcmgr: " + ex.getMessage() + " (see 'svcmgr "
                    + (c.getCommandSpec().qualifiedName().equals("svcmgr") ? "" : c.getCommandName() + " ") + "--help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("svcmgr: internal error: " + ex);
            if (debug) ex.printStackTrace(c.getErr());
            return 1;
        });
        int code = cl.execute(ordered);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured picocli command line with every subcommand (for help, tests and completion generation). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The command line with only the subcommand {@code only} (every one when null or unknown). */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Main());
        boolean known = only != null && NAMES.containsKey(only);
        cl.addSubcommand(new CommandLine.HelpCommand());
        for (Class<?> c : COMMANDS) {
            if (known && !NAMES.get(only).equals(c)) continue;
            cl.addSubcommand(c);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true); // after adding: it applies to the subcommands added so far
        return cl;
    }

    private static final java.util.Map<String, Class<?>> NAMES = new java.util.HashMap<>();

    static {
        for (Class<?> c : COMMANDS) NAMES.put(c.getAnnotation(Command.class).name(), c);
    }

    /** Moves global options given before the command name to after it: {@code --runtime-dir D status x} = {@code status x --runtime-dir D}. */
    static String[] reorder(String[] args) {
        List<String> before = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (GLOBAL_FLAGS.contains(a)) {
                before.add(a);
                i++;
            } else if (GLOBAL_WITH_VALUE.contains(name)) {
                before.add(a);
                if (!a.contains("=") && i + 1 < args.length) before.add(args[++i]);
                i++;
            } else {
                break;
            }
        }
        if (before.isEmpty() || i >= args.length || !NAMES.containsKey(args[i])) return args;
        List<String> out = new ArrayList<>();
        out.add(args[i]);
        out.addAll(before);
        out.addAll(Arrays.asList(args).subList(i + 1, args.length));
        return out.toArray(new String[0]);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"svcmgr " + (v == null ? "0.1.0" : v)};
        }
    }
}
