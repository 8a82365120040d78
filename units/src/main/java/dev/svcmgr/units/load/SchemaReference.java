package dev.svcmgr.units.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unit-file key reference rendered from the schema table itself, so the
 * documentation cannot drift from what the loader accepts (docs/units.md quotes
 * it between {@code <!-- schema:begin -->} and {@code <!-- schema:end -->}; the
 * svcmgr.unit(5) man page renders {@link #rows()}).
 */
public final class SchemaReference {
    private SchemaReference() {}

    /**
     * One key of the reference.
     *
     * @param key   the key, dotted for a map's child ({@code limits.memory})
     * @param units where it applies: {@code all}, {@code services}, {@code targets}, {@code timers}, {@code paths} or {@code sockets}
     * @param merge how a drop-in combines with it ({@code replaces}, {@code appends ([] resets)}, {@code merges key by key})
     * @param value what it expects, in words
     */
    public record Row(String key, String units, String merge, String value) {}

    /** Every key, common ones first, then those of targets, services, timers, paths and sockets; a map's children after it. */
    public static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        rows(out, Schema.COMMON, "", "all");
        rows(out, Schema.TARGET_ONLY, "", "targets");
        rows(out, Schema.SERVICE_ONLY, "", "services");
        rows(out, Schema.TIMER_ONLY, "", "timers");
        rows(out, Schema.PATH_ONLY, "", "paths");
        rows(out, Schema.SOCKET_ONLY, "", "sockets");
        return out;
    }

    /** A markdown table: key (dotted for map children), where it applies, how it merges, what it expects. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| key | units | merge in drop-ins | value |\n| --- | --- | --- | --- |\n");
        for (Row r : rows()) {
            b.append("| `").append(r.key()).append("` | ").append(r.units()).append(" | ")
                    .append(r.merge().equals("appends ([] resets)") ? "appends (`[]` resets)" : r.merge()).append(" | ")
                    .append(r.value().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    private static void rows(List<Row> out, Map<String, Schema.Spec> specs, String prefix, String units) {
        for (Schema.Spec s : specs.values()) {
            String key = prefix + s.key();
            String merge = switch (s.shape()) {
                case SCALAR, COMMAND, EXEC_COMMAND -> "replaces";
                case LIST, EXEC_COMMANDS -> "appends ([] resets)";
                case MAP, FREE_MAP -> "merges key by key";
            };
            String value = switch (s.shape()) {
                case MAP -> "a mapping of " + String.join(", ", s.children().keySet().stream().map(k -> "`" + k + "`").toList());
                case COMMAND -> "a command: a list (exact argv) or a string (split like a shell, no expansion)";
                case EXEC_COMMAND -> "a command: a list (exact argv), a string (split like a shell, no expansion),"
                        + " or `{command, privileged, ignore-failure}`";
                default -> s.expect();
            };
            out.add(new Row(key, units, merge, value));
            if (s.shape() == Schema.Shape.MAP) rows(out, s.children(), key + ".", units);
        }
    }

    /** Prints the table (to paste into docs/units.md). */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
