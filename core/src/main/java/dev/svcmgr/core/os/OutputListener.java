package dev.svcmgr.core.os;

/**
 * Receives what a process writes to stdout (stream 1) and stderr (stream 2).
 * Called on the output pump thread only; must not block for long.
 */
public interface OutputListener {
    /** {@code len} bytes from {@code buf}; the buffer is reused after the call. */
    void data(int stream, byte[] buf, int len);

    /** The stream reached end of file (every writer closed it). */
    void closed(int stream);

    /** Everything written so far has been read (a run ended): a last line without newline is complete. */
    default void flush(int stream) { }
}
