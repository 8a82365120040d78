package dev.svcmgr.cli.commands;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.graph.Cycles;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.Edge;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code svcmgr verify [--units DIR]... [--json]}: loads the units exactly as the daemon
 * does, offline, and reports every problem. Problems go to stderr as
 * {@code file:line:column: severity: message}, a summary to stdout; with {@code --json}
 * one document {@code {"errors":[...],"warnings":[...],"cycles":[...]}} on stdout.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Parse and validate every unit offline; report errors, warnings, unresolved names and ordering cycles.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no errors (warnings allowed)", "1:at least one error or ordering cycle", "2:usage error"})
public final class VerifyCommand implements Callable<Integer> {
    /**
     * Finds ordering cycles in a loaded set, each as a closed path such as
     * {@code [a.service, b.service, a.service]}: every elementary cycle of the ordering
     * graph, at most {@link Cycles#LIMIT} ({@link Cycles#find}).
     */
    public static volatile Function<UnitSet, List<List<String>>> cycleFinder =
            set -> findCycles(set).stream().map(Cycles.Cycle::units).toList();

    /** Every elementary ordering cycle of the set with the origin of each edge (install edges of every unit). */
    public static List<Cycles.Cycle> findCycles(UnitSet set) {
        return Cycles.find(DependencyGraph.build(set, java.util.Set.of()));
    }

    @Spec CommandSpec spec;

    @Option(names = "--units", paramLabel = "DIR", description = "Unit directory (repeatable, highest precedence first); replaces the defaults.")
    List<Path> units;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--debug", description = "Show stack traces of internal errors.")
    boolean debug;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        List<Path> dirs = OfflineUnits.dirs(units, cmd);
        try {
            UnitSet set = UnitLoader.load(dirs);
            List<Cycles.Cycle> found = findCycles(set);
            List<List<String>> cycles = found.stream().map(Cycles.Cycle::units).toList();
            return report(set, cycles, found, cmd.getOut(), cmd.getErr());
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, debug);
        }
    }

    /** The cycles the installed finder reports for {@code set} (never null). */
    public static List<List<String>> cycles(UnitSet set) {
        List<List<String>> c = cycleFinder.apply(set);
        return c == null ? List.of() : c;
    }

    private int report(UnitSet set, List<List<String>> cycles, List<Cycles.Cycle> found, PrintWriter out, PrintWriter err) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Problem p : set.problems()) (p.severity() == Severity.ERROR ? errors : warnings).add(p);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("errors", errors.stream().map(VerifyCommand::toJson).toList());
            doc.put("warnings", warnings.stream().map(VerifyCommand::toJson).toList());
            doc.put("cycles", cycles);
            out.println(Json.write(doc));
        } else {
            for (Problem p : set.problems()) err.println(p.format());
            for (Cycles.Cycle c : found) {
                err.println("error: ordering cycle: " + c.path());
                for (Edge e : c.edges()) err.println("  " + e.describe());
            }
            if (found.size() >= Cycles.LIMIT) err.println("note: only the first " + Cycles.LIMIT + " ordering cycles are shown");
            int n = (int) set.units().values().stream().filter(u -> u.fragmentPath() != null).count();
            int e = errors.size() + cycles.size();
            out.println(n + (n == 1 ? " unit" : " units") + " in " + String.join(", ", set.dirs()) + ": "
                    + e + (e == 1 ? " error, " : " errors, ") + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings"));
        }
        out.flush();
        err.flush();
        return errors.isEmpty() && cycles.isEmpty() ? OfflineUnits.OK : OfflineUnits.FAILURE;
    }

    /** {@code {"unit","file","line","column","message"}}; unknown positions are null. */
    static Map<String, Object> toJson(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", p.unit());
        m.put("file", p.file());
        m.put("line", p.line() > 0 ? p.line() : null);
        m.put("column", p.column() > 0 ? p.column() : null);
        m.put("message", p.message());
        return m;
    }
}
