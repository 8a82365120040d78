package dev.svcmgr.core.sim;

import dev.svcmgr.core.loop.ManualLoop;
import dev.svcmgr.core.os.ExitStatus;
import dev.svcmgr.core.os.OutputListener;
import dev.svcmgr.core.os.ServiceGroup;
import dev.svcmgr.core.os.Signals;
import dev.svcmgr.core.os.SpawnRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated processes' behaviours, on the manual clock: exact times, no wall clock. */
class FakeProcessRuntimeTest {
    static final OutputListener DISCARD = new OutputListener() {
        @Override
        public void data(int stream, byte[] buf, int len) { }

        @Override
        public void closed(int stream) { }
    };

    final ManualLoop loop = new ManualLoop();
    final Map<Integer, ExitStatus> exits = new HashMap<>();
    final Map<Integer, Long> exitNanos = new HashMap<>();
    Behaviour next;
    final FakeProcessRuntime os = new FakeProcessRuntime(loop, s -> next);

    static Duration ms(long n) { return Duration.ofMillis(n); }

    int spawn(Behaviour b, ServiceGroup g, SpawnRequest.Role role) throws Exception {
        next = b;
        return os.spawn(SpawnRequest.of(List.of("/bin/x"), Map.of(), g).withRole(role), (p, st) -> {
            exits.put(p, st);
            exitNanos.put(p, loop.nanos());
        }, DISCARD);
    }

    @Test
    void aProcessEndsExactlyWhenItsBehaviourSays() throws Exception {
        int a = spawn(Behaviour.exits(1).after(ms(50)), null, SpawnRequest.Role.MAIN);
        int b = spawn(Behaviour.killedBy(11).after(ms(80)), null, SpawnRequest.Role.MAIN);
        assertEquals(1000, a, "PIDs count from 1000");
        loop.advance(ms(49));
        assertTrue(exits.isEmpty());
        loop.advance(ms(1));
        assertEquals(1, exits.get(a).code());
        assertEquals(50_000_000L, exitNanos.get(a));
        loop.advance(ms(100));
        assertEquals(11, exits.get(b).signal());
        assertEquals(80_000_000L, exitNanos.get(b));
    }

    @Test
    void readinessComesAfterItsDelayAndSendsReady() throws Exception {
        List<FakeProcessRuntime.Sent> sent = new ArrayList<>();
        os.notifySink = sent::add;
        ServiceGroup g = os.group("db.service", null, new ArrayList<>());
        int pid = spawn(Behaviour.runs().readyAfter(Duration.ofSeconds(40)), g, SpawnRequest.Role.MAIN);
        loop.advance(Duration.ofSeconds(39));
        assertFalse(os.unitReady("db.service"));
        loop.advance(Duration.ofSeconds(1));
        assertTrue(os.unitReady("db.service"));
        assertEquals(List.of(new FakeProcessRuntime.Sent(pid, List.of(pid), "READY=1")), sent);
        os.kill(pid, Signals.SIGTERM);
        loop.runUntilIdle();
        assertFalse(os.unitReady("db.service"), "a dead process is not ready");
    }

    @Test
    void aSignalWithAReactionEndsItAfterTheReactionsDelayAndSigkillCutsItShort() throws Exception {
        int slow = spawn(Behaviour.runs().onSignal(Signals.SIGTERM, ms(300), 0), null, SpawnRequest.Role.MAIN);
        int cut = spawn(Behaviour.runs().onSignal(Signals.SIGTERM, ms(300), 0), null, SpawnRequest.Role.MAIN);
        os.kill(slow, Signals.SIGTERM);
        os.kill(cut, Signals.SIGTERM);
        loop.advance(ms(100));
        os.kill(cut, Signals.SIGKILL);
        loop.runUntilIdle();
        assertEquals(Signals.SIGKILL, exits.get(cut).signal());
        assertEquals(100_000_000L, exitNanos.get(cut));
        loop.advance(ms(200));
        assertEquals(0, exits.get(slow).code());
        assertEquals(300_000_000L, exitNanos.get(slow));
        assertEquals(List.of(new FakeProcessRuntime.Signalled(0, slow, Signals.SIGTERM),
                new FakeProcessRuntime.Signalled(0, cut, Signals.SIGTERM),
                new FakeProcessRuntime.Signalled(100_000_000L, cut, Signals.SIGKILL)), os.signalled());
    }

    @Test
    void aForkingParentExitsAndLeavesItsDaemonInTheGroupAsThePidFileSays() throws Exception {
        ServiceGroup g = os.group("d.service", null, new ArrayList<>());
        int parent = spawn(Behaviour.forks(Behaviour.runs()).after(ms(10)), g, SpawnRequest.Role.MAIN);
        loop.advance(ms(10));
        assertEquals(0, exits.get(parent).code());
        int daemon = os.pidFiles.get("d.service");
        assertEquals(List.of(daemon), g.pids());
        assertTrue(os.watch(daemon, exits::put));
        g.killAll();
        loop.runUntilIdle();
        assertEquals(Signals.SIGKILL, exits.get(daemon).signal());
        assertTrue(g.isEmpty());
    }

    @Test
    void childrenLiveInTheGroupAndAnOomKillIsCounted() throws Exception {
        ServiceGroup g = os.group("m.service", null, new ArrayList<>());
        int main = spawn(Behaviour.oomKilled().after(ms(5)).withChild(Behaviour.runs().ignoring(Signals.SIGTERM)), g,
                SpawnRequest.Role.MAIN);
        assertEquals(2, g.pids().size());
        assertEquals(2L, g.usage().tasks());
        loop.advance(ms(5));
        assertEquals(Signals.SIGKILL, exits.get(main).signal());
        assertEquals(1, g.usage().oomKills());
        g.signal(Signals.SIGTERM);
        loop.runUntilIdle();
        assertEquals(1, g.pids().size(), "the child ignores SIGTERM");
        g.killAll();
        loop.runUntilIdle();
        assertTrue(g.isEmpty());
    }

    @Test
    void withoutAScriptCommandsExitZeroAndAProbeFollowsItsUnitsReadiness() throws Exception {
        next = null;
        ServiceGroup g = os.group("p.service", null, new ArrayList<>());
        int pre = spawn(null, g, SpawnRequest.Role.START_PRE);
        int probe1 = spawn(null, g, SpawnRequest.Role.PROBE);
        loop.runUntilIdle();
        assertEquals(0, exits.get(pre).code());
        assertEquals(1, exits.get(probe1).code());
        int main = spawn(Behaviour.runs().ready(), g, SpawnRequest.Role.MAIN);
        int probe2 = spawn(null, g, SpawnRequest.Role.PROBE);
        loop.runUntilIdle();
        assertEquals(0, exits.get(probe2).code());
        assertEquals(2, os.spawned("p.service", SpawnRequest.Role.PROBE).size());
        assertNull(exits.get(main), "the main process runs");
    }
}
