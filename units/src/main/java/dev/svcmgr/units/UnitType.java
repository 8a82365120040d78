package dev.svcmgr.units;

/** The kinds of unit; the file suffix before {@code .yaml} names the type. */
public enum UnitType {
    SERVICE("service"), TARGET("target"), TIMER("timer"), PATH("path"), SOCKET("socket");

    private final String suffix;

    UnitType(String suffix) { this.suffix = suffix; }

    /** The name suffix without the dot, e.g. {@code service}. */
    public String suffix() { return suffix; }

    /** The type of a unit name by its suffix, or null when the suffix is not a known type. */
    public static UnitType ofName(String name) {
        for (UnitType t : values()) {
            if (name.endsWith("." + t.suffix)) return t;
        }
        return null;
    }
}
