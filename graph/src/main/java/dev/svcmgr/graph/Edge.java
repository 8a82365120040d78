package dev.svcmgr.graph;

import dev.svcmgr.units.Origin;

/**
 * One edge of the dependency graph: {@code from --kind--> to}, read "from requires to",
 * "from after to". {@code before} edges are stored reversed as {@code after};
 * {@code install.wanted-by: [T]} of unit U is the edge {@code T --wants--> U}.
 *
 * @param from   canonical name of the declaring (dependent) side
 * @param to     canonical name of the other side
 * @param kind   an {@link EdgeKind#word()}: requires, wants, requisite, binds-to, part-of,
 *               conflicts, after, on-failure
 * @param origin file, line, key that made it, or a note such as "implied by requires"
 */
public record Edge(String from, String to, String kind, Origin origin) {

    /** The kind as an enum. */
    public EdgeKind edgeKind() { return EdgeKind.ofWord(kind); }

    /** {@code a.service after b.service (units/a.service.yaml:3:3 (after))}. */
    public String describe() {
        String o = origin == null ? "" : origin.toString();
        return from + " " + kind + " " + to + (o.isEmpty() ? "" : " (" + o + ")");
    }
}
