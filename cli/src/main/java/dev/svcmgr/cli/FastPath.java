package dev.svcmgr.cli;

import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.CommonOptions;
import dev.svcmgr.cli.commands.IsActiveCommand;
import dev.svcmgr.cli.commands.IsFailedCommand;
import dev.svcmgr.cli.commands.IsSystemRunningCommand;
import dev.svcmgr.cli.commands.TransactionCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The verbs scripts call in loops ({@code is-active}, {@code is-failed}, {@code is-system-running}, and
 * {@code start}, {@code stop}, {@code restart}, {@code try-restart}, {@code reload}, {@code isolate}),
 * run without building picocli's model when their command line has a fixed shape: the verb, unit names
 * (none starting with {@code -}), at most {@code --runtime-dir DIR} and, for the transactions,
 * {@code --no-block}. Building the model costs about
 * 0.1 s of a client's start-up (docs/benchmarks.md, issue 13). Anything else (--help, --json, another
 * option, a usage error) goes through picocli, so help, completion and man pages keep one model, and the
 * command objects are the same classes with the same fields ({@code FastPathTest} compares the two).
 */
final class FastPath {
    private FastPath() {}

    private static final java.util.Set<String> TRANSACTIONS =
            java.util.Set.of("start", "stop", "restart", "try-restart", "reload", "isolate");

    /** The configured command for {@code args}, or null when picocli must parse them. */
    static ClientCommand parse(String[] args) {
        if (args.length == 0) return null;
        String verb = args[0];
        boolean transaction = TRANSACTIONS.contains(verb);
        boolean takesUnits = transaction || verb.equals("is-active") || verb.equals("is-failed");
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
        if (takesUnits && units.isEmpty()) return null;
        CommonOptions common = new CommonOptions();
        common.runtimeDir = runtimeDir;
        ClientCommand c;
        if (transaction) c = TransactionCommand.of(verb, units, noBlock);
        else if (verb.equals("is-active")) c = IsActiveCommand.of(units);
        else if (verb.equals("is-failed")) c = IsFailedCommand.of(units);
        else c = new IsSystemRunningCommand();
        c.common = common;
        return c;
    }

    /** Runs {@code args} on the fast path; null when it does not take them. */
    static Integer run(PrintWriter out, PrintWriter err, String[] args) {
        ClientCommand c = parse(args);
        return c == null ? null : c.callDirect(out, err);
    }
}
