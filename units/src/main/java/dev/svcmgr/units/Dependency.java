package dev.svcmgr.units;

/**
 * One relation as declared: {@code from} (the declaring unit) --kind--> {@code to}.
 * Install edges ({@code install.wanted-by}) are recorded on the unit that declares
 * them with {@code reverse = true}: the edge really runs from {@code to} to the
 * declaring unit.
 *
 * @param kind    the relation
 * @param to      the named unit (as written, after template expansion)
 * @param ordered false for {@code {unit: x, ordered: false}}: no implied ordering
 * @param origin  file, line, column and key that made it
 */
public record Dependency(DepKind kind, String to, boolean ordered, Origin origin) {}
