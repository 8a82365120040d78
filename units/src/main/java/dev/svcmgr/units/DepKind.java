package dev.svcmgr.units;

/**
 * The relation keys of a unit file, as written. What each kind does (pulls in,
 * propagates stop, ...) is defined once in the graph module's behaviour table.
 */
public enum DepKind {
    REQUIRES("requires"), WANTS("wants"), REQUISITE("requisite"), BINDS_TO("binds-to"),
    PART_OF("part-of"), CONFLICTS("conflicts"), AFTER("after"), BEFORE("before"),
    ON_FAILURE("on-failure");

    private final String key;

    DepKind(String key) { this.key = key; }

    /** The unit-file key, e.g. {@code binds-to}. */
    public String key() { return key; }

    public static DepKind ofKey(String key) {
        for (DepKind k : values()) if (k.key.equals(key)) return k;
        return null;
    }
}
