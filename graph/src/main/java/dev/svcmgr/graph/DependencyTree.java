package dev.svcmgr.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tree {@code svcmgr list-dependencies} shows: a unit's requirements ({@code requires},
 * {@code requisite}, {@code wants}, {@code binds-to}, install edges included), or with
 * {@code reverse} the units that have such a relation to it. Children are sorted by name. As in
 * systemctl, only targets are expanded below the first level unless {@code all}. A unit that was
 * already expanded higher up (or is its own ancestor) is marked {@link Node#repeated()} and not
 * expanded again. Built with a worklist, so a 10,000-unit chain is no problem.
 */
public final class DependencyTree {
    private static final EdgeKind[] KINDS = {EdgeKind.REQUIRES, EdgeKind.REQUISITE, EdgeKind.WANTS, EdgeKind.BINDS_TO};

    private DependencyTree() {}

    /**
     * One line of the tree.
     *
     * @param unit     canonical name
     * @param repeated true when this unit's subtree is shown elsewhere above and left out here
     * @param children sorted by name
     */
    public record Node(String unit, boolean repeated, List<Node> children) {}

    /** The tree below {@code root} (a canonical node name). */
    public static Node of(DependencyGraph g, String root, boolean reverse, boolean all) {
        final class M {
            final String unit;
            boolean repeated;
            final List<M> kids = new ArrayList<>();

            M(String unit) { this.unit = unit; }
        }
        Set<String> expanded = new HashSet<>();
        M top = new M(root);
        List<M> preorder = new ArrayList<>();
        ArrayDeque<M> work = new ArrayDeque<>();
        work.push(top);
        // Depth-first in output order: a subtree is expanded where it first appears from the top.
        while (!work.isEmpty()) {
            M m = work.pop();
            preorder.add(m);
            if (!(m == top || all || m.unit.endsWith(".target"))) continue;
            List<String> cs = children(g, m.unit, reverse);
            if (cs.isEmpty()) continue;
            if (!expanded.add(m.unit)) {
                m.repeated = true;
                continue;
            }
            for (String c : cs) m.kids.add(new M(c));
            for (int i = m.kids.size() - 1; i >= 0; i--) work.push(m.kids.get(i));
        }
        java.util.IdentityHashMap<M, Node> done = new java.util.IdentityHashMap<>();
        for (int i = preorder.size() - 1; i >= 0; i--) {
            M m = preorder.get(i);
            List<Node> kids = new ArrayList<>(m.kids.size());
            for (M k : m.kids) kids.add(done.get(k));
            done.put(m, new Node(m.unit, m.repeated, List.copyOf(kids)));
        }
        return done.get(top);
    }

    /** The direct children of a unit in the tree's sense, sorted. */
    public static List<String> children(DependencyGraph g, String unit, boolean reverse) {
        TreeSet<String> s = new TreeSet<>();
        for (EdgeKind k : KINDS) {
            if (reverse) for (Edge e : g.incoming(unit, k)) s.add(e.from());
            else for (Edge e : g.outgoing(unit, k)) s.add(e.to());
        }
        s.remove(unit);
        return new ArrayList<>(s);
    }
}
