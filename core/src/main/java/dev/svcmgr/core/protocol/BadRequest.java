package dev.svcmgr.core.protocol;

/**
 * A request that is not well formed: not JSON, another protocol version, an unknown verb, a field
 * missing or of the wrong type. The message says what, without the {@code bad request: } prefix
 * the daemon puts before it in its {@link ErrorKind#BAD_REQUEST} reply.
 */
public final class BadRequest extends RuntimeException {
    public BadRequest(String message) { super(message); }
}
