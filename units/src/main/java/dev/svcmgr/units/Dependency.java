package dev.svcmgr.units;

/**
 * One relation as declared: {@code from} (the declaring unit) --kind--> {@code to}.
 * Install edges ({@code install.wanted-by}, {@code install.required-by}) are not
 * dependencies: they are kept in {@link Unit#wantedBy()} and {@link Unit#requiredBy()}
 * (with {@link Unit#installOrigins()}) and run from the named unit to the declaring one.
 *
 * @param kind    the relation
 * @param to      the named unit (as written, after template expansion)
 * @param ordered false for {@code {unit: x, ordered: false}}: no implied ordering
 * @param origin  file, line, column and key that made it
 */
public record Dependency(DepKind kind, String to, boolean ordered, Origin origin) {}
