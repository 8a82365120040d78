package dev.svcmgr.core.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reply line of the control protocol: one record per shape, written by the daemon ({@link
 * #toJson}) and read by the client ({@link Codec}), each in one place. A successful reply has
 * {@code "ok": true}; a failure is an {@link Error} (or, for a transaction whose jobs ran, a
 * {@link Done} with {@code ok} false); the lines of a stream after the first have no {@code ok}.
 */
public sealed interface Reply {
    /** The line as a JSON object. */
    Map<String, Object> toJson();

    /**
     * A failure: {@code {"ok":false,"error":...,"error-kind":...}}; a {@link ErrorKind#REJECTED}
     * transaction also has {@code cycle} (null when the refusal is not a cycle), a {@link
     * ErrorKind#NOT_FOUND} one the {@code unit} that was not found when the daemon knows it.
     *
     * @param message one line saying what went wrong and, where it can, what to do
     */
    record Error(ErrorKind kind, String message, String unit, List<String> cycle) implements Reply {
        public Error(ErrorKind kind, String message) { this(kind, message, null, null); }

        /** A unit that is not there. */
        public static Error notFound(String unit, String message) { return new Error(ErrorKind.NOT_FOUND, message, unit, null); }

        /** The resolver's refusal of a transaction. */
        public static Error rejected(String message, List<String> cycle) { return new Error(ErrorKind.REJECTED, message, null, cycle); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.object();
            m.put("ok", false);
            m.put("error", message);
            m.put("error-kind", kind.word());
            if (unit != null) m.put("unit", unit);
            if (kind == ErrorKind.REJECTED) m.put("cycle", cycle);
            return m;
        }

        static Error read(Fields f) {
            String message = f.string("error");
            return new Error(ErrorKind.of(f.string("error-kind")), message == null ? "request failed" : message, f.string("unit"),
                    f.nullableStrings("cycle"));
        }
    }

    /** {@code {"ok":true}} and nothing else: reset-failed, kill, debug-fault. */
    record Empty() implements Reply {
        public Map<String, Object> toJson() { return Fields.ok(); }
    }

    /**
     * {@code ping}.
     *
     * @param version the daemon's software version
     * @param image   changes when the daemon re-executes itself; the PID does not
     */
    record Ping(String version, long pid, long image) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("version", version);
            m.put("pid", pid);
            m.put("image", image);
            return m;
        }

        static Ping read(Fields f) { return new Ping(f.string("version"), f.number("pid", 0), f.number("image", 0)); }
    }

    /** {@code units}: in the order asked for, or sorted by name. */
    record Units(List<UnitInfo> units) implements Reply {
        public Units { units = List.copyOf(units); }

        public Map<String, Object> toJson() {
            List<Object> list = new ArrayList<>(units.size());
            for (UnitInfo u : units) list.add(u.toJson());
            Map<String, Object> m = Fields.ok();
            m.put("units", list);
            return m;
        }

        static Units read(Fields f) {
            List<UnitInfo> list = new ArrayList<>();
            for (Fields u : f.objects("units")) list.add(UnitInfo.read(u));
            return new Units(list);
        }
    }

    /** {@code system}: {@code running}, {@code starting}, {@code degraded} or {@code stopping}; the failed units; the queued jobs. */
    record SystemState(String state, List<String> failed, long jobs) implements Reply {
        public SystemState { failed = List.copyOf(failed); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("state", state);
            m.put("failed", failed);
            m.put("jobs", jobs);
            return m;
        }

        static SystemState read(Fields f) { return new SystemState(f.string("state"), f.strings("failed"), f.number("jobs", 0)); }
    }

    /** The answer to a transaction: {@link Queued} with {@code no-block}, else {@link Done}. */
    sealed interface Submitted extends Reply permits Queued, Done {
        static Submitted read(Fields f) { return f.flag("queued") ? new Queued() : Done.read(f); }
    }

    /** {@code {"ok":true,"queued":true}}: the jobs are queued; nobody waited for them. */
    record Queued() implements Submitted {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("queued", true);
            return m;
        }
    }

    /**
     * How a transaction ended.
     *
     * @param ok              no job of a named unit failed and nothing replaced the request
     * @param canceled        {@code replaced by <request>}, or null
     * @param ignoredFailures failures of units pulled in only through {@code wants}, one line each
     * @param kind            null when ok; {@link ErrorKind#CANCELED} or {@link ErrorKind#FAILED}
     * @param error           null when ok; one line
     */
    record Done(boolean ok, List<Job> jobs, String canceled, List<String> ignoredFailures, ErrorKind kind, String error)
            implements Submitted {
        public Done {
            jobs = List.copyOf(jobs);
            ignoredFailures = List.copyOf(ignoredFailures);
        }

        /**
         * One job of the transaction.
         *
         * @param result its result word, null when it never ended
         * @param detail the words for the result, or null
         */
        public record Job(String unit, String job, String result, String detail, long ms) {}

        public Map<String, Object> toJson() {
            Map<String, Object> r = Fields.object();
            r.put("ok", ok);
            List<Object> js = new ArrayList<>();
            for (Job j : jobs) {
                Map<String, Object> jm = Fields.object();
                jm.put("unit", j.unit());
                jm.put("job", j.job());
                jm.put("result", j.result());
                jm.put("detail", j.detail());
                jm.put("ms", j.ms());
                js.add(jm);
            }
            r.put("jobs", js);
            r.put("canceled", canceled);
            r.put("ignored-failures", ignoredFailures);
            if (!ok) {
                r.put("error", error);
                r.put("error-kind", kind.word());
            }
            return r;
        }

        static Done read(Fields f) {
            List<Job> jobs = new ArrayList<>();
            for (Fields j : f.objects("jobs")) {
                jobs.add(new Job(j.string("unit"), j.string("job"), j.string("result"), j.string("detail"), j.number("ms", 0)));
            }
            boolean ok = f.flag("ok");
            return new Done(ok, jobs, f.string("canceled"), f.strings("ignored-failures"),
                    ok ? null : ErrorKind.of(f.string("error-kind")), f.string("error"));
        }
    }

    /**
     * {@code run}: how the transient unit's start ended.
     *
     * @param unit   the transient unit's name
     * @param status the command's exit status: 0, or the status it exited with (1 when it failed
     *               otherwise: a signal, a timeout, a failure to start)
     */
    record Ran(Done outcome, String unit, long status) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = outcome.toJson();
            m.put("unit", unit);
            m.put("status", status);
            return m;
        }

        static Ran read(Fields f) { return new Ran(Done.read(f), f.required("unit"), f.number("status", 0)); }
    }

    /** {@code poweroff}, {@code reboot}, {@code halt}: the action and whether the daemon is PID 1 (else it exits). */
    record Power(String action, boolean pid1) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("action", action);
            m.put("pid1", pid1);
            return m;
        }

        static Power read(Fields f) { return new Power(f.string("action"), f.flag("pid1")); }
    }

    /** {@code enable}, {@code disable}, {@code mask}, {@code unmask}: the units whose choice changed. */
    record Changed(List<String> changed) implements Reply {
        public Changed { changed = List.copyOf(changed); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("changed", changed);
            return m;
        }

        static Changed read(Fields f) { return new Changed(f.strings("changed")); }
    }

    /** {@code daemon-reload}: the problems of the new unit files, one formatted line each. */
    record Reloaded(List<String> problems) implements Reply {
        public Reloaded { problems = List.copyOf(problems); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("problems", problems);
            return m;
        }

        static Reloaded read(Fields f) { return new Reloaded(f.strings("problems")); }
    }

    /** {@code daemon-reexec}: sent before the daemon executes itself; {@code image} is the old image's. */
    record Reexecuting(long pid, long image) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("pid", pid);
            m.put("image", image);
            return m;
        }

        static Reexecuting read(Fields f) { return new Reexecuting(f.number("pid", 0), f.number("image", 0)); }
    }

    /** The first line of {@code events}: how many events asked for were older than the retained history. */
    record EventsStarted(long lost) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("stream", "events");
            m.put("lost", lost);
            return m;
        }

        static EventsStarted read(Fields f) { return new EventsStarted(f.number("lost", 0)); }
    }

    /**
     * The first line of {@code logs}. {@code unit}: the first unit streamed (null when none is);
     * {@code warning} (or null) when its log could not be written or lost lines. {@code units}: every
     * unit streamed; {@code warnings}: such a warning per unit; {@code denied}: the named units this
     * client may not read, each with the reason (their lines are not sent).
     */
    record LogsStarted(String unit, String warning, List<String> units, Map<String, String> warnings,
                       Map<String, String> denied) implements Reply {
        public LogsStarted {
            units = units == null ? List.of() : List.copyOf(units);
            warnings = warnings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
            denied = denied == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(denied));
        }

        /** One unit's start. */
        public LogsStarted(String unit, String warning) {
            this(unit, warning, unit == null ? List.of() : List.of(unit), warning == null ? Map.of() : Map.of(unit, warning), Map.of());
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("stream", "logs");
            m.put("unit", unit);
            if (warning != null) m.put("warning", warning);
            m.put("units", units);
            if (!warnings.isEmpty()) m.put("warnings", new LinkedHashMap<String, Object>(warnings));
            if (!denied.isEmpty()) m.put("denied", new LinkedHashMap<String, Object>(denied));
            return m;
        }

        static LogsStarted read(Fields f) {
            String unit = f.string("unit");
            String warning = f.string("warning");
            if (!f.has("units")) return new LogsStarted(unit, warning); // an older daemon
            return new LogsStarted(unit, warning, f.strings("units"), f.stringMap("warnings"), f.stringMap("denied"));
        }
    }

    /** A line of {@code events}: {@code {"event":{...}}}. */
    record EventLine(EventInfo event) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.object();
            m.put("event", event.toJson());
            return m;
        }
    }

    /**
     * A line of {@code logs}: {@code {"line":"...","unit":"..."}}, {@code line} the log record as
     * written ({@code <time> <stream> <text>}), {@code unit} its unit (null from an older daemon).
     */
    record LogLine(String line, String unit) implements Reply {
        /** A line without its unit. */
        public LogLine(String line) { this(line, null); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.object();
            m.put("line", line);
            if (unit != null) m.put("unit", unit);
            return m;
        }
    }

    /** The end of a stream that does not follow: {@code {"end":true}}. */
    record End() implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.object();
            m.put("end", true);
            return m;
        }
    }

    /** A followed stream with nothing to say: {@code {"keepalive":true}}, each idle second. */
    record Keepalive() implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.object();
            m.put("keepalive", true);
            return m;
        }
    }

    /**
     * {@code plan}: the accepted transaction (a refused one is an {@link Error} of kind {@link ErrorKind#REJECTED}).
     *
     * @param units   the request's units, canonical
     * @param jobs    ordered by wave, then unit
     * @param skipped units pulled in softly that cannot start, one line each
     */
    record Planned(List<String> units, List<Job> jobs, List<String> skipped) implements Reply {
        public Planned {
            units = List.copyOf(units);
            jobs = List.copyOf(jobs);
            skipped = List.copyOf(skipped);
        }

        /**
         * One job: what, in which wave, why (the chain of edges back to the request), after which units, and
         * the jobs it waits for ({@code "stop a.service"}: a restart's start half waits for its own stop half).
         */
        public record Job(String unit, String job, long wave, String reason, List<String> after, List<String> waitsFor) {
            public Job {
                after = List.copyOf(after);
                waitsFor = List.copyOf(waitsFor);
            }
        }

        public Map<String, Object> toJson() {
            List<Object> js = new ArrayList<>();
            for (Job j : jobs) {
                Map<String, Object> jm = Fields.object();
                jm.put("unit", j.unit());
                jm.put("job", j.job());
                jm.put("wave", j.wave());
                jm.put("reason", j.reason());
                jm.put("after", j.after());
                jm.put("waits-for", j.waitsFor());
                js.add(jm);
            }
            Map<String, Object> m = Fields.ok();
            m.put("units", units);
            m.put("jobs", js);
            m.put("skipped", skipped);
            return m;
        }

        static Planned read(Fields f) {
            List<Job> jobs = new ArrayList<>();
            for (Fields j : f.objects("jobs")) {
                jobs.add(new Job(j.string("unit"), j.string("job"), j.number("wave", 0), j.string("reason"), j.strings("after"),
                        j.strings("waits-for")));
            }
            return new Planned(f.strings("units"), jobs, f.strings("skipped"));
        }
    }

    /**
     * {@code why}: the chain from the unit's state back to its origin, one link per unit; a unit
     * that failed because a requirement failed is followed by that requirement.
     */
    record Why(String unit, String active, List<Link> chain) implements Reply {
        public Why { chain = List.copyOf(chain); }

        /**
         * One unit of the chain as the daemon knows it.
         *
         * @param result the result word, or null when it never ran
         * @param detail the words for the result (for {@code dependency}: which requirement failed), or null
         * @param cause  the request or dependency that last changed its state, or null
         */
        public record Link(String unit, String active, String result, String detail, String cause) {}

        public Map<String, Object> toJson() {
            List<Object> links = new ArrayList<>();
            for (Link l : chain) {
                Map<String, Object> lm = Fields.object();
                lm.put("unit", l.unit());
                lm.put("active", l.active());
                lm.put("result", l.result());
                lm.put("detail", l.detail());
                lm.put("cause", l.cause());
                links.add(lm);
            }
            Map<String, Object> m = Fields.ok();
            m.put("unit", unit);
            m.put("active", active);
            m.put("chain", links);
            return m;
        }

        static Why read(Fields f) {
            List<Link> chain = new ArrayList<>();
            for (Fields l : f.objects("chain")) {
                chain.add(new Link(l.string("unit"), l.string("active"), l.string("result"), l.string("detail"), l.string("cause")));
            }
            return new Why(f.string("unit"), f.string("active"), chain);
        }
    }

    /** {@code state}: every unit's active word, the unit directories, the masked and the disabled units (sorted). */
    record State(Map<String, String> states, List<String> dirs, List<String> masked, List<String> disabled) implements Reply {
        public State {
            states = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(states));
            dirs = List.copyOf(dirs);
            masked = List.copyOf(masked);
            disabled = List.copyOf(disabled);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("states", states);
            m.put("dirs", dirs);
            m.put("masked", masked);
            m.put("disabled", disabled);
            return m;
        }

        static State read(Fields f) {
            return new State(f.stringMap("states"), f.strings("dirs"), f.strings("masked"), f.strings("disabled"));
        }
    }

    /**
     * {@code sockets}: every listening socket by address: what it is bound to (the chosen port for
     * port 0), its socket unit, the unit it activates, and how many times a connection or datagram
     * started that unit ({@code accepted}: with sockets passed to the service, the service accepts).
     */
    record Sockets(List<Socket> sockets) implements Reply {
        public Sockets { sockets = List.copyOf(sockets); }

        /** One socket. */
        public record Socket(String listen, String unit, String activates, long accepted) {}

        public Map<String, Object> toJson() {
            List<Object> ss = new ArrayList<>();
            for (Socket s : sockets) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("listen", s.listen());
                m.put("unit", s.unit());
                m.put("activates", s.activates());
                m.put("accepted", s.accepted());
                ss.add(m);
            }
            Map<String, Object> m = Fields.ok();
            m.put("sockets", ss);
            return m;
        }

        static Sockets read(Fields f) {
            List<Socket> ss = new ArrayList<>();
            for (Fields s : f.objects("sockets")) {
                ss.add(new Socket(s.string("listen"), s.string("unit"), s.string("activates"), s.number("accepted", 0)));
            }
            return new Sockets(ss);
        }
    }

    /**
     * {@code timers}: every loaded timer by name, with the unit it activates, its next elapse (ISO
     * instant, null when none is due) and its last trigger (null when it never elapsed).
     */
    record Timers(List<Timer> timers) implements Reply {
        public Timers { timers = List.copyOf(timers); }

        /** One timer. */
        public record Timer(String unit, String activates, String next, String last) {}

        public Map<String, Object> toJson() {
            List<Object> ts = new ArrayList<>();
            for (Timer t : timers) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("unit", t.unit());
                m.put("activates", t.activates());
                m.put("next", t.next());
                m.put("last", t.last());
                ts.add(m);
            }
            Map<String, Object> m = Fields.ok();
            m.put("timers", ts);
            return m;
        }

        static Timers read(Fields f) {
            List<Timer> ts = new ArrayList<>();
            for (Fields t : f.objects("timers")) ts.add(new Timer(t.string("unit"), t.string("activates"), t.string("next"), t.string("last")));
            return new Timers(ts);
        }
    }

    /** {@code jobs}: every job not finished, by id: its unit, type ({@code start}, {@code stop}, ...) and state ({@code waiting}, {@code running}). */
    record Jobs(List<Job> jobs) implements Reply {
        public Jobs { jobs = List.copyOf(jobs); }

        /** One job. */
        public record Job(long id, String unit, String job, String state) {}

        public Map<String, Object> toJson() {
            List<Object> js = new ArrayList<>();
            for (Job j : jobs) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("id", j.id());
                m.put("unit", j.unit());
                m.put("job", j.job());
                m.put("state", j.state());
                js.add(m);
            }
            Map<String, Object> m = Fields.ok();
            m.put("jobs", js);
            return m;
        }

        static Jobs read(Fields f) {
            List<Job> js = new ArrayList<>();
            for (Fields j : f.objects("jobs")) js.add(new Job(j.number("id", 0), j.string("unit"), j.string("job"), j.string("state")));
            return new Jobs(js);
        }
    }

    /** {@code unit-files}: every unit file found, by unit name: its path and state ({@code enabled}, {@code disabled}, {@code static}, {@code masked}). */
    record UnitFiles(List<UnitFile> files) implements Reply {
        public UnitFiles { files = List.copyOf(files); }

        /** One unit file. */
        public record UnitFile(String unit, String path, String state) {}

        public Map<String, Object> toJson() {
            List<Object> fs = new ArrayList<>();
            for (UnitFile u : files) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("unit", u.unit());
                m.put("path", u.path());
                m.put("state", u.state());
                fs.add(m);
            }
            Map<String, Object> m = Fields.ok();
            m.put("files", fs);
            return m;
        }

        static UnitFiles read(Fields f) {
            List<UnitFile> fs = new ArrayList<>();
            for (Fields u : f.objects("files")) fs.add(new UnitFile(u.string("unit"), u.string("path"), u.string("state")));
            return new UnitFiles(fs);
        }
    }

    /** {@code get-default}, {@code set-default}: the boot target, and whether it was chosen with set-default ({@code chosen}). */
    record Default(String target, boolean chosen) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("target", target);
            m.put("chosen", chosen);
            return m;
        }

        static Default read(Fields f) { return new Default(f.string("target"), f.flag("chosen")); }
    }

    /** {@code analyze}: the kept transitions, oldest first. */
    record Analyze(List<Transition> transitions) implements Reply {
        public Analyze { transitions = List.copyOf(transitions); }

        public Map<String, Object> toJson() {
            List<Object> ts = new ArrayList<>();
            for (Transition t : transitions) ts.add(t.toJson());
            Map<String, Object> m = Fields.ok();
            m.put("transitions", ts);
            return m;
        }

        static Analyze read(Fields f) {
            List<Transition> ts = new ArrayList<>();
            for (Fields t : f.objects("transitions")) ts.add(Transition.read(t));
            return new Analyze(ts);
        }
    }

    /** {@code graph}: units sorted by name, edges sorted by (from, to, kind); the shape of {@code graph --format json}. */
    record Graph(List<Node> nodes, List<Edge> edges) implements Reply {
        public Graph {
            nodes = List.copyOf(nodes);
            edges = List.copyOf(edges);
        }

        /** A unit: its name, type ({@code service}, {@code target}, ...) and active word. */
        public record Node(String unit, String type, String active) {}

        /** An edge and its kind ({@code requires}, {@code wants}, ..., {@code after}). */
        public record Edge(String from, String to, String kind) {}

        public Map<String, Object> toJson() {
            List<Object> ns = new ArrayList<>();
            for (Node n : nodes) {
                Map<String, Object> nm = Fields.object();
                nm.put("unit", n.unit());
                nm.put("type", n.type());
                nm.put("active", n.active());
                ns.add(nm);
            }
            List<Object> es = new ArrayList<>();
            for (Edge e : edges) {
                Map<String, Object> em = Fields.object();
                em.put("from", e.from());
                em.put("to", e.to());
                em.put("kind", e.kind());
                es.add(em);
            }
            Map<String, Object> m = Fields.ok();
            m.put("nodes", ns);
            m.put("edges", es);
            return m;
        }

        static Graph read(Fields f) {
            List<Node> nodes = new ArrayList<>();
            for (Fields n : f.objects("nodes")) nodes.add(new Node(n.string("unit"), n.string("type"), n.string("active")));
            List<Edge> edges = new ArrayList<>();
            for (Fields e : f.objects("edges")) edges.add(new Edge(e.string("from"), e.string("to"), e.string("kind")));
            return new Graph(nodes, edges);
        }
    }

    /**
     * {@code dependencies}: the tree as its lines in output order (depth first, children sorted),
     * each with its number of children, so a tree of any depth is a flat list on the wire.
     */
    record Dependencies(List<Line> lines) implements Reply {
        public Dependencies { lines = List.copyOf(lines); }

        /**
         * One unit of the tree.
         *
         * @param repeated its subtree is shown higher up and left out here
         * @param children how many of the lines after it (with their own subtrees) are its children
         */
        public record Line(String unit, String active, boolean repeated, int children) {}

        public Map<String, Object> toJson() {
            List<Object> ls = new ArrayList<>();
            for (Line l : lines) {
                Map<String, Object> lm = Fields.object();
                lm.put("unit", l.unit());
                lm.put("active", l.active());
                lm.put("repeated", l.repeated());
                lm.put("children", l.children());
                ls.add(lm);
            }
            Map<String, Object> m = Fields.ok();
            m.put("lines", ls);
            return m;
        }

        static Dependencies read(Fields f) {
            List<Line> ls = new ArrayList<>();
            for (Fields l : f.objects("lines")) {
                ls.add(new Line(l.string("unit"), l.string("active"), l.flag("repeated"), (int) l.number("children", 0)));
            }
            return new Dependencies(ls);
        }
    }

    /** {@code simulate}: what the simulated transaction did ({@code ok} here means the simulation ran; see the report's own). */
    record Simulated(SimulationReport report) implements Reply {
        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("report", report.toJson());
            return m;
        }

        static Simulated read(Fields f) { return new Simulated(SimulationReport.read(f.fields("report"))); }
    }

    /**
     * {@code render}: whether the daemon made the output ({@code taken}); when it did, the command's exit code and
     * what it wrote, in order, each piece to {@code out} or {@code err}.
     */
    record Rendered(boolean taken, int exit, List<Piece> output) implements Reply {
        public Rendered { output = List.copyOf(output); }

        /** Text the command wrote to stdout ({@code err} false) or stderr. */
        public record Piece(boolean err, String text) {}

        /** The answer for a command line the daemon does not render: the client runs it itself. */
        public static Rendered notTaken() { return new Rendered(false, 0, List.of()); }

        public Map<String, Object> toJson() {
            Map<String, Object> m = Fields.ok();
            m.put("taken", taken);
            if (!taken) return m;
            m.put("exit", (long) exit);
            List<Object> ps = new ArrayList<>();
            for (Piece p : output) {
                Map<String, Object> pm = Fields.object();
                pm.put("stream", p.err() ? "err" : "out");
                pm.put("text", p.text());
                ps.add(pm);
            }
            m.put("output", ps);
            return m;
        }

        static Rendered read(Fields f) {
            if (!f.flag("taken")) return notTaken();
            List<Piece> ps = new ArrayList<>();
            for (Fields p : f.objects("output")) ps.add(new Piece("err".equals(p.string("stream")), p.string("text")));
            return new Rendered(true, (int) f.number("exit", 1), ps);
        }
    }
}
