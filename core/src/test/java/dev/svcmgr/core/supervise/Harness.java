package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.ThreadLoop;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.os.ProcessRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Runs an event loop, a real process runtime and supervisors; records every
 * snapshot and waits for conditions with a deadline (never a fixed sleep).
 */
final class Harness implements AutoCloseable {
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final ThreadLoop loop = new ThreadLoop("test-loop", errors::add);
    final ProcessRuntime os;
    final Path dir;
    final SupervisorContext ctx;
    final List<UnitSnapshot> seen = new CopyOnWriteArrayList<>();
    /** Every snapshot with the System.nanoTime() at which it was published. */
    final List<Timed> timed = new CopyOnWriteArrayList<>();

    record Timed(long nanos, UnitSnapshot snapshot) {}
    private final List<ServiceSupervisor> sups = new ArrayList<>();

    Harness() throws IOException { this(true); }

    Harness(boolean cgroups) throws IOException {
        os = ProcessRuntime.linux("svcmgr-test-" + ProcessHandle.current().pid(), cgroups);
        dir = Files.createTempDirectory("svcmgr-sup");
        ctx = new SupervisorContext(loop, os, dir.resolve("log"), dir.resolve("run"),
                Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    ServiceSupervisor add(String name, Svc s) throws Exception {
        ServiceSupervisor sup = call(() -> new ServiceSupervisor(s.unit(name), ctx, (b, a) -> {
            seen.add(a);
            timed.add(new Timed(System.nanoTime(), a));
        }));
        sups.add(sup);
        return sup;
    }

    <T> T call(Callable<T> c) throws Exception {
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Exception> err = new AtomicReference<>();
        loop.runAndWait(() -> {
            try {
                out.set(c.call());
            } catch (Exception e) {
                err.set(e);
            }
        });
        if (err.get() != null) throw err.get();
        return out.get();
    }

    void run(Runnable r) throws InterruptedException { loop.runAndWait(r); }

    UnitSnapshot snap(ServiceSupervisor s) throws Exception { return call(s::snapshot); }

    /** Waits until the supervisor's snapshot matches; fails with the last one seen. */
    UnitSnapshot await(ServiceSupervisor s, Predicate<UnitSnapshot> p, Duration max, String what) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        UnitSnapshot last = null;
        while (System.nanoTime() < end) {
            last = snap(s);
            if (p.test(last)) return last;
            Thread.sleep(2);
        }
        throw new AssertionError("timed out waiting for " + what + "; last " + last + "; errors " + errors);
    }

    UnitSnapshot awaitSub(ServiceSupervisor s, String active, String sub, Duration max) throws Exception {
        return await(s, x -> x.active().word().equals(active) && x.sub().word().equals(sub), max, active + "/" + sub);
    }

    static void poll(BooleanSupplier c, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) return;
            Thread.sleep(2);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static boolean gone(int pid) {
        return !Files.exists(Path.of("/proc/" + pid));
    }

    @Override
    public void close() throws Exception {
        for (ServiceSupervisor s : sups) run(s::stop);
        for (ServiceSupervisor s : sups) {
            try {
                await(s, x -> x.active().word().equals("inactive") || x.active().word().equals("failed"),
                        Duration.ofSeconds(15), "stopped at close");
            } catch (AssertionError e) {
                // reported by the test itself
            }
        }
        loop.close();
        os.close();
    }
}
