package dev.svcmgr.core.os;

/**
 * How a process ended, decoded from a {@code waitpid} status.
 *
 * @param code   exit status when it exited, else -1
 * @param signal terminating signal, else 0
 * @param core   whether a core was dumped
 */
public record ExitStatus(int code, int signal, boolean core) {

    /** Decodes a raw wait status. */
    public static ExitStatus decode(int raw) {
        int sig = raw & 0x7f;
        if (sig == 0) return new ExitStatus((raw >> 8) & 0xff, 0, false);
        return new ExitStatus(-1, sig, (raw & 0x80) != 0);
    }

    /** A process that is gone without its status being known (it was not this manager's child). */
    public static final ExitStatus UNKNOWN = new ExitStatus(-1, 0, false);

    public boolean exited() { return signal == 0; }

    /** False for {@link #UNKNOWN}. */
    public boolean known() { return code >= 0 || signal > 0; }

    /** {@code exited with status 1}, {@code killed by signal SIGKILL}. */
    public String describe() {
        if (!known()) return "exited (status unknown: not a child of this manager)";
        if (exited()) return "exited with status " + code;
        return "killed by signal " + Signals.name(signal) + (core ? " (core dumped)" : "");
    }
}
