package dev.svcmgr.core.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of the control protocol: one record per verb (or per family of verbs that take the
 * same fields), written by the client ({@link #toJson}) and read by the daemon ({@link
 * Codec#request}), each in one place. {@code R} is the reply the request gets when it succeeds;
 * any request may instead get a {@link Reply.Error}.
 *
 * <p>Reading checks what can be checked without the daemon's state: the types of the fields,
 * that a list of units is not empty where one is needed and holds at most {@link #MAX_NAMES}
 * names, the words of {@code mode} and {@code plan-verb}. Whether a name is a valid unit name and
 * names a unit is the daemon's to say.
 */
public sealed interface Request<R extends Reply> {
    /** Most unit names one request may carry. */
    int MAX_NAMES = 4096;

    Verb verb();

    /** The request as a JSON object: {@code v}, {@code verb}, then its fields. */
    Map<String, Object> toJson();

    /** The reply to this request when it succeeded ({@code ok} true, or a transaction's outcome). */
    R reply(Map<String, Object> reply);

    /**
     * True when the answer comes only once jobs have run (a transaction without {@code no-block},
     * {@code run}, {@code system} with {@code wait}): a client gives it no default time limit.
     */
    default boolean waitsForJobs() { return false; }

    /** {@code {"v":1,"verb":...}}, to add the fields to. */
    private static Map<String, Object> head(Verb v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", (long) Version.CURRENT);
        m.put("verb", v.word());
        return m;
    }

    /** {@code ping}: is a daemon there, and which image of it. */
    record Ping() implements Request<Reply.Ping> {
        public Verb verb() { return Verb.PING; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Ping reply(Map<String, Object> r) { return Reply.Ping.read(new Fields(r)); }
    }

    /** {@code units}: the named units in detail, or (without names) every unit that is not inactive, or with {@code all} every unit. */
    record Units(List<String> units, boolean all) implements Request<Reply.Units> {
        public Units { units = List.copyOf(units); }

        public Verb verb() { return Verb.UNITS; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            if (!units.isEmpty()) m.put("units", units);
            m.put("all", all);
            return m;
        }

        static Units read(Fields f) { return new Units(f.names(false), f.flag("all")); }

        public Reply.Units reply(Map<String, Object> r) { return Reply.Units.read(new Fields(r)); }
    }

    /** {@code system}: the system state; with {@code wait}, once the boot transaction has ended. */
    record SystemState(boolean waitForBoot) implements Request<Reply.SystemState> {
        public Verb verb() { return Verb.SYSTEM; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("wait", waitForBoot);
            return m;
        }

        static SystemState read(Fields f) { return new SystemState(f.flag("wait")); }

        public Reply.SystemState reply(Map<String, Object> r) { return Reply.SystemState.read(new Fields(r)); }

        @Override
        public boolean waitsForJobs() { return waitForBoot; }
    }

    /**
     * {@code start}, {@code stop}, {@code restart}, {@code try-restart}, {@code reload}, {@code isolate}:
     * one transaction over the named units (isolate: exactly one target).
     *
     * @param mode    {@code replace} (also when null), {@code fail} or {@code isolate}
     * @param noBlock answer once the jobs are queued
     */
    record Transaction(Verb verb, List<String> units, String mode, boolean noBlock) implements Request<Reply.Submitted> {
        public Transaction {
            if (!verb.transaction()) throw new IllegalArgumentException(verb + " is not a transaction");
            units = List.copyOf(units);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb);
            m.put("units", units);
            if (mode != null) m.put("mode", mode);
            m.put("no-block", noBlock);
            return m;
        }

        static Transaction read(Verb v, Fields f) {
            List<String> units = f.names(true);
            String mode = modeOf(f);
            boolean noBlock = f.flag("no-block");
            if (v == Verb.ISOLATE && units.size() != 1) throw new BadRequest("isolate takes exactly one target");
            return new Transaction(v, units, mode, noBlock);
        }

        public Reply.Submitted reply(Map<String, Object> r) { return Reply.Submitted.read(new Fields(r)); }

        @Override
        public boolean waitsForJobs() { return !noBlock; }
    }

    /** {@code mode}: null (replace), or one of the job modes. */
    private static String modeOf(Fields f) {
        String mode = f.string("mode");
        if (mode == null || mode.equals("replace") || mode.equals("fail") || mode.equals("isolate")) return mode;
        throw new BadRequest("\"mode\" must be replace, fail or isolate, not " + mode);
    }

    /** {@code poweroff}, {@code reboot}, {@code halt}: stop everything, then the final action or the daemon's exit. */
    record Power(Verb verb) implements Request<Reply.Power> {
        public Power {
            if (verb != Verb.POWEROFF && verb != Verb.REBOOT && verb != Verb.HALT) throw new IllegalArgumentException(verb.word());
        }

        public Map<String, Object> toJson() { return head(verb); }

        public Reply.Power reply(Map<String, Object> r) { return Reply.Power.read(new Fields(r)); }
    }

    /** {@code enable}, {@code disable}, {@code mask}, {@code unmask}: persistent choices. */
    record Choice(Verb verb, List<String> units) implements Request<Reply.Changed> {
        public Choice {
            if (verb != Verb.ENABLE && verb != Verb.DISABLE && verb != Verb.MASK && verb != Verb.UNMASK) {
                throw new IllegalArgumentException(verb.word());
            }
            units = List.copyOf(units);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb);
            m.put("units", units);
            return m;
        }

        static Choice read(Verb v, Fields f) { return new Choice(v, f.names(true)); }

        public Reply.Changed reply(Map<String, Object> r) { return Reply.Changed.read(new Fields(r)); }
    }

    /** {@code daemon-reload}: read the unit files again. */
    record DaemonReload() implements Request<Reply.Reloaded> {
        public Verb verb() { return Verb.DAEMON_RELOAD; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Reloaded reply(Map<String, Object> r) { return Reply.Reloaded.read(new Fields(r)); }
    }

    /** {@code daemon-reexec}: the daemon executes itself again, keeping every service. */
    record DaemonReexec() implements Request<Reply.Reexecuting> {
        public Verb verb() { return Verb.DAEMON_REEXEC; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Reexecuting reply(Map<String, Object> r) { return Reply.Reexecuting.read(new Fields(r)); }
    }

    /** {@code debug-fault}: only for the fault tests; {@code what} is {@code loop-error} or {@code thread-error}. */
    record DebugFault(String what) implements Request<Reply.Empty> {
        public Verb verb() { return Verb.DEBUG_FAULT; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("what", what);
            return m;
        }

        /** Any value is read (the daemon answers that fault injection is off before it looks at it). */
        static DebugFault read(Fields f) { return new DebugFault(f.raw("what") instanceof String s ? s : null); }

        public Reply.Empty reply(Map<String, Object> r) { return new Reply.Empty(); }
    }

    /** {@code reset-failed}: the named units, or every failed one. */
    record ResetFailed(List<String> units) implements Request<Reply.Empty> {
        public ResetFailed { units = List.copyOf(units); }

        public Verb verb() { return Verb.RESET_FAILED; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", units);
            return m;
        }

        static ResetFailed read(Fields f) { return new ResetFailed(f.names(false)); }

        public Reply.Empty reply(Map<String, Object> r) { return new Reply.Empty(); }
    }

    /** {@code kill}: a signal ({@code SIGUSR2}, {@code USR2} or {@code 12}; null: SIGTERM) to every process of the units. */
    record Kill(List<String> units, String signal) implements Request<Reply.Empty> {
        public Kill { units = List.copyOf(units); }

        public Verb verb() { return Verb.KILL; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", units);
            if (signal != null) m.put("signal", signal);
            return m;
        }

        static Kill read(Fields f) { return new Kill(f.names(true), f.string("signal")); }

        public Reply.Empty reply(Map<String, Object> r) { return new Reply.Empty(); }
    }

    /**
     * {@code run}: a transient service.
     *
     * @param unit       its name, or null for {@code run-PID-N.service}
     * @param argv       the command line
     * @param oneshot    type oneshot: the answer comes when the command has exited
     * @param properties unit-file keys and their values, one line each
     */
    record Run(String unit, List<String> argv, boolean oneshot, Map<String, String> properties) implements Request<Reply.Ran> {
        public Run {
            argv = List.copyOf(argv);
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        public Verb verb() { return Verb.RUN; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            if (unit != null) m.put("unit", unit);
            m.put("argv", argv);
            m.put("oneshot", oneshot);
            m.put("properties", properties);
            return m;
        }

        static Run read(Fields f) {
            List<String> argv = f.strings("argv");
            if (argv.isEmpty()) throw new BadRequest("\"argv\" must name the command to run");
            boolean oneshot = f.flag("oneshot");
            Map<String, Object> props = f.object("properties");
            String unit = f.string("unit");
            Map<String, String> properties = new LinkedHashMap<>();
            if (props != null) {
                for (Map.Entry<String, Object> e : props.entrySet()) {
                    if (!(e.getValue() instanceof String v)) throw new BadRequest("property " + e.getKey() + " must be a string");
                    if (v.contains("\n") || e.getKey().contains(":")) {
                        throw new BadRequest("property " + e.getKey() + " must be KEY=VALUE on one line");
                    }
                    properties.put(e.getKey(), v);
                }
            }
            return new Run(unit, argv, oneshot, properties);
        }

        public Reply.Ran reply(Map<String, Object> r) { return Reply.Ran.read(new Fields(r)); }

        @Override
        public boolean waitsForJobs() { return true; }
    }

    /**
     * {@code events}: a stream of state changes.
     *
     * @param since  replay the retained events after this sequence number first; null: none
     * @param follow go on with new events (false: end after the replay)
     */
    record Events(Long since, boolean follow) implements Request<Reply.EventsStarted> {
        public Verb verb() { return Verb.EVENTS; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            if (since != null) m.put("since", since);
            m.put("follow", follow);
            return m;
        }

        static Events read(Fields f) {
            Long since = f.number("since");
            return new Events(since == null || since < 0 ? null : since, f.flag("follow", true));
        }

        public Reply.EventsStarted reply(Map<String, Object> r) { return Reply.EventsStarted.read(new Fields(r)); }
    }

    /**
     * {@code logs}: the last {@code lines} records of the named units' logs (none named: every unit's,
     * ended transient units' included), merged in time order, and with {@code follow} every new one;
     * {@code since} and {@code until} (or null) keep the records written in that span, {@code lines}
     * -1 all of them.
     */
    record Logs(List<String> units, long lines, boolean follow, java.time.Instant since, java.time.Instant until)
            implements Request<Reply.LogsStarted> {
        public Logs { units = List.copyOf(units); }

        /** One unit's last {@code lines} records (the request of older clients). */
        public Logs(String unit, long lines, boolean follow) { this(List.of(unit), lines, follow, null, null); }

        /** The first unit named, or null when none is (every unit). */
        public String unit() { return units.isEmpty() ? null : units.get(0); }

        public Verb verb() { return Verb.LOGS; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", units);
            m.put("lines", lines);
            m.put("follow", follow);
            if (since != null) m.put("since", since.toString());
            if (until != null) m.put("until", until.toString());
            return m;
        }

        static Logs read(Fields f) {
            return new Logs(f.names(false), f.number("lines", 10), f.flag("follow"), instant(f, "since"), instant(f, "until"));
        }

        private static java.time.Instant instant(Fields f, String key) {
            String s = f.string(key);
            if (s == null) return null;
            try {
                return java.time.Instant.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new BadRequest("\"" + key + "\" must be an ISO instant such as 2026-12-02T10:00:00Z");
            }
        }

        public Reply.LogsStarted reply(Map<String, Object> r) { return Reply.LogsStarted.read(new Fields(r)); }
    }

    /**
     * {@code plan}: the transaction a request would run, against the daemon's loaded units and
     * current states, without running it.
     *
     * @param planVerb     the transaction's verb
     * @param mode         as {@link Transaction#mode}
     * @param assumeActive units to count as active whatever their state
     */
    record Plan(Verb planVerb, List<String> units, String mode, List<String> assumeActive) implements Request<Reply.Planned> {
        public Plan {
            if (!planVerb.transaction()) throw new IllegalArgumentException(planVerb + " is not a transaction");
            units = List.copyOf(units);
            assumeActive = List.copyOf(assumeActive);
        }

        public Verb verb() { return Verb.PLAN; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("plan-verb", planVerb.word());
            m.put("units", units);
            if (mode != null) m.put("mode", mode);
            if (!assumeActive.isEmpty()) m.put("assume-active", assumeActive);
            return m;
        }

        static Plan read(Fields f) {
            String word = f.string("plan-verb");
            if (word == null) throw new BadRequest("\"plan-verb\" must be start, stop, restart or isolate");
            Verb v = Verb.of(word);
            if (v == null || !v.transaction()) throw new BadRequest("unknown transaction verb " + word);
            List<String> units = f.names(true);
            String mode = modeOf(f);
            List<String> assume = f.strings("assume-active");
            if (assume.size() > MAX_NAMES) throw new BadRequest("too many units in \"assume-active\": " + assume.size()
                    + " (at most " + MAX_NAMES + ")");
            return new Plan(v, units, mode, assume);
        }

        public Reply.Planned reply(Map<String, Object> r) { return Reply.Planned.read(new Fields(r)); }
    }

    /** {@code why}: the chain of causes of a unit's state. */
    record Why(String unit) implements Request<Reply.Why> {
        public Verb verb() { return Verb.WHY; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", List.of(unit));
            return m;
        }

        static Why read(Fields f) { return new Why(f.names(true).get(0)); }

        public Reply.Why reply(Map<String, Object> r) { return Reply.Why.read(new Fields(r)); }
    }

    /** {@code state}: every unit's active state, the unit directories, the masked and disabled units. */
    record State() implements Request<Reply.State> {
        public Verb verb() { return Verb.STATE; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.State reply(Map<String, Object> r) { return Reply.State.read(new Fields(r)); }
    }

    /** {@code adopt}: a running process the manager did not start becomes the main process of {@code unit}. */
    record Adopt(long pid, String unit) implements Request<Reply.Empty> {
        public Verb verb() { return Verb.ADOPT; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("pid", pid);
            m.put("unit", unit);
            return m;
        }

        static Adopt read(Fields f) {
            Long pid = f.number("pid");
            String unit = f.string("unit");
            if (pid == null || pid < 2 || pid > Integer.MAX_VALUE) throw new BadRequest("\"pid\" must be a process ID above 1");
            if (unit == null || unit.isEmpty()) throw new BadRequest("\"unit\" must name the service to adopt it as");
            return new Adopt(pid, unit);
        }

        public Reply.Empty reply(Map<String, Object> r) { return new Reply.Empty(); }
    }

    /** {@code sockets}: every listening socket of the socket units. */
    record Sockets() implements Request<Reply.Sockets> {
        public Verb verb() { return Verb.SOCKETS; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Sockets reply(Map<String, Object> r) { return Reply.Sockets.read(new Fields(r)); }
    }

    /** {@code jobs}: the jobs queued or running now. */
    record Jobs() implements Request<Reply.Jobs> {
        public Verb verb() { return Verb.JOBS; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Jobs reply(Map<String, Object> r) { return Reply.Jobs.read(new Fields(r)); }
    }

    /** {@code unit-files}: every unit found in the unit directories, with its file and enablement state. */
    record UnitFiles() implements Request<Reply.UnitFiles> {
        public Verb verb() { return Verb.UNIT_FILES; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.UnitFiles reply(Map<String, Object> r) { return Reply.UnitFiles.read(new Fields(r)); }
    }

    /** {@code get-default}: the target the daemon boots to when it is given none. */
    record GetDefault() implements Request<Reply.Default> {
        public Verb verb() { return Verb.GET_DEFAULT; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Default reply(Map<String, Object> r) { return Reply.Default.read(new Fields(r)); }
    }

    /** {@code set-default}: make {@code unit} the boot target (a choice kept across daemon restarts). */
    record SetDefault(String unit) implements Request<Reply.Default> {
        public Verb verb() { return Verb.SET_DEFAULT; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("unit", unit);
            return m;
        }

        static SetDefault read(Fields f) {
            String unit = f.string("unit");
            if (unit == null || unit.isEmpty()) throw new BadRequest("\"unit\" must name the target");
            return new SetDefault(unit);
        }

        public Reply.Default reply(Map<String, Object> r) { return Reply.Default.read(new Fields(r)); }
    }

    /** {@code timers}: every loaded timer with its next and last elapse. */
    record Timers() implements Request<Reply.Timers> {
        public Verb verb() { return Verb.TIMERS; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Timers reply(Map<String, Object> r) { return Reply.Timers.read(new Fields(r)); }
    }

    /** {@code analyze}: the last transitions with every job's timing. */
    record Analyze() implements Request<Reply.Analyze> {
        public Verb verb() { return Verb.ANALYZE; }

        public Map<String, Object> toJson() { return head(verb()); }

        public Reply.Analyze reply(Map<String, Object> r) { return Reply.Analyze.read(new Fields(r)); }
    }

    /** {@code graph}: the dependency graph of the loaded units, or of {@code unit} (null: all) and what it reaches. */
    record Graph(String unit) implements Request<Reply.Graph> {
        public Verb verb() { return Verb.GRAPH; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", unit == null ? List.of() : List.of(unit));
            return m;
        }

        static Graph read(Fields f) {
            List<String> units = f.names(false);
            return new Graph(units.isEmpty() ? null : units.get(0));
        }

        public Reply.Graph reply(Map<String, Object> r) { return Reply.Graph.read(new Fields(r)); }
    }

    /** {@code dependencies}: the dependency tree of a loaded unit ({@code reverse}: what depends on it). */
    record Dependencies(String unit, boolean reverse, boolean all) implements Request<Reply.Dependencies> {
        public Verb verb() { return Verb.DEPENDENCIES; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("units", List.of(unit));
            m.put("reverse", reverse);
            m.put("all", all);
            return m;
        }

        static Dependencies read(Fields f) {
            return new Dependencies(f.names(true).get(0), f.flag("reverse"), f.flag("all"));
        }

        public Reply.Dependencies reply(Map<String, Object> r) { return Reply.Dependencies.read(new Fields(r)); }
    }

    /**
     * {@code simulate}: a transaction run by the real engine on a fake OS and a simulated clock, from the
     * daemon's loaded units and current states; nothing is started.
     *
     * @param simVerb start, stop, restart or isolate
     * @param fail    units whose main process fails, with the result word ({@code exit-code}, ...)
     * @param slowMs  units that take this many milliseconds to start
     * @param hang    units whose processes never become ready nor end on their own
     * @param assumeActive units to have up at the outset besides those active in the daemon
     */
    record Simulate(Verb simVerb, List<String> units, Map<String, String> fail, Map<String, Long> slowMs, List<String> hang,
                    List<String> assumeActive) implements Request<Reply.Simulated> {
        public Simulate {
            if (simVerb != Verb.START && simVerb != Verb.STOP && simVerb != Verb.RESTART && simVerb != Verb.ISOLATE) {
                throw new IllegalArgumentException(simVerb + " cannot be simulated");
            }
            units = List.copyOf(units);
            fail = Map.copyOf(fail);
            slowMs = Map.copyOf(slowMs);
            hang = List.copyOf(hang);
            assumeActive = List.copyOf(assumeActive);
        }

        public Verb verb() { return Verb.SIMULATE; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("sim-verb", simVerb.word());
            m.put("units", units);
            m.put("fail", new java.util.TreeMap<>(fail));
            m.put("slow-ms", new java.util.TreeMap<>(slowMs));
            m.put("hang", hang);
            if (!assumeActive.isEmpty()) m.put("assume-active", assumeActive);
            return m;
        }

        static Simulate read(Fields f) {
            String word = f.string("sim-verb");
            Verb v = Verb.of(word);
            if (v != Verb.START && v != Verb.STOP && v != Verb.RESTART && v != Verb.ISOLATE) {
                throw new BadRequest("\"sim-verb\" must be start, stop, restart or isolate");
            }
            Map<String, Long> slow = new LinkedHashMap<>();
            Map<String, Object> raw = f.object("slow-ms");
            if (raw != null) {
                for (Map.Entry<String, Object> e : raw.entrySet()) {
                    if (!(e.getValue() instanceof Long n) || n < 0) throw new BadRequest("\"slow-ms\" must map unit names to milliseconds");
                    slow.put(e.getKey(), n);
                }
            }
            List<String> hang = f.strings("hang");
            Map<String, String> fail = f.stringMap("fail");
            List<String> assume = f.strings("assume-active");
            if (fail.size() + slow.size() + hang.size() + assume.size() > MAX_NAMES) {
                throw new BadRequest("too many units in the scenario (at most " + MAX_NAMES + ")");
            }
            return new Simulate(v, f.names(true), fail, slow, hang, assume);
        }

        public Reply.Simulated reply(Map<String, Object> r) { return Reply.Simulated.read(new Fields(r)); }
    }

    /**
     * {@code render}: the output of a read command ({@code status}, {@code list-units}, {@code why}, {@code show},
     * {@code list-dependencies} in their plain shapes), made by the daemon with the client's own code, for the
     * native client (docs/protocol.md "render"). The daemon answers {@code taken} false for anything it does not
     * render that way, and the client then runs the command itself.
     *
     * @param argv   the command line after {@code svcmgr}, the verb first
     * @param colour whether the client's output would be coloured (a terminal, no NO_COLOR)
     * @param tz     the client's {@code TZ}, or null when it has none (the daemon renders only with its own)
     * @param build  the client's build (the daemon renders only for its own: the output is the daemon's code's)
     */
    record Render(List<String> argv, boolean colour, String tz, String build) implements Request<Reply.Rendered> {
        /** Most words of a rendered command line. */
        public static final int MAX_ARGS = MAX_NAMES + 16;

        public Render { argv = List.copyOf(argv); }

        public Verb verb() { return Verb.RENDER; }

        public Map<String, Object> toJson() {
            Map<String, Object> m = head(verb());
            m.put("argv", argv);
            m.put("colour", colour);
            if (tz != null) m.put("tz", tz);
            if (build != null) m.put("build", build);
            return m;
        }

        static Render read(Fields f) {
            List<String> argv = f.strings("argv");
            if (argv.isEmpty()) throw new BadRequest("\"argv\" must hold at least the verb");
            if (argv.size() > MAX_ARGS) throw new BadRequest("too many words in \"argv\": " + argv.size() + " (at most " + MAX_ARGS + ")");
            return new Render(argv, f.flag("colour"), f.string("tz"), f.string("build"));
        }

        public Reply.Rendered reply(Map<String, Object> r) { return Reply.Rendered.read(new Fields(r)); }
    }
}
