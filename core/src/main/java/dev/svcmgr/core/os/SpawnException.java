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

    /** With what the stage was about, e.g. the program path: {@code ... / Error: Permission denied (/srv/app)}. */
    public SpawnException(String stage, String error, String subject) {
        super("Stage: " + stage + " / Error: " + error + " (" + subject + ")");
        this.stage = stage;
        this.error = error;
    }

    public String stage() { return stage; }

    public String error() { return error; }

    /** {@code Stage: executing command / Error: No such file or directory (/usr/bin/nope)}. */
    public String detail() { return getMessage(); }
}
