package dev.svcmgr.units;

/**
 * Where a setting or edge came from: a file position and key, or a note such
 * as "implied by requires" for edges the rules add.
 *
 * @param file   the unit file or drop-in (null for implied edges)
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param key    the key that made it, e.g. {@code requires}
 * @param note   extra words, e.g. {@code implied by requires}; may be null
 */
public record Origin(String file, int line, int column, String key, String note) {
    public static Origin at(String file, int line, int column, String key) {
        return new Origin(file, line, column, key, null);
    }

    public static Origin implied(String note) {
        return new Origin(null, 0, 0, null, note);
    }

    public Origin withNote(String n) { return new Origin(file, line, column, key, n); }

    /** {@code units/a.service.yaml:7:3 (requires)} or the note alone. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) b.append(':').append(line).append(':').append(column);
            if (key != null) b.append(" (").append(key).append(')');
        } else if (key != null) {
            b.append(key);
        }
        if (note != null) {
            if (b.length() > 0) b.append(", ");
            b.append(note);
        }
        return b.toString();
    }
}
