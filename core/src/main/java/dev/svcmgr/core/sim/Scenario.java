package dev.svcmgr.core.sim;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.os.SpawnRequest;
import dev.svcmgr.units.ServiceType;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A {@link FakeProcessRuntime.Script} written unit by unit: what each unit's main process does (per
 * start, if wanted) and what its commands do; anything not said gets the runtime's default (a main
 * process runs until signalled, a command exits 0, a probe follows its unit's readiness).
 *
 * <pre>
 * Scenario s = new Scenario()
 *     .slow("db.service", ServiceType.NOTIFY, Duration.ofSeconds(40))   // ready after 40 s
 *     .hangs("cache.service", ServiceType.SIMPLE)                       // never ready
 *     .fails("web.service", Result.EXIT_CODE)                           // exited with status 1, at once
 *     .main("job.service", n -&gt; n &lt; 3 ? Behaviour.exits(1) : Behaviour.runs().ready()); // fails twice, then runs
 * FakeProcessRuntime os = new FakeProcessRuntime(loop, s);
 * </pre>
 */
public final class Scenario implements FakeProcessRuntime.Script {
    private final Map<String, Function<FakeProcessRuntime.Spawn, Behaviour>> mains = new HashMap<>();
    private final Map<String, Behaviour> commands = new HashMap<>();

    /** Every main process of {@code unit} behaves as {@code b}. */
    public Scenario main(String unit, Behaviour b) { return main(unit, n -> b); }

    /** The main process of {@code unit}'s n-th start (1 for the first) behaves as {@code byStart.apply(n)}. */
    public Scenario main(String unit, IntFunction<Behaviour> byStart) {
        mains.put(unit, s -> byStart.apply(s.count()));
        return this;
    }

    /** Every command of {@code unit} with {@code role} (exec-start-pre, exec-stop, a probe, ...) behaves as {@code b}. */
    public Scenario command(String unit, SpawnRequest.Role role, Behaviour b) {
        commands.put(unit + "\0" + role, b);
        return this;
    }

    /** {@code unit} (of {@code type}) becomes ready only {@code after} its start: {@link #readyAfter}. */
    public Scenario slow(String unit, ServiceType type, Duration after) { return main(unit, readyAfter(type, after)); }

    /** {@code unit} (of {@code type}) never becomes ready: {@link #hanging}. */
    public Scenario hangs(String unit, ServiceType type) { return main(unit, hanging(type)); }

    /** {@code unit} fails every start with {@code result}: {@link #failing}. */
    public Scenario fails(String unit, Result result) {
        mains.put(unit, s -> failing(result, s.argv().get(0)));
        return this;
    }

    @Override
    public Behaviour behaviour(FakeProcessRuntime.Spawn s) {
        if (s.role() == SpawnRequest.Role.MAIN) {
            var f = mains.get(s.unit());
            return f == null ? null : f.apply(s);
        }
        return commands.get(s.unit() + "\0" + s.role());
    }

    /**
     * A main process that is ready {@code after} its start, as a unit of {@code type} shows it: a oneshot
     * exits 0 then, a forking service's first process forks its daemon and exits then, any other runs
     * and becomes ready then (whatever its readiness protocol).
     */
    public static Behaviour readyAfter(ServiceType type, Duration after) {
        return switch (type) {
            case ONESHOT -> Behaviour.exits(0).after(after);
            case FORKING -> Behaviour.forks(Behaviour.runs()).after(after);
            default -> Behaviour.runs().readyAfter(after);
        };
    }

    /**
     * A main process that never becomes ready: it runs and never says so (a oneshot never exits, a
     * forking parent never forks); its unit's {@code timeout-start}, if any, decides. A unit whose
     * readiness is {@code started} is ready anyway: it has no way to hang.
     */
    public static Behaviour hanging(ServiceType type) { return Behaviour.runs(); }

    /**
     * A main process that makes its start fail with {@code result} at once: {@code exit-code} (exited with
     * status 1), {@code signal} (SIGSEGV), {@code oom-kill}, {@code exec} ({@code program} is missing: {@code
     * Stage: executing command / Error: No such file or directory (program)}), {@code timeout} (never
     * ready; needs a readiness protocol and a finite {@code timeout-start}), {@code watchdog} (ready, never
     * pings; needs a {@code watchdog}).
     */
    public static Behaviour failing(Result result, String program) {
        return switch (result) {
            case EXIT_CODE -> Behaviour.exits(1);
            case SIGNAL -> Behaviour.killedBy(11); // SIGSEGV
            case OOM_KILL -> Behaviour.oomKilled();
            case EXEC -> Behaviour.missingProgram(program);
            case TIMEOUT -> Behaviour.runs();
            case WATCHDOG -> Behaviour.runs().ready();
            default -> throw new IllegalArgumentException("a main process cannot fail with " + result.word());
        };
    }
}
