package dev.svcmgr.bench;

import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.Cycles;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.graph.Resolver;
import dev.svcmgr.units.UnitSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Warm resolver cost on generated systems ({@link Systems}): {@code start default.target} from
 * nothing running, and {@code isolate rescue.target} from the booted state (every unit of the
 * default.target plan active). Also the graph build and the whole-set cycle search.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ResolverBench {
    @Param({"1000", "10000"})
    public int units;

    private UnitSet set;
    private DependencyGraph graph;
    private Map<String, ActiveState> booted;
    private final Request start = Request.of(Request.Verb.START, "default.target");
    private final Request isolate = new Request(Request.Verb.ISOLATE, List.of("rescue.target"), JobMode.ISOLATE, false);

    @Setup
    public void setup() {
        set = Systems.generate(units, 42);
        graph = DependencyGraph.build(set, Set.of());
        Resolution r = Resolver.resolve(graph, Map.of(), Set.of(), start);
        if (!(r instanceof Plan p)) throw new IllegalStateException("generated system rejected: " + r);
        booted = new HashMap<>();
        for (Job j : p.jobs()) booted.put(j.unit(), ActiveState.ACTIVE);
        Resolution iso = Resolver.resolve(graph, booted, Set.of(), isolate);
        if (!(iso instanceof Plan ip)) throw new IllegalStateException("isolate rejected: " + iso);
        System.out.printf("%n%d units: start default.target = %d jobs in %d waves; isolate rescue.target = %d jobs%n",
                units, p.jobs().size(), p.waves(), ip.jobs().size());
    }

    @Benchmark
    public Resolution startDefaultTarget() {
        return Resolver.resolve(graph, Map.of(), Set.of(), start);
    }

    @Benchmark
    public Resolution isolateRescueTarget() {
        return Resolver.resolve(graph, booted, Set.of(), isolate);
    }

    @Benchmark
    public DependencyGraph buildGraph() {
        return DependencyGraph.build(set, Set.of());
    }

    @Benchmark
    public List<Cycles.Cycle> findCycles() {
        return Cycles.find(graph);
    }
}
