package dev.svcmgr.graph;

import dev.svcmgr.units.DepKind;

import java.util.EnumSet;
import java.util.Set;

/**
 * The edge kinds of the dependency graph, each defined once as a set of
 * {@link Atom}s. This enum is the behaviour table that docs/graph.md quotes
 * ({@link #table()} renders it). {@code before} never appears: {@code A before B}
 * is stored as {@code B after A}. The runtime columns ({@link Atom#runtimeEvent()}) are what the
 * engine reads for changes no job asked for ({@link DependencyGraph#reactions}).
 */
public enum EdgeKind {
    REQUIRES("requires", "required by", "requires",
            EnumSet.of(Atom.PULLS_IN, Atom.FAILS_WITH, Atom.PROPAGATES_STOP, Atom.PROPAGATES_RESTART, Atom.ORDERS_AFTER,
                    Atom.FOLLOWS_FAILURE)),
    WANTS("wants", "wanted by", "wants",
            EnumSet.of(Atom.PULLS_IN, Atom.ORDERS_AFTER)),
    REQUISITE("requisite", "needed active by", "needs active",
            EnumSet.of(Atom.CHECKS_ACTIVE, Atom.FAILS_WITH, Atom.ORDERS_AFTER)),
    BINDS_TO("binds-to", "bound by", "binds to",
            EnumSet.of(Atom.PULLS_IN, Atom.FAILS_WITH, Atom.PROPAGATES_STOP, Atom.PROPAGATES_RESTART,
                    Atom.FOLLOWS_FAILURE, Atom.FOLLOWS_DEACTIVATION, Atom.ORDERS_AFTER)),
    PART_OF("part-of", "has part", "part of",
            EnumSet.of(Atom.PROPAGATES_STOP, Atom.PROPAGATES_RESTART)),
    CONFLICTS("conflicts", "conflicts with", "conflicts with",
            EnumSet.of(Atom.STOPS_OTHER)),
    AFTER("after", "ordered before", "after",
            EnumSet.of(Atom.ORDERS_AFTER)),
    ON_FAILURE("on-failure", "on-failure of", "on failure starts",
            EnumSet.of(Atom.STARTS_ON_FAILURE));

    private final String word;
    private final String byPhrase;
    private final String ofPhrase;
    private final Set<Atom> atoms;

    EdgeKind(String word, String byPhrase, String ofPhrase, Set<Atom> atoms) {
        this.word = word;
        this.byPhrase = byPhrase;
        this.ofPhrase = ofPhrase;
        this.atoms = atoms;
    }

    /** The kind word of {@code graph --format json} and {@link Edge#kind()}, e.g. {@code binds-to}. */
    public String word() { return word; }

    /** For {@code A --kind--> B}, how B relates back to A: {@code required by A}. */
    public String byPhrase() { return byPhrase; }

    /** For {@code A --kind--> B}, how A relates to B: {@code requires B}. */
    public String ofPhrase() { return ofPhrase; }

    /** The behaviours of this kind. */
    public Set<Atom> atoms() { return EnumSet.copyOf(atoms); }

    public boolean has(Atom a) { return atoms.contains(a); }

    /** True for the kinds whose declaration also implies an {@code after} edge (unless {@code ordered: false}). */
    public boolean impliesOrdering() { return this != AFTER && atoms.contains(Atom.ORDERS_AFTER); }

    /** The kind for a word, or null. */
    public static EdgeKind ofWord(String word) {
        for (EdgeKind k : values()) if (k.word.equals(word)) return k;
        return null;
    }

    /** The graph kind of a unit-file key ({@code before} maps to {@code after}, reversed by the caller). */
    public static EdgeKind of(DepKind k) {
        return switch (k) {
            case REQUIRES -> REQUIRES;
            case WANTS -> WANTS;
            case REQUISITE -> REQUISITE;
            case BINDS_TO -> BINDS_TO;
            case PART_OF -> PART_OF;
            case CONFLICTS -> CONFLICTS;
            case AFTER, BEFORE -> AFTER;
            case ON_FAILURE -> ON_FAILURE;
        };
    }

    /** The behaviour table as Markdown: one row per kind, one column per atom. */
    public static String table() {
        StringBuilder b = new StringBuilder("| kind |");
        for (Atom a : Atom.values()) b.append(' ').append(a.words()).append(" |");
        b.append("\n| --- |");
        for (int i = 0; i < Atom.values().length; i++) b.append(" --- |");
        b.append('\n');
        for (EdgeKind k : values()) {
            b.append("| `").append(k.word).append("` |");
            for (Atom a : Atom.values()) b.append(k.has(a) ? " yes |" : "  |");
            b.append('\n');
        }
        return b.toString();
    }
}
