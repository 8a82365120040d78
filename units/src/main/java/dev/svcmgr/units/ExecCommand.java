package dev.svcmgr.units;

import java.util.List;

/**
 * One command of {@code exec-start-pre}, {@code exec-start-post}, {@code exec-reload} or {@code exec-stop}
 * (units.md "Keys for packaged daemons"): its exact argv, and how it runs.
 *
 * @param argv          the exact argv (never empty)
 * @param privileged    runs as the manager's user (root), outside {@code user:}, {@code group:} and the
 *                      sandbox, with the service's environment, working directory and log (systemd's {@code +})
 * @param ignoreFailure a failure (non-zero exit, a signal, or a command that cannot be started) is logged and
 *                      the sequence goes on as if it had succeeded (systemd's {@code -})
 */
public record ExecCommand(List<String> argv, boolean privileged, boolean ignoreFailure) {
    public ExecCommand {
        argv = List.copyOf(argv);
    }

    /** A plain command: as the service's user, in its sandbox, that must succeed. */
    public static ExecCommand of(List<String> argv) { return new ExecCommand(argv, false, false); }

    /** The argv as systemd would write it: {@code +} for privileged, {@code -} for ignore-failure, then the words. */
    public String describe() {
        return (privileged ? "+" : "") + (ignoreFailure ? "-" : "") + String.join(" ", argv);
    }
}
