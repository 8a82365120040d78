package dev.svcmgr.cli;

import dev.svcmgr.cli.client.ExitCodes;
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
        exitCodeList = {ExitCodes.OK + ":success", ExitCodes.FAILURE + ":failure (the message says what)",
                ExitCodes.USAGE + ":usage error", ExitCodes.NOT_ACTIVE + ":unit not active (status, is-active)",
                ExitCodes.NO_SUCH_UNIT + ":no such unit"})
public final class Main implements Runnable {
    /**
     * Every subcommand, in help order. Registered by hand so that a command line
     * builds the model of the one subcommand it runs only (client start-up time).
     */
    /**
     * Every subcommand (name, class in {@code dev.svcmgr.cli.commands}), in help order. Only the
     * class of the command being run is loaded, so a client command builds one small model
     * (start-up time); {@code MainTest} checks each name against the class's {@code @Command}.
     */
    private static final String[] COMMANDS = {
            "daemon", "DaemonCommand",
            "start", "StartCommand",
            "stop", "StopCommand",
            "restart", "RestartCommand",
            "try-restart", "TryRestartCommand",
            "reload", "ReloadCommand",
            "reload-or-restart", "ReloadOrRestartCommand",
            "try-reload-or-restart", "TryReloadOrRestartCommand",
            "isolate", "IsolateCommand",
            "poweroff", "PoweroffCommand",
            "reboot", "RebootCommand",
            "halt", "HaltCommand",
            "status", "StatusCommand",
            "is-active", "IsActiveCommand",
            "is-failed", "IsFailedCommand",
            "is-enabled", "IsEnabledCommand",
            "is-system-running", "IsSystemRunningCommand",
            "list-units", "ListUnitsCommand",
            "list-unit-files", "ListUnitFilesCommand",
            "list-jobs", "ListJobsCommand",
            "list-timers", "ListTimersCommand",
            "list-sockets", "ListSocketsCommand",
            "enable", "EnableCommand",
            "disable", "DisableCommand",
            "mask", "MaskCommand",
            "unmask", "UnmaskCommand",
            "get-default", "GetDefaultCommand",
            "set-default", "SetDefaultCommand",
            "edit", "EditCommand",
            "daemon-reload", "DaemonReloadCommand",
            "daemon-reexec", "DaemonReexecCommand",
            "reset-failed", "ResetFailedCommand",
            "kill", "KillCommand",
            "adopt", "AdoptCommand",
            "why", "WhyCommand",
            "analyze", "AnalyzeCommand",
            "run", "RunCommand",
            "completion", "CompletionCommand",
            "__complete", "CompleteCommand",
            "events", "EventsCommand",
            "top", "TopCommand",
            "logs", "LogsCommand",
            "verify", "VerifyCommand",
            "import", "ImportCommand",
            "cat", "CatCommand",
            "show", "ShowCommand",
            "plan", "PlanCommand",
            "simulate", "SimulateCommand",
            "list-dependencies", "ListDependenciesCommand",
            "graph", "GraphCommand"};


    /** Options that may stand before the command name; the value-taking ones first. */
    static final Set<String> GLOBAL_WITH_VALUE = Set.of("--runtime-dir", "--units", "--log-dir", "--state-dir", "--timeout");
    static final Set<String> GLOBAL_FLAGS = Set.of("--json", "--debug");

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
        if (ordered.length > 0 && NAMES.containsKey(ordered[0]) && dev.svcmgr.cli.client.Habits.quiet(Arrays.asList(ordered))) {
            out = new PrintWriter(java.io.OutputStream.nullOutputStream()); // -q: the exit code says it
        }
        if (ordered.length > 0 && !ordered[0].startsWith("-") && !NAMES.containsKey(ordered[0]) && !ordered[0].equals("help")) {
            String near = suggestion(ordered[0]);
            err.println("svcmgr: unknown command '" + ordered[0] + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
                    + " (see 'svcmgr --help')");
            err.flush();
            return ExitCodes.USAGE;
        }
        Integer fast = FastPath.run(out, err, ordered);
        if (fast != null) {
            out.flush();
            err.flush();
            return fast;
        }
        CommandLine cl = commandLine(ordered.length > 0 ? ordered[0] : null);
        cl.setOut(out);
        cl.setErr(err);
        boolean debug = Arrays.asList(args).contains("--debug");
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("svcmgr: " + ex.getMessage() + " (see 'svcmgr "
                    + (c.getCommandSpec().qualifiedName().equals("svcmgr") ? "" : c.getCommandName() + " ") + "--help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("svcmgr: internal error: " + ex);
            if (debug) ex.printStackTrace(c.getErr());
            return ExitCodes.FAILURE;
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
        for (int i = 0; i < COMMANDS.length; i += 2) {
            if (known && !COMMANDS[i].equals(only)) continue;
            cl.addSubcommand(COMMANDS[i], commandClass(COMMANDS[i + 1]));
        }
        for (CommandLine sub : cl.getSubcommands().values()) withHabits(sub);
        cl.setCaseInsensitiveEnumValuesAllowed(true); // after adding: it applies to the subcommands added so far
        return cl;
    }

    /**
     * The command nearest to a mistyped one: the fewest single-character edits (at most a third of its
     * length, at least 2), else the only command it begins; null when none is near.
     */
    static String suggestion(String typed) {
        int limit = Math.max(2, typed.length() / 3);
        String best = null;
        int bestDistance = limit + 1;
        for (String name : new java.util.TreeSet<>(NAMES.keySet())) {
            int d = distance(typed, name);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        if (best != null) return best;
        List<String> prefixed = NAMES.keySet().stream().filter(n -> n.startsWith(typed)).toList();
        return !typed.isEmpty() && prefixed.size() == 1 ? prefixed.get(0) : null;
    }

    /** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[a.length()][b.length()];
    }

    /** Adds the systemctl habit options ({@code -q}, {@code --no-pager}, {@code -l}) to a command and its subcommands. */
    private static void withHabits(CommandLine c) {
        if (c.getCommand() instanceof CommandLine.HelpCommand) return;
        boolean own = c.getCommandSpec().findOption("--full") != null || c.getCommandSpec().findOption("--quiet") != null;
        if (!own && !c.getCommandSpec().mixins().containsKey("habits")) { // edit's --full is its own, as systemctl's
            c.getCommandSpec().addMixin("habits", CommandLine.Model.CommandSpec.forAnnotatedObject(new dev.svcmgr.cli.client.Habits()));
        }
        for (CommandLine sub : c.getSubcommands().values()) withHabits(sub);
    }

    private static final java.util.Map<String, String> NAMES = new java.util.HashMap<>();

    static {
        for (int i = 0; i < COMMANDS.length; i += 2) NAMES.put(COMMANDS[i], COMMANDS[i + 1]);
    }

    /** The subcommand names, in help order. */
    static List<String> commandNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < COMMANDS.length; i += 2) out.add(COMMANDS[i]);
        return out;
    }

    static Object commandClass(String simpleName) {
        try {
            return Class.forName("dev.svcmgr.cli.commands." + simpleName).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("command class " + simpleName + " cannot be made: " + e, e);
        }
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
