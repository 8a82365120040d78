package dev.svcmgr.cli.commands;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.DependencyTree;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr list-dependencies [UNIT] [--reverse] [--all]}: the dependency tree with
 * box-drawing lines, each line with a {@code ●} for the unit's state (coloured only on a
 * terminal). A subtree already shown above is marked {@code (shown above)}, not repeated.
 */
@Command(name = "list-dependencies", mixinStandardHelpOptions = true,
        description = {"The dependency tree of UNIT (default: default.target): what it requires, wants, binds to and needs"
                + " active; with --reverse, what depends on it. Only targets are expanded below the first level unless --all.",
                "A subtree already shown above is marked '(shown above)' and not expanded again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:usage error", "4:no such unit"})
public final class ListDependenciesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "UNIT", description = "The unit (default: default.target); a bare name means NAME.service.")
    String unit;

    @Option(names = "--reverse", description = "Show the units that depend on UNIT.")
    boolean reverse;

    @Option(names = "--all", description = "Expand every unit, not only targets.")
    boolean all;

    @Mixin
    UnitSource source;

    @Option(names = "--json", description = "Print the nested tree: {\"unit\",\"active\",\"children\":[...]}.")
    boolean json;


    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        try {
            OfflineUnits.Live view = source.load(cmd);
            UnitSet set = view.set();
            String arg = unit == null ? "default.target" : unit;
            Unit u = OfflineUnits.find(set, arg);
            if (u == null) {
                cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(arg));
                cmd.getErr().flush();
                return OfflineUnits.NO_SUCH_UNIT;
            }
            DependencyTree.Node tree = DependencyTree.of(DependencyGraph.build(set, view.disabled()), u.name(), reverse, all);
            if (json) cmd.getOut().println(Json.write(toJson(tree, view.states())));
            else cmd.getOut().print(text(tree, view.states(), CommandLine.Help.Ansi.AUTO.enabled()));
            cmd.getOut().flush();
            return OfflineUnits.OK;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, source.debug);
        }
    }

    /** The tree as lines: {@code ● ├─api.service}; {@code colour} adds ANSI colour to the dot by state. */
    public static String text(DependencyTree.Node root, Map<String, ActiveState> states, boolean colour) {
        StringBuilder b = new StringBuilder();
        record Frame(DependencyTree.Node node, String prefix, boolean last, boolean top) {}
        ArrayDeque<Frame> work = new ArrayDeque<>();
        work.push(new Frame(root, "", true, true));
        while (!work.isEmpty()) {
            Frame f = work.pop();
            ActiveState s = states.getOrDefault(f.node().unit(), ActiveState.INACTIVE);
            b.append(dot(s, colour)).append(' ');
            if (!f.top()) b.append(f.prefix()).append(f.last() ? "└─" : "├─");
            b.append(f.node().unit());
            if (f.node().repeated()) b.append(" (shown above)");
            b.append('\n');
            String childPrefix = f.top() ? "" : f.prefix() + (f.last() ? "  " : "│ ");
            List<DependencyTree.Node> kids = f.node().children();
            for (int i = kids.size() - 1; i >= 0; i--) work.push(new Frame(kids.get(i), childPrefix, i == kids.size() - 1, false));
        }
        return b.toString();
    }

    private static String dot(ActiveState s, boolean colour) {
        if (!colour) return "●";
        String code = switch (s) {
            case ACTIVE -> "32";
            case FAILED -> "31";
            case STARTING, STOPPING -> "33";
            case INACTIVE -> "37";
        };
        return "\u001b[" + code + "m●\u001b[0m";
    }

    /** {@code {"unit","active","children":[...]}}; a repeated subtree also has {@code "repeated":true}. */
    public static Map<String, Object> toJson(DependencyTree.Node root, Map<String, ActiveState> states) {
        IdentityHashMap<DependencyTree.Node, Map<String, Object>> made = new IdentityHashMap<>();
        List<DependencyTree.Node> order = new ArrayList<>();
        ArrayDeque<DependencyTree.Node> work = new ArrayDeque<>();
        work.push(root);
        while (!work.isEmpty()) {
            DependencyTree.Node n = work.pop();
            order.add(n);
            for (DependencyTree.Node k : n.children()) work.push(k);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            DependencyTree.Node n = order.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", n.unit());
            m.put("active", states.getOrDefault(n.unit(), ActiveState.INACTIVE).word());
            List<Object> kids = new ArrayList<>();
            for (DependencyTree.Node k : n.children()) kids.add(made.get(k));
            m.put("children", kids);
            if (n.repeated()) m.put("repeated", true);
            made.put(n, m);
        }
        return made.get(root);
    }
}
