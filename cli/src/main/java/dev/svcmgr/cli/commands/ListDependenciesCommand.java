package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DirectCommand;
import dev.svcmgr.cli.client.Writers;
import java.io.PrintWriter;
import java.nio.file.Path;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.DependencyTree;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayDeque;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr list-dependencies [UNIT] [--reverse] [--all]}: the dependency tree (of the running
 * daemon's loaded units, its {@code dependencies} verb; with {@code --units} or without a daemon, of
 * the files, every unit inactive) with
 * box-drawing lines, each line with a {@code ●} for the unit's state (coloured only on a
 * terminal). A subtree already shown above is marked {@code (shown above)}, not repeated.
 */
@Command(name = "list-dependencies", mixinStandardHelpOptions = true,
        description = {"The dependency tree of UNIT (default: default.target): what it requires, wants, binds to and needs"
                + " active; with --reverse, what depends on it. Only targets are expanded below the first level unless --all.",
                "A subtree already shown above is marked '(shown above)' and not expanded again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:usage error", "4:no such unit"})
public final class ListDependenciesCommand implements Callable<Integer>, DirectCommand {
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

    @Option(names = "--plain", description = "A plain list, as systemctl --plain: each unit indented by its depth, without the tree's lines and the state dots.")
    boolean plain;


    private final Writers writers = new Writers();
    private Boolean colourGiven;

    /** {@code list-dependencies [UNIT] [--reverse] [--all]} with at most {@code --runtime-dir}, configured as picocli would. */
    public static ListDependenciesCommand of(String unit, boolean reverse, boolean all, Path runtimeDir) {
        ListDependenciesCommand c = new ListDependenciesCommand();
        c.unit = unit;
        c.reverse = reverse;
        c.all = all;
        c.source = new UnitSource();
        c.source.runtimeDir = runtimeDir;
        return c;
    }

    @Override
    public int callDirect(PrintWriter out, PrintWriter err) {
        writers.given(out, err);
        return call();
    }

    @Override
    public void colour(boolean on) { colourGiven = on; }

    @Override
    public Integer call() {
        CommandLine cmd = writers.given() ? null : spec.commandLine();
        PrintWriter out = writers.out(spec), err = writers.err(spec);
        try {
            String arg = unit == null ? "default.target" : unit;
            DependencyTree.Node tree = null;
            Map<String, ActiveState> states = null;
            if (!source.offline()) {
                if (OfflineUnits.invalidName(List.of(arg)) != null) return noSuchUnit(err, arg);
                try {
                    Reply.Dependencies d = new Client(source.runtimeDir()).call(new Request.Dependencies(UnitNames.fromUser(arg), reverse, all));
                    states = new HashMap<>();
                    tree = tree(d.lines(), states);
                } catch (NoDaemon | IOException e) {
                    // no daemon answers: the default directories, offline (never inside the daemon, with its rights)
                    if (Client.inDaemonNow()) {
                        Client.abandon();
                        return OfflineUnits.FAILURE;
                    }
                } catch (DaemonError e) {
                    return OfflineUnits.daemonError(err, e.error());
                }
            }
            if (tree == null) {
                OfflineUnits.Live view = source.offlineUnits(cmd);
                UnitSet set = view.set();
                Unit u = OfflineUnits.find(set, arg);
                if (u == null) return noSuchUnit(err, arg);
                tree = DependencyTree.of(DependencyGraph.build(set, view.disabled()), u.name(), reverse, all);
                states = view.states();
            }
            if (json) out.println(Json.write(toJson(tree, states)));
            else if (plain) out.print(plain(tree));
            else out.print(text(tree, states, colourGiven != null ? colourGiven : CommandLine.Help.Ansi.AUTO.enabled()));
            out.flush();
            return OfflineUnits.OK;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(err, "list-dependencies", e, source.debug);
        }
    }

    private static int noSuchUnit(PrintWriter err, String arg) {
        err.println("svcmgr: " + OfflineUnits.noSuchUnit(arg));
        err.flush();
        return OfflineUnits.NO_SUCH_UNIT;
    }

    /**
     * The tree the daemon sent as its lines in output order, each with its number of children;
     * {@code states} gets each unit's state. A worklist, so a tree of any depth is no problem.
     */
    static DependencyTree.Node tree(List<Reply.Dependencies.Line> lines, Map<String, ActiveState> states) {
        if (lines.isEmpty()) throw new IllegalArgumentException("the daemon sent an empty tree");
        for (Reply.Dependencies.Line l : lines) states.put(l.unit(), ActiveState.valueOf(l.active().toUpperCase(java.util.Locale.ROOT)));
        // each line's children are the next subtrees after it; build bottom-up from the end
        ArrayDeque<DependencyTree.Node> built = new ArrayDeque<>();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Reply.Dependencies.Line l = lines.get(i);
            if (built.size() < l.children()) throw new IllegalArgumentException("the daemon sent a tree with missing lines");
            List<DependencyTree.Node> kids = new ArrayList<>(l.children());
            for (int k = 0; k < l.children(); k++) kids.add(built.pop());
            built.push(new DependencyTree.Node(l.unit(), l.repeated(), List.copyOf(kids)));
        }
        if (built.size() != 1) throw new IllegalArgumentException("the daemon sent a tree with extra lines");
        return built.pop();
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

    /** The tree as a plain list: two spaces of indent per level, no lines, no dots. */
    static String plain(DependencyTree.Node root) {
        StringBuilder b = new StringBuilder();
        record Frame(DependencyTree.Node node, int depth) {}
        ArrayDeque<Frame> work = new ArrayDeque<>();
        work.push(new Frame(root, 0));
        while (!work.isEmpty()) {
            Frame f = work.pop();
            b.append("  ".repeat(f.depth())).append(f.node().unit()).append(f.node().repeated() ? " (shown above)" : "").append('\n');
            List<DependencyTree.Node> kids = f.node().children();
            for (int i = kids.size() - 1; i >= 0; i--) work.push(new Frame(kids.get(i), f.depth() + 1));
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
