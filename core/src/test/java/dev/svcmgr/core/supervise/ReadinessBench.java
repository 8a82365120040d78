package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.ThreadLoop;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.units.Limits;
import dev.svcmgr.units.Readiness;
import dev.svcmgr.units.Sandbox;
import dev.svcmgr.units.ServiceType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness and limits figures for docs/benchmarks.md: start-to-active time of one service,
 * started and stopped {@code runs} times, per readiness protocol, and (type exec: active once the
 * program itself runs, so the whole prologue is timed) with limits and with a sandbox.
 * Usage: {@code ReadinessBench [runs=30]}.
 */
public final class ReadinessBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ThreadLoop loop = new ThreadLoop("bench-loop", Throwable::printStackTrace);
        ProcessRuntime os = ProcessRuntime.linux("svcmgr-rbench-" + ProcessHandle.current().pid(), true);
        Path dir = Files.createTempDirectory("svcmgr-rbench");
        SupervisorContext ctx = new SupervisorContext(loop, os, dir.resolve("log"), dir.resolve("run"),
                Map.of("PATH", "/usr/bin:/bin"));
        System.out.println("tracking: " + os.tracking() + "; cpus " + Runtime.getRuntime().availableProcessors());
        Map<String, Svc> variants = new LinkedHashMap<>();
        variants.put("type exec: sleep runs", Svc.of("/bin/sleep", "100000").type(ServiceType.EXEC));
        Svc fd = Svc.sh("echo >&3; exec sleep 100000");
        fd.ready = Readiness.fd(3);
        variants.put("fd: 3 (echo >&3)", fd);
        Svc notify = Svc.sh("/usr/bin/systemd-notify --ready; exec sleep 100000").type(ServiceType.NOTIFY);
        notify.ready = Readiness.notifyReady();
        variants.put("notify (systemd-notify --ready)", notify);
        Svc limited = Svc.of("/bin/sleep", "100000").type(ServiceType.EXEC);
        limited.limits = new Limits(256L << 20, 50, 64L, null, null);
        variants.put("type exec + limits memory/cpu/pids", limited);
        Svc boxed = Svc.of("/bin/sleep", "100000").type(ServiceType.EXEC);
        boxed.sandbox = new Sandbox(false, true, true, true, null, List.of("/etc"));
        variants.put("type exec + sandbox nnp/tmp/net/ro", boxed);
        for (var e : variants.entrySet()) {
            e.getValue().startLimit = new dev.svcmgr.units.StartLimit(0, java.time.Duration.ZERO); // many starts on purpose
            AtomicReference<CompletableFuture<Long>> active = new AtomicReference<>(), dead = new AtomicReference<>();
            ServiceSupervisor[] sup = new ServiceSupervisor[1];
            loop.runAndWait(() -> sup[0] = new ServiceSupervisor(e.getValue().unit("bench.service"), ctx, (b, a) -> {
                if (a.sub() == SubState.RUNNING && b.sub() != SubState.RUNNING) active.get().complete(System.nanoTime());
                if (a.sub() == SubState.DEAD || a.sub() == SubState.FAILED) {
                    CompletableFuture<Long> d = dead.get();
                    if (d != null) d.complete(System.nanoTime());
                }
            }));
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) {
                active.set(new CompletableFuture<>());
                dead.set(new CompletableFuture<>());
                long t0 = System.nanoTime();
                loop.execute(sup[0]::start);
                long t1 = active.get().get(10, TimeUnit.SECONDS);
                if (i >= 3) micros.add((t1 - t0) / 1000); // three warm-up runs
                loop.execute(sup[0]::stop);
                dead.get().get(10, TimeUnit.SECONDS);
            }
            micros.sort(null);
            List<String> w = new ArrayList<>();
            loop.runAndWait(() -> w.addAll(sup[0].warnings()));
            System.out.printf("%-36s median %6.1f ms  p90 %6.1f ms  (%d runs)%s%n", e.getKey(), micros.get(micros.size() / 2) / 1000.0,
                    micros.get(micros.size() * 9 / 10) / 1000.0, micros.size(), w.isEmpty() ? "" : " warnings " + w);
        }
        loop.close();
        os.close();
    }
}
