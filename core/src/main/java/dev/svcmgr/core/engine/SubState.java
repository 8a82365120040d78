package dev.svcmgr.core.engine;

/** The {@code sub} column (cli.md "States"). */
public enum SubState {
    DEAD("dead"), WAITING("waiting"), START_PRE("start-pre"), START("start"), START_POST("start-post"),
    RUNNING("running"), EXITED("exited"), RELOAD("reload"), STOP("stop"), STOP_SIGTERM("stop-sigterm"),
    STOP_SIGKILL("stop-sigkill"), AUTO_RESTART("auto-restart"), FAILED("failed"), ACTIVE("active"),
    /** A timer waiting for its next elapse. */
    SCHEDULED("scheduled"),
    /** A path unit watching its paths. */
    WATCHING("watching"),
    /** A socket unit holding its sockets while its service does not run. */
    LISTENING("listening");

    private final String word;

    SubState(String word) { this.word = word; }

    public String word() { return word; }
}
