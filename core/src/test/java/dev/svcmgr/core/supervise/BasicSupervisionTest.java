package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;
import dev.svcmgr.core.engine.UnitSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BasicSupervisionTest {
    static final Duration T = Duration.ofSeconds(10);

    @Test
    void aSimpleServiceRunsUntilStoppedAndLeavesNoProcess() throws Exception {
        try (Harness h = new Harness()) {
            ServiceSupervisor s = h.add("sleep.service", Svc.of("sleep", "1000"));
            h.run(s::start);
            UnitSnapshot up = h.awaitSub(s, "active", "running", T);
            assertNotNull(up.mainPid());
            int pid = up.mainPid();
            assertTrue(h.call(s::pids).contains(pid));
            h.run(s::stop);
            UnitSnapshot down = h.awaitSub(s, "inactive", "dead", T);
            assertEquals(Result.SUCCESS, down.result());
            assertTrue(Harness.gone(pid), "main process reaped");
            assertTrue(h.errors.isEmpty(), h.errors.toString());
        }
    }
}
