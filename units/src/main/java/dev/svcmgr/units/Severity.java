package dev.svcmgr.units;

/** How serious a load {@link Problem} is: an error fails {@code verify} (and, found in the unit's own files, makes it {@code bad-setting}); a warning does neither. */
public enum Severity {
    ERROR, WARNING;

    public String word() { return this == ERROR ? "error" : "warning"; }
}
