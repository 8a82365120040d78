package dev.svcmgr.core.protocol;

/**
 * The control protocol's version: every request carries it as {@code "v"}, and the daemon
 * answers a request with another version with a {@code bad request} error. The one place it is
 * defined; the daemon and the CLI both read it from here.
 *
 * <p>History:
 * <ul>
 *   <li>1 (0.1.0): one JSON object a line, one request per connection (docs/protocol.md).
 *       Changes since that keep every request of version 1 valid did not change the number:
 *       error replies carry {@code error-kind} and no longer {@code exit} (the CLI alone decides
 *       its exit codes); {@code why} links carry the unit's state instead of a sentence;
 *       {@code run} answers the command's exit status as {@code status} whether or not it is a
 *       oneshot; {@code plan} answers the request, every job's {@code after} and the skipped
 *       units, takes {@code mode} and {@code assume-active}; the verbs {@code graph} and
 *       {@code dependencies} were added; a key twice in one object is malformed; {@code logs} takes no unit
 *       (every unit) or several, merged, {@code since} and {@code until}, its lines carry {@code unit}
 *       and its first reply {@code units}, {@code warnings} and {@code denied}.</li>
 * </ul>
 */
public final class Version {
    private Version() {}

    /** The version this build speaks. */
    public static final int CURRENT = 1;
}
