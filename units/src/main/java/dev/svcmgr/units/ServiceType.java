package dev.svcmgr.units;

public enum ServiceType {
    SIMPLE, EXEC, NOTIFY, ONESHOT, FORKING;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
}
