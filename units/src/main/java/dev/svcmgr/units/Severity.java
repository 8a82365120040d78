package dev.svcmgr.units;

public enum Severity {
    ERROR, WARNING;

    public String word() { return this == ERROR ? "error" : "warning"; }
}
