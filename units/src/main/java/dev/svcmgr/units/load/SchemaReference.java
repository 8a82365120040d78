package dev.svcmgr.units.load;

import java.util.Map;

/**
 * The unit-file key reference rendered from the schema table itself, so the
 * documentation cannot drift from what the loader accepts (docs/units.md quotes
 * it between {@code <!-- schema:begin -->} and {@code <!-- schema:end -->}).
 */
public final class SchemaReference {
    private SchemaReference() {}

    /** A markdown table: key (dotted for map children), where it applies, how it merges, what it expects. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| key | units | merge in drop-ins | value |\n| --- | --- | --- | --- |\n");
        rows(b, Schema.COMMON, "", "all");
        rows(b, Schema.TARGET_ONLY, "", "targets");
        rows(b, Schema.SERVICE_ONLY, "", "services");
        rows(b, Schema.TIMER_ONLY, "", "timers");
        rows(b, Schema.PATH_ONLY, "", "paths");
        rows(b, Schema.SOCKET_ONLY, "", "sockets");
        return b.toString();
    }

    private static void rows(StringBuilder b, Map<String, Schema.Spec> specs, String prefix, String units) {
        for (Schema.Spec s : specs.values()) {
            String key = prefix + s.key();
            String merge = switch (s.shape()) {
                case SCALAR, COMMAND, EXEC_COMMAND -> "replaces";
                case LIST, EXEC_COMMANDS -> "appends (`[]` resets)";
                case MAP, FREE_MAP -> "merges key by key";
            };
            String value = switch (s.shape()) {
                case MAP -> "a mapping of " + String.join(", ", s.children().keySet().stream().map(k -> "`" + k + "`").toList());
                case COMMAND -> "a command: a list (exact argv) or a string (split like a shell, no expansion)";
                case EXEC_COMMAND -> "a command: a list (exact argv), a string (split like a shell, no expansion),"
                        + " or `{command, privileged, ignore-failure}`";
                default -> s.expect();
            };
            b.append("| `").append(key).append("` | ").append(units).append(" | ").append(merge).append(" | ")
                    .append(value.replace("|", "\\|")).append(" |\n");
            if (s.shape() == Schema.Shape.MAP) rows(b, s.children(), key + ".", units);
        }
    }

    /** Prints the table (to paste into docs/units.md). */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
