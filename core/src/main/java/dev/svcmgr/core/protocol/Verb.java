package dev.svcmgr.core.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Every verb of the control protocol with its word on the wire, who may use it and whether it
 * answers with a stream of lines. The one list of verbs: the control server refuses a word that
 * is not here ({@code unknown verb}) and a verb that is not {@link #readOnly} to every uid but
 * root and the daemon's own ({@code permission denied}); the daemon's dispatcher switches over it.
 */
public enum Verb {
    PING("ping", true, false),
    UNITS("units", true, false),
    SYSTEM("system", true, false),
    START("start", false, false),
    STOP("stop", false, false),
    RESTART("restart", false, false),
    TRY_RESTART("try-restart", false, false),
    RELOAD("reload", false, false),
    ISOLATE("isolate", false, false),
    POWEROFF("poweroff", false, false),
    REBOOT("reboot", false, false),
    HALT("halt", false, false),
    ENABLE("enable", false, false),
    DISABLE("disable", false, false),
    MASK("mask", false, false),
    UNMASK("unmask", false, false),
    DAEMON_RELOAD("daemon-reload", false, false),
    DAEMON_REEXEC("daemon-reexec", false, false),
    DEBUG_FAULT("debug-fault", false, false),
    RESET_FAILED("reset-failed", false, false),
    KILL("kill", false, false),
    RUN("run", false, false),
    EVENTS("events", true, true),
    LOGS("logs", true, true),
    PLAN("plan", true, false),
    WHY("why", true, false),
    STATE("state", true, false),
    ANALYZE("analyze", true, false),
    GRAPH("graph", true, false),
    DEPENDENCIES("dependencies", true, false),
    SIMULATE("simulate", true, false),
    TIMERS("timers", true, false),
    ADOPT("adopt", false, false),
    SOCKETS("sockets", true, false),
    RELOAD_OR_RESTART("reload-or-restart", false, false),
    TRY_RELOAD_OR_RESTART("try-reload-or-restart", false, false),
    JOBS("jobs", true, false),
    UNIT_FILES("unit-files", true, false),
    GET_DEFAULT("get-default", true, false),
    SET_DEFAULT("set-default", false, false),
    RENDER("render", true, false);

    private final String word;
    private final boolean readOnly;
    private final boolean streams;

    Verb(String word, boolean readOnly, boolean streams) {
        this.word = word;
        this.readOnly = readOnly;
        this.streams = streams;
    }

    /** The verb as requests spell it. */
    public String word() { return word; }

    /** True when any connected uid may use it (it changes nothing); the others need root or the daemon's uid. */
    public boolean readOnly() { return readOnly; }

    /** True when the answer is a stream of lines (ended by the client, or by {@code {"end":true}}) rather than one line. */
    public boolean streams() { return streams; }

    /** True for start, stop, restart, try-restart, reload, isolate and the reload-or-restarts: a transaction over named units. */
    public boolean transaction() {
        return switch (this) {
            case START, STOP, RESTART, TRY_RESTART, RELOAD, ISOLATE, RELOAD_OR_RESTART, TRY_RELOAD_OR_RESTART -> true;
            default -> false;
        };
    }

    private static final Map<String, Verb> BY_WORD = new HashMap<>();

    static {
        for (Verb v : values()) BY_WORD.put(v.word, v);
    }

    /** The verb spelt {@code word}, or null when there is none. */
    public static Verb of(String word) { return word == null ? null : BY_WORD.get(word); }
}
