package dev.svcmgr.core.supervise;

import dev.svcmgr.core.loop.ThreadLoop;
import dev.svcmgr.core.engine.SubState;
import dev.svcmgr.core.engine.UnitSnapshot;
import dev.svcmgr.core.log.LogFile;
import dev.svcmgr.core.os.ProcessRuntime;
import dev.svcmgr.units.LogConfig;
import dev.svcmgr.units.RestartPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Supervision figures for docs/benchmarks.md: start N sleep services until all run,
 * kill -9 to new PID latency with restart-delay 0, manager RSS and threads, stop all,
 * and a log flood. Usage: {@code SupervisionBench [services=1000] [kills=200] [floodMB=100] [cgroups=true]}.
 */
public final class SupervisionBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int floodMb = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        boolean cgroups = args.length <= 3 || Boolean.parseBoolean(args[3]);
        ThreadLoop loop = new ThreadLoop("bench-loop", Throwable::printStackTrace);
        ProcessRuntime os = ProcessRuntime.linux("svcmgr-bench-" + ProcessHandle.current().pid(), cgroups);
        Path dir = Files.createTempDirectory("svcmgr-bench");
        SupervisorContext ctx = new SupervisorContext(loop, os, dir.resolve("log"), dir.resolve("run"),
                Map.of("PATH", "/usr/bin:/bin"));
        System.out.println("tracking: " + os.tracking() + "; cpus " + Runtime.getRuntime().availableProcessors()
                + "; java " + System.getProperty("java.version"));

        AtomicInteger running = new AtomicInteger();
        Map<String, CompletableFuture<Long>> restarted = new ConcurrentHashMap<>();
        List<ServiceSupervisor> sups = new ArrayList<>();
        Svc svc = Svc.of("sleep", "100000");
        svc.restartDelay = Duration.ZERO;
        loop.runAndWait(() -> {
            for (int i = 0; i < n; i++) {
                String name = String.format("s%04d.service", i);
                sups.add(new ServiceSupervisor(svc.unit(name), ctx, (b, a) -> {
                    if (a.sub() == SubState.RUNNING && b.sub() != SubState.RUNNING) {
                        running.incrementAndGet();
                        CompletableFuture<Long> f = restarted.get(a.unit());
                        if (f != null) f.complete(System.nanoTime());
                    } else if (b.sub() == SubState.RUNNING && a.sub() != SubState.RUNNING) {
                        running.decrementAndGet();
                    }
                }));
            }
        });

        long t0 = System.nanoTime();
        loop.execute(() -> sups.forEach(ServiceSupervisor::start));
        while (running.get() < n) Thread.sleep(1);
        long tRunning = System.nanoTime() - t0;
        List<Integer> pids = new ArrayList<>();
        loop.runAndWait(() -> sups.forEach(s -> pids.add(s.snapshot().mainPid())));
        for (int p : pids) {
            while (!comm(p).equals("sleep")) Thread.sleep(1);
        }
        long tExec = System.nanoTime() - t0;
        System.out.printf("start %d services: all running (spawned, supervisor state) in %d ms; all exec'd sleep in %d ms%n",
                n, tRunning / 1_000_000, tExec / 1_000_000);
        System.gc();
        Thread.sleep(200);
        System.out.printf("manager with %d services: RSS %d MB, threads %d, pipes watched %d%n", n,
                status("VmRSS") / 1024, status("Threads"), os.watchedPipes());

        long[] lat = new long[Math.min(kills, n)];
        for (int i = 0; i < lat.length; i++) {
            ServiceSupervisor s = sups.get(i);
            UnitSnapshot before = call(loop, s);
            CompletableFuture<Long> f = new CompletableFuture<>();
            restarted.put(before.unit(), f);
            long k = System.nanoTime();
            os.kill(before.mainPid(), 9);
            long at = f.get(10, TimeUnit.SECONDS);
            lat[i] = at - k;
            restarted.remove(before.unit());
        }
        Arrays.sort(lat);
        System.out.printf("kill -9 to new main PID running (restart-delay 0), %d kills: median %.2f ms, p90 %.2f ms, max %.2f ms%n",
                lat.length, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.9)] / 1e6, lat[lat.length - 1] / 1e6);

        long s0 = System.nanoTime();
        loop.execute(() -> sups.forEach(ServiceSupervisor::stop));
        AtomicInteger dead = new AtomicInteger();
        while (true) {
            dead.set(0);
            loop.runAndWait(() -> sups.forEach(s -> {
                if (s.snapshot().sub() == SubState.DEAD) dead.incrementAndGet();
            }));
            if (dead.get() == n) break;
            Thread.sleep(5);
        }
        System.out.printf("stop %d services (SIGTERM, all processes gone): %d ms%n", n, (System.nanoTime() - s0) / 1_000_000);

        if (floodMb > 0) flood(ctx, loop, floodMb);
        loop.close();
        os.close();
    }

    private static void flood(SupervisorContext ctx, ThreadLoop loop, int mb) throws Exception {
        int lines = mb * 10_000; // 100-byte lines
        Svc f = Svc.of("seq", "-f", "line %08.0f " + "x".repeat(87), "1", Integer.toString(lines)).restart(RestartPolicy.NO);
        f.log = LogConfig.DEFAULT;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ServiceSupervisor[] s = new ServiceSupervisor[1];
        loop.runAndWait(() -> s[0] = new ServiceSupervisor(f.unit("flood.service"), ctx, (b, a) -> { }));
        long t0 = System.nanoTime();
        loop.execute(s[0]::start);
        long worst = 0;
        String last = String.format("line %08d ", lines);
        while (true) {
            long p = System.nanoTime();
            loop.runAndWait(() -> { });
            worst = Math.max(worst, System.nanoTime() - p);
            List<String> t = dev.svcmgr.core.log.LogReader.tail(ctx.logDir(), "flood.service", 1);
            if (!t.isEmpty() && t.get(0).contains(last)) break;
            Thread.sleep(5);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long biggest = 0;
        int files = 0;
        for (int i = 0; i <= 5; i++) {
            Path p = i == 0 ? LogFile.current(ctx.logDir(), "flood.service") : LogFile.rotated(ctx.logDir(), "flood.service", i);
            if (Files.exists(p)) {
                files++;
                biggest = Math.max(biggest, Files.size(p));
            }
        }
        System.out.printf("log flood %d MB (%d lines): written in %d ms (%.0f MB/s), worst event-loop latency %.1f ms, "
                + "%d files, largest %d bytes (max-size %d)%n", mb, lines, ms, mb * 1000.0 / ms, worst / 1e6, files, biggest,
                LogConfig.DEFAULT.maxSize());
        done.complete(null);
    }

    private static UnitSnapshot call(ThreadLoop loop, ServiceSupervisor s) throws InterruptedException {
        UnitSnapshot[] out = new UnitSnapshot[1];
        loop.runAndWait(() -> out[0] = s.snapshot());
        return out[0];
    }

    private static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (Exception e) {
            return "";
        }
    }

    private static long status(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key + ":")) return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").strip());
        }
        return -1;
    }
}
