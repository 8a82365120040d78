package dev.svcmgr.core.sim;

import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.core.os.ProcessRuntimeContract;
import dev.svcmgr.core.os.Signals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime contract on the simulated runtime: its script gives each contract command the real command's behaviour. */
class FakeProcessRuntimeContractTest extends ProcessRuntimeContract {
    static final Map<List<String>, Behaviour> SCRIPT = Map.of(
            EXIT_3, Behaviour.exits(3),
            EXIT_0, Behaviour.exits(0),
            SLEEP, Behaviour.runs(),
            STUBBORN, Behaviour.runs().ignoring(Signals.SIGTERM),
            SELF_USR1, Behaviour.killedBy(10),
            MISSING, Behaviour.missingProgram("/nonexistent/prog"));

    final ManualLoop loop = new ManualLoop();
    final FakeProcessRuntime os = new FakeProcessRuntime(loop, s -> SCRIPT.get(s.argv()));

    @Override
    protected ProcessRuntime os() { return os; }

    @Override
    protected void await(BooleanSupplier c, String what) {
        assertTrue(loop.runUntil(c, Duration.ofHours(1)), "never: " + what);
    }
}
