package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Verb;
import dev.svcmgr.graph.ActiveState;
import dev.svcmgr.graph.DependencyGraph;
import dev.svcmgr.graph.Job;
import dev.svcmgr.graph.JobType;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Plan;
import dev.svcmgr.graph.Rejection;
import dev.svcmgr.graph.Request;
import dev.svcmgr.graph.Resolution;
import dev.svcmgr.graph.Resolver;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr plan start|stop|restart|try-restart|reload|isolate UNIT... [--units DIR]...}: the
 * transaction the command would run, without running it. With {@code --units} (or when no daemon
 * runs) it is worked out here from the files, every unit inactive unless named with {@code
 * --assume-active}; otherwise the daemon works it out (its {@code plan} verb) from the definitions
 * it has loaded and its units' states. Both are printed by {@link #render}.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Dry run: the transaction a command would run - its jobs grouped in waves that may run in parallel,"
                + " in order, what would be stopped, and each job's reason (the chain of edges from the request).",
                "Offline (--units, or the default directories): every unit counts as inactive unless named with --assume-active."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the request would be accepted", "1:the request would be rejected (the message says why)",
                "2:usage error", "4:no such unit"})
public final class PlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERB", completionCandidates = Verbs.class, description = "start, stop, restart, try-restart, reload or isolate.")
    String verb;

    /** The verbs, as shell completion offers them. */
    static final class Verbs extends java.util.ArrayList<String> {
        Verbs() { super(java.util.List.of("start", "stop", "restart", "try-restart", "reload", "isolate")); }
    }

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "UNIT", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Mixin
    UnitSource source;

    @Option(names = "--assume-active", paramLabel = "UNIT", split = ",",
            description = "Offline: treat these units as active (repeatable or comma-separated).")
    List<String> assumeActive;

    @Option(names = "--job-mode", paramLabel = "MODE", defaultValue = "replace",
            description = "replace (default) or fail: how the request meets jobs already queued; isolate: a start becomes an isolate.")
    String mode;

    @Option(names = "--json", description = "Print one JSON document: {\"jobs\":[{\"unit\",\"job\",\"wave\",\"reason\"}]}.")
    boolean json;


    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        Request.Verb v = verb(verb, cmd);
        JobMode jm = jobMode(mode, cmd);
        try {
            if (!source.offline()) {
                Integer answered = askDaemon(cmd, v, jm);
                if (answered != null) return answered;
            }
            OfflineUnits.Live view = source.offlineUnits(cmd);
            UnitSet set = view.set();
            List<String> names = new ArrayList<>();
            for (String a : units) {
                Unit u = OfflineUnits.find(set, a);
                if (u == null) return noSuchUnit(cmd, a);
                names.add(u.name());
            }
            Map<String, ActiveState> current = new TreeMap<>(view.states());
            if (assumeActive != null) {
                for (String a : assumeActive) {
                    Unit u = OfflineUnits.find(set, a);
                    if (u == null) return noSuchUnit(cmd, a);
                    current.put(u.name(), ActiveState.ACTIVE);
                }
            }
            Request r = new Request(v, names, jm, false);
            return render(compute(set, current, view.masked(), view.disabled(), r), json, cmd.getOut(), cmd.getErr());
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, source.debug);
        }
    }

    /**
     * The plan from the running daemon: its loaded definitions, its units' states (those named
     * with --assume-active count as active), its masked and disabled units. Null when no daemon
     * answers: then the default directories are read offline.
     */
    private Integer askDaemon(CommandLine cmd, Request.Verb v, JobMode jm) {
        List<String> assumed = assumeActive == null ? List.of() : assumeActive;
        List<String> all = new ArrayList<>(units);
        all.addAll(assumed);
        String bad = OfflineUnits.invalidName(all);
        if (bad != null) return noSuchUnit(cmd, bad);
        Reply.Planned p;
        try {
            p = new Client(source.runtimeDir()).call(new dev.svcmgr.core.protocol.Request.Plan(Verb.of(v.word()),
                    units.stream().map(UnitNames::fromUser).toList(), jm.word(), assumed.stream().map(UnitNames::fromUser).toList()));
        } catch (NoDaemon | IOException e) {
            return null;
        } catch (DaemonError e) {
            if (e.error().kind() == ErrorKind.REJECTED) {
                return render(new Rejection(e.error().message(), e.error().cycle()), json, cmd.getOut(), cmd.getErr());
            }
            return OfflineUnits.daemonError(cmd, e.error());
        }
        List<Job> jobs = new ArrayList<>();
        for (Reply.Planned.Job j : p.jobs()) {
            List<Job.Ref> waits = new ArrayList<>();
            for (String w : j.waitsFor()) {
                int sp = w.indexOf(' ');
                waits.add(new Job.Ref(w.substring(sp + 1), jobType(w.substring(0, sp))));
            }
            jobs.add(new Job(j.unit(), jobType(j.job()), (int) j.wave(), j.reason(), waits));
        }
        return render(new Plan(new Request(v, p.units(), jm, false), jobs, p.skipped()), json, cmd.getOut(), cmd.getErr());
    }

    private static JobType jobType(String word) {
        for (JobType t : JobType.values()) if (t.word().equals(word)) return t;
        throw new IllegalArgumentException("the daemon answered an unknown job type " + word);
    }

    private static int noSuchUnit(CommandLine cmd, String arg) {
        cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(arg));
        cmd.getErr().flush();
        return OfflineUnits.NO_SUCH_UNIT;
    }

    static JobMode jobMode(String word, CommandLine cmd) {
        for (JobMode m : JobMode.values()) if (m.word().equals(word.toLowerCase(Locale.ROOT))) return m;
        throw new CommandLine.ParameterException(cmd, "unknown job mode '" + word + "' (expected replace, fail or isolate)");
    }

    static Request.Verb verb(String word, CommandLine cmd) {
        for (Request.Verb v : Request.Verb.values()) if (v.word().equals(word.toLowerCase(Locale.ROOT))) return v;
        throw new CommandLine.ParameterException(cmd, "unknown verb '" + word
                + "' (expected start, stop, restart, try-restart, reload or isolate)");
    }

    /** The resolution of a request over a unit set (no disabled units). */
    public static Resolution compute(UnitSet set, Map<String, ActiveState> current, Set<String> masked, Request r) {
        return compute(set, current, masked, Set.of(), r);
    }

    /** The resolution of a request over a unit set, with the install edges of {@code disabled} dropped. */
    public static Resolution compute(UnitSet set, Map<String, ActiveState> current, Set<String> masked,
                                     Set<String> disabled, Request r) {
        return Resolver.resolve(DependencyGraph.build(set, disabled), current, masked, r);
    }

    /**
     * Prints a resolution: human text or JSON on {@code out}; a rejection's line on {@code err}
     * (or its JSON on {@code out}). Returns the exit code: 0 for a plan, 1 for a rejection.
     */
    public static int render(Resolution res, boolean json, PrintWriter out, PrintWriter err) {
        if (res instanceof Rejection rj) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("error", rj.error());
                m.put("cycle", rj.cycle());
                out.println(Json.write(m));
            } else {
                err.println("svcmgr plan: rejected: " + rj.error());
            }
            out.flush();
            err.flush();
            return OfflineUnits.FAILURE;
        }
        Plan p = (Plan) res;
        if (json) {
            out.println(Json.write(toJson(p)));
        } else {
            out.print(text(p));
        }
        out.flush();
        return OfflineUnits.OK;
    }

    /** {@code {"request","jobs":[{"unit","job","wave","reason","after"}],"stopped","restarted","skipped"}}. */
    public static Map<String, Object> toJson(Plan p) {
        List<Object> jobs = new ArrayList<>();
        for (Job j : p.jobs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", j.unit());
            m.put("job", j.type().word());
            m.put("wave", j.wave());
            m.put("reason", j.reason());
            m.put("after", j.after());
            jobs.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", p.request().describe());
        m.put("jobs", jobs);
        m.put("stopped", p.stopped());
        m.put("restarted", p.restarted());
        m.put("skipped", p.skipped());
        return m;
    }

    /** The human form: a header, the waves, what restarts (a stop job, then a start job) and what stops. */
    public static String text(Plan p) {
        int n = p.jobs().size();
        StringBuilder b = new StringBuilder();
        b.append(p.request().describe()).append(": ").append(n).append(n == 1 ? " job" : " jobs")
                .append(" in ").append(p.waves()).append(p.waves() == 1 ? " wave" : " waves").append('\n');
        b.append(p.render());
        List<String> restarted = p.restarted();
        if (!restarted.isEmpty()) b.append("restarts: ").append(String.join(", ", restarted)).append('\n');
        List<String> stopped = p.stopped();
        b.append(stopped.isEmpty() ? "stops nothing\n" : "stops: " + String.join(", ", stopped) + "\n");
        return b.toString();
    }
}
