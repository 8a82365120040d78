package dev.svcmgr.cli;

import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.CommonOptions;
import dev.svcmgr.cli.client.DirectCommand;
import dev.svcmgr.cli.commands.DaemonCommand;
import dev.svcmgr.cli.commands.IsActiveCommand;
import dev.svcmgr.cli.commands.IsFailedCommand;
import dev.svcmgr.cli.commands.IsSystemRunningCommand;
import dev.svcmgr.cli.commands.ListDependenciesCommand;
import dev.svcmgr.cli.commands.ListUnitsCommand;
import dev.svcmgr.cli.commands.ShowCommand;
import dev.svcmgr.cli.commands.StatusCommand;
import dev.svcmgr.cli.commands.WhyCommand;
import dev.svcmgr.cli.commands.TransactionCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The verbs scripts call in loops ({@code is-active}, {@code is-failed}, {@code is-system-running}, and
 * {@code start}, {@code stop}, {@code restart}, {@code try-restart}, {@code reload}, {@code isolate}) and the
 * common reads ({@code status}, {@code list-units}, {@code why}, {@code show}, {@code list-dependencies}),
 * run without building picocli's model when their command line has a fixed shape: the verb, unit names
 * (none starting with {@code -}), at most {@code --runtime-dir DIR} and, for the transactions,
 * {@code --no-block}. Building the model costs about
 * 0.1 s of a client's start-up (docs/benchmarks.md, issue 13). Anything else (--help, --json, another
 * option, a usage error) goes through picocli, so help, completion and man pages keep one model, and the
 * command objects are the same classes with the same fields ({@code FastPathTest} compares the two).
 */
final class FastPath {
    private FastPath() {}

    /** Read verbs whose plain shape is the verb, unit names (or patterns), at most --runtime-dir: building picocli's model is ~0.14 s of them. */
    private static final java.util.Set<String> READS = java.util.Set.of("status", "list-units", "why");

    private static final java.util.Set<String> TRANSACTIONS =
            java.util.Set.of("start", "stop", "restart", "try-restart", "reload", "isolate");

