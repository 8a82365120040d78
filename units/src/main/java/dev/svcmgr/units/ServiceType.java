package dev.svcmgr.units;

/** The {@code type:} of a service: how its start is judged (units.md "Services"). */
public enum ServiceType {
    SIMPLE, EXEC, NOTIFY, ONESHOT, FORKING;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
}
