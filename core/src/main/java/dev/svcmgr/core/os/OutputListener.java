package dev.svcmgr.core.os;

/**
 * Receives what a process writes to stdout (stream 1) and stderr (stream 2), or to both
 * through one FIFO ({@link #SHARED}) when the manager is short of descriptors.
 * Called on the output pump thread only; must not block for long.
 */
public interface OutputListener {
    /** The stream number of stdout and stderr sharing one FIFO. */
    int SHARED = 3;

    /** {@code len} bytes from {@code buf}; the buffer is reused after the call. */
    void data(int stream, byte[] buf, int len);

    /** The stream reached end of file (every writer closed it). */
    void closed(int stream);

    /** Everything written so far has been read (a run ended): a last line without newline is complete. */
    default void flush(int stream) { }
}
