package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.SimulationReport;
import dev.svcmgr.core.protocol.Verb;
import dev.svcmgr.core.sim.Simulation;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.graph.Request;
import dev.svcmgr.units.Durations;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.Values;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr simulate start|stop|restart|isolate UNIT... [--fail UNIT[=RESULT]]... [--slow UNIT=DURATION]...
 * [--hang UNIT]...}: the request run by the real engine and supervisors on a fake OS and a simulated clock.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs a request in a simulated system: the real engine and supervisors, a fake OS that starts no"
                + " process, and a simulated clock (a 90 s timeout passes at once). Prints a timeline of every job"
                + " (simulated start and end), what failed and why, the final state of every unit involved, the critical"
                + " chain and the total time.",
                "Every simulated process starts at once and succeeds unless --fail, --slow or --hang says otherwise;"
                        + " restart policies, timeouts, on-failure units and requirement failures play out as on a real machine.",
                "Offline with --units (every unit inactive at the outset); else from the daemon's current state"
                        + " (its active units are up at the outset), or the default directories when no daemon runs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the request would succeed", "1:it would fail or be refused, or did not finish within 24 h of simulated time",
                "2:usage error, or a failure the unit cannot have (a timeout of a simple service without ready:)", "4:no such unit"})
public final class SimulateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERB", completionCandidates = Verbs.class, description = "start, stop, restart or isolate.")
    String verb;

    /** The verbs, as shell completion offers them. */
    static final class Verbs extends java.util.ArrayList<String> {
        Verbs() { super(java.util.List.of("start", "stop", "restart", "isolate")); }
    }

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "UNIT", description = "Units; a bare name means NAME.service.")
    List<String> units;

    @Option(names = "--fail", paramLabel = "UNIT[=RESULT]",
            description = "UNIT's main process fails, with RESULT: exit-code (the default: exits with status 1), signal"
                    + " (killed by SIGSEGV), timeout (never ready: its timeout-start acts), exec (its program cannot be run),"
                    + " watchdog (stops pinging; needs a watchdog: setting) or oom-kill. A simple service fails right after it"
                    + " started, as on a real machine. Repeatable.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--slow", paramLabel = "UNIT=DURATION",
            description = "UNIT takes DURATION (e.g. 40s, 1min 30s) to become ready, or a oneshot to finish. Repeatable.")
    List<String> slow = new ArrayList<>();

    @Option(names = "--hang", paramLabel = "UNIT",
            description = "UNIT never becomes ready, never finishes on its own and ignores SIGTERM (until its timeouts act). Repeatable.")
    List<String> hang = new ArrayList<>();

    @Option(names = "--assume-active", paramLabel = "UNIT", split = ",",
            description = "These units (and what they need) are up at the outset, started before the clock is read"
                    + " (repeatable or comma-separated); against a daemon, so are its active units.")
    List<String> assumeActive = new ArrayList<>();

    @Mixin
    UnitSource source;

    @Option(names = "--json", description = "Print one JSON document: {\"request\",\"ok\",\"finished\",\"duration-ms\",\"jobs\":[{\"unit\","
            + "\"job\",\"start-ms\",\"end-ms\",\"result\",\"detail\"}],\"failures\":[{\"unit\",\"result\",\"why\"}],\"final\":[{\"unit\","
            + "\"active\",\"sub\",\"result\"}],\"critical-chain\":[unit...],\"gave-up\"}; times in ms from the request.")
    boolean json;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        Request.Verb v = verb(verb, cmd);
        // the scenario as the user wrote it (names resolved below, offline or by the daemon)
        Map<String, Result> fails = new LinkedHashMap<>();
        for (String f : fail) {
            int eq = f.indexOf('=');
            fails.put(eq < 0 ? f : f.substring(0, eq), eq < 0 ? Result.EXIT_CODE : result(f.substring(eq + 1), cmd));
        }
        Map<String, Duration> slows = new LinkedHashMap<>();
        for (String s : slow) {
            int eq = s.indexOf('=');
            if (eq < 0) throw new CommandLine.ParameterException(cmd, "--slow " + s + ": expected UNIT=DURATION, e.g. db=40s");
            try {
                slows.put(s.substring(0, eq), Values.parseDuration(s.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, "--slow " + s + ": " + e.getMessage());
            }
        }
        if (v == Request.Verb.ISOLATE && units.size() != 1) throw new CommandLine.ParameterException(cmd, "isolate takes exactly one target");
        try {
            if (!source.offline()) {
                Integer answered = askDaemon(cmd, v, fails, slows);
                if (answered != null) return answered;
            }
            return offline(cmd, v, fails, slows);
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, source.debug);
        }
    }

    /** The daemon simulates from its loaded units and current states; null when no daemon answers. */
    private Integer askDaemon(CommandLine cmd, Request.Verb v, Map<String, Result> fails, Map<String, Duration> slows) {
        String bad = OfflineUnits.invalidName(allNames(fails, slows));
        if (bad != null) {
            cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(bad));
            cmd.getErr().flush();
            return ExitCodes.NO_SUCH_UNIT;
        }
        Map<String, String> f = new LinkedHashMap<>();
        fails.forEach((u, r) -> f.put(UnitNames.fromUser(u), r.word()));
        Map<String, Long> sl = new LinkedHashMap<>();
        slows.forEach((u, d) -> sl.put(UnitNames.fromUser(u), Durations.isInfinite(d) ? Long.MAX_VALUE / 1_000_000 : d.toMillis()));
        dev.svcmgr.core.protocol.Request.Simulate req = new dev.svcmgr.core.protocol.Request.Simulate(Verb.of(v.word()),
                units.stream().map(UnitNames::fromUser).toList(), f, sl, hang.stream().map(UnitNames::fromUser).toList(),
                assumeActive.stream().map(UnitNames::fromUser).toList());
        SimulationReport report;
        try {
            report = new Client(source.runtimeDir()).call(req).report();
        } catch (Client.NoAnswer e) {
            // a daemon is there but did not answer in time: not a reason to answer from other definitions
            cmd.getErr().println("svcmgr simulate: " + e.getMessage());
            cmd.getErr().flush();
            return ExitCodes.FAILURE;
        } catch (NoDaemon | IOException e) {
            return null;
        } catch (DaemonError e) {
            if (e.error().kind() == ErrorKind.REJECTED || e.error().kind() == ErrorKind.REFUSED) return refused(cmd, e.error().message());
            return OfflineUnits.daemonError(cmd, e.error());
        }
        return render(report, json, cmd.getOut());
    }

    /** Offline: the units of --units (or the default directories), every one inactive at the outset. */
    private int offline(CommandLine cmd, Request.Verb v, Map<String, Result> fails, Map<String, Duration> slows) {
        OfflineUnits.Live view = source.offlineUnits(cmd);
        Map<String, String> canon = new java.util.HashMap<>();
        for (String a : allNames(fails, slows)) {
            String n = name(view, a, cmd);
            if (n == null) return ExitCodes.NO_SUCH_UNIT;
            canon.put(a, n);
        }
        List<String> names = units.stream().map(canon::get).toList();
        Map<String, Result> f = new LinkedHashMap<>();
        fails.forEach((u, res) -> f.put(canon.get(u), res));
        Map<String, Duration> sl = new LinkedHashMap<>();
        slows.forEach((u, d) -> sl.put(canon.get(u), d));
        Set<String> hangs = new LinkedHashSet<>();
        for (String h : hang) hangs.add(canon.get(h));
        Set<String> up = new LinkedHashSet<>();
        for (String u : assumeActive) up.add(canon.get(u));
        Simulation.Input in = new Simulation.Input(view.set(), view.disabled(), view.masked(), up, System.getenv());
        Request r = new Request(v, names, JobMode.REPLACE, false);
        try {
            return render(Simulation.run(in, r, new Simulation.Script(f, sl, hangs)), json, cmd.getOut());
        } catch (Simulation.Refused e) {
            return refused(cmd, e.getMessage());
        }
    }

    /** Every unit name the command line gives: the request's, the script's and --assume-active's. */
    private List<String> allNames(Map<String, Result> fails, Map<String, Duration> slows) {
        List<String> all = new ArrayList<>(units);
        all.addAll(fails.keySet());
        all.addAll(slows.keySet());
        all.addAll(hang);
        all.addAll(assumeActive);
        return all;
    }

    /** A refusal, the daemon's or the offline one: exit 2 when the script itself cannot be, else 1. */
    private static int refused(CommandLine cmd, String message) {
        cmd.getErr().println("svcmgr simulate: refused: " + message);
        cmd.getErr().flush();
        return message.startsWith(Simulation.CANNOT) ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }

    private static String name(OfflineUnits.Live view, String arg, CommandLine cmd) {
        Unit u = OfflineUnits.find(view.set(), arg);
        if (u != null) return u.name();
        cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(arg));
        cmd.getErr().flush();
        return null;
    }

    static Request.Verb verb(String word, CommandLine cmd) {
        for (Request.Verb v : List.of(Request.Verb.START, Request.Verb.STOP, Request.Verb.RESTART, Request.Verb.ISOLATE)) {
            if (v.word().equals(word.toLowerCase(Locale.ROOT))) return v;
        }
        throw new CommandLine.ParameterException(cmd, "unknown verb '" + word + "' (expected start, stop, restart or isolate)");
    }

    private static Result result(String word, CommandLine cmd) {
        Result r = Result.of(word.trim().toLowerCase(Locale.ROOT));
        if (r == null || !Simulation.Script.FAILURES.contains(r)) {
            List<String> ok = Simulation.Script.FAILURES.stream().map(Result::word).sorted().toList();
            throw new CommandLine.ParameterException(cmd, "--fail: unknown result '" + word + "' (expected one of "
                    + String.join(", ", ok) + ")");
        }
        return r;
    }

    /** Prints the report; the exit code says whether the request would succeed. */
    static int render(SimulationReport r, boolean json, PrintWriter out) {
        if (json) {
            out.println(Json.write(r.toJson()));
        } else {
            out.print(text(r));
        }
        out.flush();
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The human form. */
    static String text(SimulationReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Simulated: ").append(r.request()).append(" (simulated clock, no process started)\n\n");
        int w = 4;
        for (SimulationReport.Job j : r.jobs()) w = Math.max(w, j.unit().length());
        b.append(String.format(Locale.ROOT, "%10s  %10s  %-12s  %-" + w + "s  %s%n", "START", "END", "JOB", "UNIT", "RESULT"));
        for (SimulationReport.Job j : r.jobs()) {
            b.append(String.format(Locale.ROOT, "%10s  %10s  %-12s  %-" + w + "s  %s%n", at(j.startMs()), at(j.endMs()), j.job(), j.unit(),
                    j.result() == null ? "(" + j.detail() + ")" : j.result()));
        }
        b.append('\n');
        if (r.failures().isEmpty()) {
            b.append("Failed: nothing\n");
        } else {
            b.append("Failed:\n");
            for (SimulationReport.Failure f : r.failures()) {
                b.append("  ").append(f.unit()).append(": ");
                if (f.why() == null || f.why().equals(f.result())) b.append(f.result());
                else if (f.why().startsWith(f.result() + " ")) b.append(f.why());
                else b.append(f.result()).append(" (").append(f.why()).append(')');
                b.append('\n');
            }
        }
        b.append("\nFinal state:\n");
        int uw = 4;
        for (SimulationReport.Final f : r.units()) uw = Math.max(uw, f.unit().length());
        for (SimulationReport.Final f : r.units()) {
            b.append(String.format(Locale.ROOT, "  %-" + uw + "s  %-10s %-14s %s%n", f.unit(), f.active(), f.sub(),
                    f.result() == null ? "" : f.result()));
        }
        b.append("\nCritical chain: ").append(r.criticalChain().isEmpty() ? "(none)" : String.join(" <- ", r.criticalChain())).append('\n');
        b.append("Total: ").append(Durations.format(Duration.ofMillis(r.durationMs())))
                .append(r.finished() ? "" : " (gave up: " + r.gaveUp() + ")").append('\n');
        b.append(r.ok() ? "The request would succeed.\n" : "The request would fail.\n");
        return b.toString();
    }

    private static String at(Long ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
    }
}
