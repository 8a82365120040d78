package dev.svcmgr.core.supervise.readiness;

import dev.svcmgr.core.loop.Loop;
import dev.svcmgr.core.os.SpawnException;

import java.util.List;

/** What a {@link ReadinessCheck} may use: the loop, the outside world through a port, and the service's processes. */
public interface ReadinessContext {
    /** The loop: timers for polls, the thread answers are posted to. */
    Loop loop();

    /** The unit being started. */
    String unit();

    /** Paths, sockets, pipes, HTTP and pid files. */
    ReadinessPort port();

    /** Runs {@code argv} as the service's control process; its exit comes back through {@link ReadinessCheck#probeExited}. */
    void runProbe(List<String> argv) throws SpawnException;

    /** The live processes of the service's group. */
    List<Integer> groupPids();

    /** True when {@code pid} exists and is not a zombie. */
    boolean alive(int pid);
}
