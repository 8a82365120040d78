package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.GraphDiff;
import dev.svcmgr.graph.GraphView;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr graph [UNIT] [--format dot|json|svg]}: the dependency graph of every unit, or of
 * UNIT and what it reaches: of the running daemon's loaded units and their states (its {@code
 * graph} verb), or with {@code --units} (or when no daemon runs) of the files, every unit inactive. DOT comes from JGraphT's exporter (in the graph module); SVG is DOT
 * piped through Graphviz's {@code dot -Tsvg} when that program is on PATH.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"The dependency graph (of every unit, or of UNIT and what it reaches): requirement edges solid,"
                + " ordering (after) dashed, conflicts dotted; nodes coloured by state.",
                "--format svg needs Graphviz's 'dot' program on PATH."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (e.g. svg without Graphviz)", "2:usage error", "4:no such unit"})
public final class GraphCommand implements Callable<Integer> {
    /** Output formats. */
    public enum Format { DOT, JSON, SVG }

    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "UNIT", description = "Only this unit and what it reaches; a bare name means NAME.service.")
    String unit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot", description = "dot (default), json or svg.")
    String format;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Mixin
    UnitSource source;

    @Option(names = "--diff", paramLabel = "OTHER_UNITS_DIR",
            description = "Instead of the graph: units and edges added, removed and changed from these units to the ones in"
                    + " OTHER_UNITS_DIR (repeatable, precedence order). Exit 0 when they say the same, 1 when they differ.")
    List<Path> diff;


    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        Format f = json ? Format.JSON : switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "dot" -> Format.DOT;
            case "json" -> Format.JSON;
            case "svg" -> Format.SVG;
            default -> throw new CommandLine.ParameterException(cmd, "unknown format '" + format + "' (expected dot, json or svg)");
        };
        try {
            if (diff != null && !diff.isEmpty()) {
                // a comparison of definitions: the files (of the daemon's unit directories without --units)
                UnitSet set = source.offline() ? source.offlineUnits(cmd).set() : OfflineUnits.daemonFiles(source.runtimeDir()).set();
                GraphDiff d = GraphDiff.of(set, UnitLoader.load(OfflineUnits.dirs(diff, cmd)));
                if (f == Format.JSON) cmd.getOut().println(Json.write(d.toJsonShape()));
                else cmd.getOut().print(d.text());
                cmd.getOut().flush();
                return d.isEmpty() ? OfflineUnits.OK : OfflineUnits.FAILURE;
            }
            GraphView view = null;
            if (!source.offline()) {
                if (unit != null && OfflineUnits.invalidName(List.of(unit)) != null) return noSuchUnit(cmd, unit);
                try {
                    Reply.Graph g = new Client(source.runtimeDir()).call(new Request.Graph(unit == null ? null : UnitNames.fromUser(unit)));
                    List<GraphView.Node> nodes = new ArrayList<>();
                    for (Reply.Graph.Node n : g.nodes()) nodes.add(new GraphView.Node(n.unit(), n.type(), n.active()));
                    List<GraphView.Link> edges = new ArrayList<>();
                    for (Reply.Graph.Edge e : g.edges()) edges.add(new GraphView.Link(e.from(), e.to(), e.kind()));
                    view = new GraphView(nodes, edges);
                } catch (NoDaemon | IOException e) {
                    // no daemon answers: the default directories, offline
                } catch (DaemonError e) {
                    return OfflineUnits.daemonError(cmd, e.error());
                }
            }
            if (view == null) {
                OfflineUnits.Live live = source.offlineUnits(cmd);
                UnitSet set = live.set();
                String root = null;
                if (unit != null) {
                    Unit u = OfflineUnits.find(set, unit);
                    if (u == null) return noSuchUnit(cmd, unit);
                    root = u.name();
                }
                view = GraphView.of(DependencyGraph.build(set, live.disabled()), root, live.states());
            }
            switch (f) {
                case JSON -> cmd.getOut().println(Json.write(view.toJsonShape()));
                case DOT -> cmd.getOut().print(view.toDot());
                case SVG -> {
                    Path dot = findOnPath("dot");
                    if (dot == null) {
                        cmd.getErr().println("svcmgr graph: --format svg needs Graphviz's 'dot' program, which is not on PATH;"
                                + " install graphviz, or use --format dot and render it elsewhere");
                        cmd.getErr().flush();
                        return OfflineUnits.FAILURE;
                    }
                    String svg = svg(dot, view.toDot());
                    if (svg == null) {
                        cmd.getErr().println("svcmgr graph: " + dot + " -Tsvg failed");
                        cmd.getErr().flush();
                        return OfflineUnits.FAILURE;
                    }
                    cmd.getOut().print(svg);
                }
            }
            cmd.getOut().flush();
            return OfflineUnits.OK;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            return OfflineUnits.crash(cmd, e, source.debug);
        }
    }

    private static int noSuchUnit(CommandLine cmd, String arg) {
        cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(arg));
        cmd.getErr().flush();
        return OfflineUnits.NO_SUCH_UNIT;
    }

    /** An executable named {@code name} in a PATH directory, or null. */
    static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String svg(Path dot, String text) throws IOException {
        Process p = new ProcessBuilder(dot.toString(), "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            return p.waitFor() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
