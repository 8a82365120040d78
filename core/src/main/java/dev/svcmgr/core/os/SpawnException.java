package dev.svcmgr.core.os;

/**
 * A process could not be started: the stage that failed and the OS error, e.g.
 * stage {@code executing command}, error {@code No such file or directory}.
 */
public final class SpawnException extends Exception {
    private final String stage;
    private final String error;

    public SpawnException(String stage, String error) {
        super("Stage: " + stage + " / Error: " + error);
        this.stage = stage;
        this.error = error;
    }

    public String stage() { return stage; }

    public String error() { return error; }

    /** {@code Stage: executing command / Error: No such file or directory}. */
    public String detail() { return getMessage(); }
}
