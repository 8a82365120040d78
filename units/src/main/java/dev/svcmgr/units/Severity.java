package dev.svcmgr.units;

/** How serious a load {@link Problem} is: an error makes the unit {@code bad-setting} (or fails {@code verify}); a warning does not. */
public enum Severity {
    ERROR, WARNING;

    public String word() { return this == ERROR ? "error" : "warning"; }
}
