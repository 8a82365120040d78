package dev.svcmgr.graph;

/** The {@code active} column (cli.md "States"); the resolver's view of current state. */
public enum ActiveState {
    INACTIVE, STARTING, ACTIVE, STOPPING, FAILED;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** True for states in which the unit counts as up for requisite and isolate. */
    public boolean isUp() { return this == ACTIVE || this == STARTING; }
}
