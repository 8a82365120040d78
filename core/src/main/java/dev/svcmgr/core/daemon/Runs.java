package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.JobRecord;
import dev.svcmgr.core.engine.Outcome;
import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.os.SecureFiles;
import dev.svcmgr.core.os.UnitFiles;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.graph.JobMode;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code run}: a transient service from a command line and unit-file properties, supervised like
 * any other, answered when its start has ended (a oneshot: when the command has exited) with the
 * command's exit status.
 */
final class Runs {
    private final Context cx;
    private final Transactions transactions;
    private final AtomicLong transientCount = new AtomicLong();

    Runs(Context cx, Transactions transactions) {
        this.cx = cx;
        this.transactions = transactions;
    }

    /** {@code run-PID-N.service} with the first N no unit has (a re-executed daemon keeps its PID and its transients). */
    private String freshTransientName() throws InterruptedException {
        while (true) {
            String n = "run-" + ProcessHandle.current().pid() + "-" + transientCount.incrementAndGet() + ".service";
            if (cx.onLoop(() -> cx.known(n) == null)) return n;
        }
    }

    CompletableFuture<Reply> run(Request.Run req) throws InterruptedException, IOException {
        String name = req.unit() == null ? freshTransientName() : Context.canonical(req.unit());
        if (!name.endsWith(".service")) throw new dev.svcmgr.core.protocol.BadRequest("a transient unit must be a service, not " + name);
        StringBuilder yaml = new StringBuilder();
        yaml.append("description: ").append(Json.write("transient: " + String.join(" ", req.argv()))).append('\n');
        yaml.append("exec: ").append(Json.write(req.argv())).append('\n');
        if (req.oneshot()) yaml.append("type: oneshot\n");
        for (Map.Entry<String, String> e : req.properties().entrySet()) yaml.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        // transient/ is the daemon's alone (0700, files 0600): nobody else can plant a drop-in or a file for a
        // predictable run-PID-N name, and each file is written through a fresh temporary file, never a symlink
        Path dir = cx.daemon.options().runtimeDir().resolve("transient");
        SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
        Path file = dir.resolve(name + ".yaml");
        SecureFiles.writeAtomically(file, yaml.toString().getBytes(StandardCharsets.UTF_8), SecureFiles.PRIVATE_FILE, false);
        UnitSet loaded = UnitLoader.load(List.of(dir), UnitFiles.READER);
        Unit u = loaded.lookup(name);
        List<String> errors = new ArrayList<>();
        for (Problem p : loaded.problems()) {
            if (name.equals(p.unit()) && p.severity() == Severity.ERROR) errors.add(p.message());
        }
        if (u == null || !errors.isEmpty()) {
            Files.deleteIfExists(file);
            return CompletableFuture.completedFuture(new Reply.Error(ErrorKind.BAD_REQUEST,
                    "bad transient unit: " + (errors.isEmpty() ? "could not be made" : String.join("; ", errors))));
        }
        Object submitted = cx.onLoop(() -> {
            if (cx.known(name) != null && !cx.m().isTransient(name)) return new Reply.Error(ErrorKind.REFUSED, "unit " + name + " exists already");
            if (cx.m().isTransient(name)) return new Reply.Error(ErrorKind.REFUSED, "transient unit " + name + " is still running");
            // the file stays while the unit runs: a restarted manager re-adopts the unit from it
            cx.m().addTransient(u);
            return transactions.trySubmit(new dev.svcmgr.graph.Request(dev.svcmgr.graph.Request.Verb.START, List.of(name),
                    JobMode.REPLACE, false));
        });
        return Transactions.await(submitted, false)
                .thenApply(done -> done instanceof Outcome o ? new Reply.Ran(Transactions.outcome(o), name, commandStatus(o, name)) : (Reply) done);
    }

    /**
     * The command's exit status: 0 when its start succeeded; else the status the process that ended
     * its start exited with ({@link JobRecord#exitCode}), or 1 when it ended otherwise (a signal, a
     * timeout, a failure to execute, a requirement that failed).
     */
    private static long commandStatus(Outcome o, String unit) {
        // the transient unit's own job: the plan orders jobs by wave, so a requirement's job comes first
        JobRecord job = o.jobs().stream().filter(j -> j.unit().equals(unit)).findFirst().orElse(null);
        if (job == null || job.result() == null || !job.result().isFailure()) return 0;
        return job.exitCode() != null ? job.exitCode() : 1;
    }
}