    /** The configured command for {@code args}, or null when picocli must parse them. */
    static ClientCommand parse(String[] args) {
        if (args.length == 0) return null;
        String verb = args[0];
        boolean transaction = TRANSACTIONS.contains(verb);
        boolean reads = READS.contains(verb); // the units are optional
        boolean takesUnits = transaction || reads || verb.equals("is-active") || verb.equals("is-failed");
        if (!takesUnits && !verb.equals("is-system-running")) return null;
        List<String> units = new ArrayList<>();
        Path runtimeDir = null;
        boolean noBlock = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (dev.svcmgr.cli.client.Habits.isHabit(a)) {
                continue; // -q is applied by Main; --no-pager, -l, --full change nothing
            } else if (transaction && a.equals("--no-block") && !noBlock) {
                noBlock = true;
            } else if (a.equals("--runtime-dir") && i + 1 < args.length && runtimeDir == null && !args[i + 1].isEmpty()) {
                runtimeDir = Path.of(args[++i]);
            } else if (a.startsWith("--runtime-dir=") && runtimeDir == null && a.length() > "--runtime-dir=".length()) {
                runtimeDir = Path.of(a.substring("--runtime-dir=".length()));
            } else if (takesUnits && !a.isEmpty() && !a.startsWith("-") && !a.startsWith("@")) {
                units.add(a);
            } else {
                return null;
            }
        }
        if (takesUnits && !reads && units.isEmpty()) return null;
        if (verb.equals("why") && units.size() != 1) return null;
        CommonOptions common = new CommonOptions();
        common.runtimeDir = runtimeDir;
        ClientCommand c;
        if (transaction) c = TransactionCommand.of(verb, units, noBlock);
        else if (verb.equals("is-active")) c = IsActiveCommand.of(units);
        else if (verb.equals("is-failed")) c = IsFailedCommand.of(units);
        else if (verb.equals("status")) c = StatusCommand.of(units);
        else if (verb.equals("list-units")) c = ListUnitsCommand.of(units);
        else if (verb.equals("why")) c = WhyCommand.of(units.get(0));
        else c = new IsSystemRunningCommand();
        c.common = common;
        return c;
    }

    /**
     * {@code show UNIT...} and {@code list-dependencies [UNIT] [--reverse] [--all]}, each with at most {@code
     * --runtime-dir DIR} and the habits: the command configured as picocli would; null for any other shape.
     */
    static DirectCommand parseUnitViews(String[] args) {
        if (args.length == 0) return null;
        boolean show = args[0].equals("show");
        if (!show && !args[0].equals("list-dependencies")) return null;
        List<String> units = new ArrayList<>();
        Path runtimeDir = null;
        boolean reverse = false, all = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (dev.svcmgr.cli.client.Habits.isHabit(a)) {
                continue;
            } else if (!show && a.equals("--reverse") && !reverse) {
                reverse = true;
            } else if (!show && a.equals("--all") && !all) {
                all = true;
            } else if (a.equals("--runtime-dir") && i + 1 < args.length && runtimeDir == null && !args[i + 1].isEmpty()) {
                runtimeDir = Path.of(args[++i]);
            } else if (a.startsWith("--runtime-dir=") && runtimeDir == null && a.length() > "--runtime-dir=".length()) {
                runtimeDir = Path.of(a.substring("--runtime-dir=".length()));
            } else if (!a.isEmpty() && !a.startsWith("-") && !a.startsWith("@")) {
                units.add(a);
            } else {
                return null;
            }
        }
        if (show) return units.isEmpty() ? null : ShowCommand.of(units, runtimeDir);
        if (units.size() > 1) return null;
        return ListDependenciesCommand.of(units.isEmpty() ? null : units.get(0), reverse, all, runtimeDir);
    }

    /** The command for {@code args} on the fast path ({@link #parse}, {@link #parseUnitViews}); null when picocli must parse them. */
    static DirectCommand direct(String[] args) {
        ClientCommand c = parse(args);
        return c != null ? c : parseUnitViews(args);
    }

    /** Runs {@code args} on the fast path; null when it does not take them. */
    static Integer run(PrintWriter out, PrintWriter err, String[] args) {
        DaemonCommand d = parseDaemon(args);
        if (d != null) return d.call();
        DirectCommand c = direct(args);
        return c == null ? null : c.callDirect(out, err);
    }

    private static final java.util.Set<String> DAEMON_FLAGS = java.util.Set.of("--no-boot", "--watch-units", "--console-output", "--debug");
    private static final java.util.Set<String> DAEMON_VALUES = java.util.Set.of("--units", "--runtime-dir", "--log-dir", "--state-dir", "--target");

    /**
     * {@code daemon} with {@code --units DIR} (repeatable), {@code --runtime-dir}, {@code --log-dir}, {@code
     * --state-dir}, {@code --target} (each once, as {@code --opt VALUE} or {@code --opt=VALUE}, no value beginning with
     * {@code -}) and the flags {@code --no-boot}, {@code --watch-units}, {@code --console-output}, {@code --debug}
     * (each once; not --target with --no-boot): the command configured as picocli would, without building its
     * model (~0.1 s of the daemon's start: docs/benchmarks.md, issue 13); null for any other command line.
     */
    static DaemonCommand parseDaemon(String[] args) {
        if (args.length == 0 || !args[0].equals("daemon")) return null;
        List<Path> units = new ArrayList<>();
        java.util.Map<String, String> one = new java.util.HashMap<>();
        java.util.Set<String> flags = new java.util.HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i], name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (DAEMON_FLAGS.contains(a)) {
                if (!flags.add(a)) return null;
                continue;
            }
            if (!DAEMON_VALUES.contains(name)) return null;
            if (value == null) {
                if (i + 1 >= args.length) return null;
                value = args[++i];
            }
            if (value.isEmpty() || value.startsWith("-") || value.indexOf(0) >= 0) return null;
            if (name.equals("--units")) units.add(Path.of(value));
            else if (one.put(name, value) != null) return null;
        }
        if (flags.contains("--no-boot") && one.containsKey("--target")) return null; // picocli's path says why
        java.util.function.Function<String, Path> path = k -> one.containsKey(k) ? Path.of(one.get(k)) : null;
        return DaemonCommand.of(units, path.apply("--runtime-dir"), path.apply("--log-dir"), path.apply("--state-dir"),
                one.get("--target"), flags.contains("--no-boot"), flags.contains("--watch-units"),
                flags.contains("--console-output"), flags.contains("--debug"));
    }
}
