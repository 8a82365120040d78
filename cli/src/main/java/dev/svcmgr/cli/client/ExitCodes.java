package dev.svcmgr.cli.client;

import dev.svcmgr.core.protocol.ErrorKind;

/**
 * The exit codes of cli.md, and the one table that turns the daemon's {@link ErrorKind}s into
 * them: the daemon says what went wrong, only the CLI decides what a process exit says. Commands
 * with a verdict of their own ({@code is-active}: 3 when a unit is not active, {@code run
 * --oneshot}: the command's status) use the constants here for the rest.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success. */
    public static final int OK = 0;
    /** A failure; the message says what. */
    public static final int FAILURE = 1;
    /** A usage error: an unknown option, a bad value. */
    public static final int USAGE = 2;
    /** A named unit is not active ({@code status}, {@code is-active}). */
    public static final int NOT_ACTIVE = 3;
    /** No such unit. */
    public static final int NO_SUCH_UNIT = 4;

    /** The exit code for an error reply of this kind. */
    public static int of(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> NO_SUCH_UNIT;
            case BAD_REQUEST, DENIED, REJECTED, REFUSED, FAILED, CANCELED, LIMIT, INTERNAL -> FAILURE;
        };
    }
}
