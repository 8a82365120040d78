package dev.svcmgr.units;

/**
 * A located problem found while loading units.
 *
 * <p>A message may quote the file it is about (an offending value, an unknown key). When that file is
 * not readable by every user, the loader also gives the problem a {@code kind}: what went wrong and
 * where, without anything read from the file. Whoever shows the problem to someone who could not read
 * the file shows {@link #formatWithoutContent()} instead of {@link #format()} (cli.md "The control
 * socket": a message never quotes the contents of a file its reader could not read).
 *
 * @param severity error or warning
 * @param unit     the unit name it concerns (may be null for a directory-level problem)
 * @param file     the file (as given to the loader; may be null)
 * @param line     1-based, 0 when unknown
 * @param column   1-based, 0 when unknown
 * @param key      the key concerned, or null
 * @param message  one line: what, and what was expected
 * @param kind     null when the message may be shown to anyone; otherwise the kind of problem without
 *                 the file's contents (e.g. {@code invalid setting 'restart'}), for readers who cannot
 *                 read the file
 */
public record Problem(Severity severity, String unit, String file, int line, int column, String key, String message,
                      String kind) {

    /** A problem whose message quotes nothing that needs hiding. */
    public Problem(Severity severity, String unit, String file, int line, int column, String key, String message) {
        this(severity, unit, file, line, column, key, message, null);
    }

    /** {@code units/api.service.yaml:7:3: error: unknown key 'restat' (did you mean 'restart'?)} */
    public String format() {
        return location() + severity.word() + ": " + message;
    }

    /** The message, or for a problem with a {@code kind}, the kind and why the details are not shown. */
    public String messageWithoutContent() {
        return kind == null ? message : kind + " (details hidden: the file is not readable by every user)";
    }

    /** {@link #format()} with {@link #messageWithoutContent()}: location, severity and kind only. */
    public String formatWithoutContent() {
        return location() + severity.word() + ": " + messageWithoutContent();
    }

    private String location() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) b.append(':').append(line).append(':').append(column);
            b.append(": ");
        } else if (unit != null) {
            b.append(unit).append(": ");
        }
        return b.toString();
    }

    @Override
    public String toString() { return format(); }
}
