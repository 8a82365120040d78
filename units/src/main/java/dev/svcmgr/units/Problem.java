package dev.svcmgr.units;

/**
 * A located problem found while loading units.
 *
 * @param severity error or warning
 * @param unit     the unit name it concerns (may be null for a directory-level problem)
 * @param file     the file (as given to the loader; may be null)
 * @param line     1-based, 0 when unknown
 * @param column   1-based, 0 when unknown
 * @param key      the key concerned, or null
 * @param message  one line: what, and what was expected
 */
public record Problem(Severity severity, String unit, String file, int line, int column, String key, String message) {

    /** {@code units/api.service.yaml:7:3: error: unknown key 'restat' (did you mean 'restart'?)} */
    public String format() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) b.append(':').append(line).append(':').append(column);
            b.append(": ");
        } else if (unit != null) {
            b.append(unit).append(": ");
        }
        b.append(severity.word()).append(": ").append(message);
        return b.toString();
    }

    @Override
    public String toString() { return format(); }
}
