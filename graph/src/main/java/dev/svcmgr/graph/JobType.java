package dev.svcmgr.graph;

/** What a job does to its unit ({@code job} in {@code plan --json}). */
public enum JobType {
    START("start"), STOP("stop"), RESTART("restart"), RELOAD("reload"), VERIFY_ACTIVE("verify-active");

    private final String word;

    JobType(String word) { this.word = word; }

    public String word() { return word; }
}
