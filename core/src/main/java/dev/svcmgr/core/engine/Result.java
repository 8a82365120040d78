package dev.svcmgr.core.engine;

/** The {@code result} column: {@code success}, a failure, or {@code condition} (cli.md "States"). */
public enum Result {
    SUCCESS("success"), EXIT_CODE("exit-code"), SIGNAL("signal"), TIMEOUT("timeout"), START_LIMIT("start-limit"),
    DEPENDENCY("dependency"), EXEC("exec"), WATCHDOG("watchdog"), OOM_KILL("oom-kill"), CONDITION("condition"),
    CANCELED("canceled"), RESOURCES("resources");

    private final String word;

    Result(String word) { this.word = word; }

    public String word() { return word; }

    /** The result named {@code word}, or null. */
    public static Result of(String word) {
        for (Result r : values()) if (r.word.equals(word)) return r;
        return null;
    }

    public boolean isFailure() { return this != SUCCESS && this != CONDITION; }
}
