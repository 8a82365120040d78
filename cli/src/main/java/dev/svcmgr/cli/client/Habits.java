package dev.svcmgr.cli.client;

import picocli.CommandLine.Option;

import java.util.List;

/**
 * Options that systemctl users type by habit (cli.md "More commands"), accepted by every command:
 * {@code -q}/{@code --quiet} (nothing on stdout, the exit code only; errors still go to stderr),
 * {@code --no-pager} and {@code -l}/{@code --full} (svcmgr never pages and never shortens a line).
 * {@code dev.svcmgr.cli.Main} adds this mixin to each command's model and applies {@code --quiet}
 * itself, so that every command (and the fast path) treats it the same way.
 */
public final class Habits {
    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stdout: the exit code says it (errors still go to stderr).")
    boolean quiet;

    @Option(names = "--no-pager", description = "Accepted for systemctl habits: svcmgr never pipes its output into a pager.")
    boolean noPager;

    @Option(names = {"-l", "--full"}, description = "Accepted for systemctl habits: svcmgr never shortens a line.")
    boolean full;

    /** True when {@code args} (a command line, the verb first) asks for --quiet before any {@code --}. */
    public static boolean quiet(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("-q") || a.equals("--quiet")) return true;
        }
        return false;
    }

    /** True for the options that change nothing but are accepted ({@code --no-pager}, {@code -l}, {@code --full}) and {@code -q}. */
    public static boolean isHabit(String arg) {
        return arg.equals("-q") || arg.equals("--quiet") || arg.equals("--no-pager") || arg.equals("-l") || arg.equals("--full");
    }
}
