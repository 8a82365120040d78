package dev.svcmgr.core.protocol;

import java.util.Locale;

/**
 * What kind of failure an error reply reports, on the wire as {@code "error-kind"} next to the
 * one-line {@code "error"}. The daemon says what went wrong; only the CLI turns a kind into an
 * exit code (its {@code ExitCodes} table), so the two never need to agree on numbers.
 */
public enum ErrorKind {
    /** The request is malformed: not JSON, a wrong version, an unknown verb, a field of the wrong type, a bad name. */
    BAD_REQUEST,
    /** The peer may not do this: a changing verb from an unprivileged uid, logs it may not read. */
    DENIED,
    /** A named unit does not exist (or names a template instead of an instance). */
    NOT_FOUND,
    /** The resolver refused the transaction: a cycle, a conflict, a requirement on a missing or masked unit. */
    REJECTED,
    /** The daemon will not do it in its present state: shutting down, not isolatable, a transient name in use. */
    REFUSED,
    /** It was tried and did not work: a job failed, a signal found no process, a file could not be written. */
    FAILED,
    /** The request's jobs were replaced by a later request's. */
    CANCELED,
    /** A limit of the control socket: too many connections, a request too slow or a reader too slow. */
    LIMIT,
    /** The daemon hit a bug; the message says what. */
    INTERNAL;

    /** The word on the wire: {@code not-found}. */
    public String word() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The kind spelt {@code word}; {@link #FAILED} for null or a word this build does not know. */
    public static ErrorKind of(String word) {
        if (word != null) for (ErrorKind k : values()) if (k.word().equals(word)) return k;
        return FAILED;
    }
}
