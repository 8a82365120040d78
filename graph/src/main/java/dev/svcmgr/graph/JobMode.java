package dev.svcmgr.graph;

/** How a request meets jobs already running (cli.md "Semantics of a transaction"). */
public enum JobMode {
    /** Conflicting queued jobs are replaced (default). */
    REPLACE,
    /** The request is refused when it conflicts with queued jobs. */
    FAIL,
    /** Like isolate: stop everything not needed. */
    ISOLATE;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
}
