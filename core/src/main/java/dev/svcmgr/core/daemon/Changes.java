package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.BadRequest;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Values;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The verbs that change the daemon or its units outside a transaction: the persistent choices
 * ({@code enable}, {@code disable}, {@code mask}, {@code unmask}), {@code reset-failed}, {@code
 * kill}, {@code daemon-reload}, {@code daemon-reexec}, and {@code debug-fault} for the fault tests.
 */
final class Changes {
    private final Context cx;

    Changes(Context cx) { this.cx = cx; }

    Reply choice(Request.Choice req) throws InterruptedException {
        List<String> names = cx.expand(req.units());
        Daemon d = cx.daemon;
        return cx.onLoop(() -> {
            List<String> changed = new ArrayList<>();
            try {
                for (String n : names) {
                    String k = cx.known(n);
                    if (k == null && req.verb() != dev.svcmgr.core.protocol.Verb.UNMASK) return Context.noSuchUnit(n);
                    String name = k == null ? n : k;
                    boolean c = switch (req.verb()) {
                        case ENABLE -> d.choices().setDisabled(name, false);
                        case DISABLE -> d.choices().setDisabled(name, true);
                        case MASK -> d.choices().setMasked(name, true);
                        default -> d.choices().setMasked(name, false);
                    };
                    if (c) changed.add(name);
                }
            } catch (IOException e) {
                return new Reply.Error(ErrorKind.FAILED, "cannot save choices: " + e.getMessage());
            }
            cx.m().setDisabled(d.choices().disabled());
            cx.m().setMasked(d.choices().masked());
            return new Reply.Changed(changed);
        });
    }

    /** {@code set-default TARGET}: kept in the choices, then the units are read again so that {@code default.target} names it. */
    Reply setDefault(Request.SetDefault req) throws InterruptedException {
        String name = Context.canonical(req.unit());
        if (!name.endsWith(".target")) return new Reply.Error(ErrorKind.FAILED, name + " is not a target: the default must be a target");
        String known = cx.onLoop(() -> cx.known(name));
        if (known == null) return Context.noSuchUnit(name);
        if (known.equals("default.target")) return new Reply.Error(ErrorKind.FAILED, "default.target cannot name itself");
        try {
            cx.daemon.choices().setDefaultTarget(known);
        } catch (IOException e) {
            return new Reply.Error(ErrorKind.FAILED, "cannot save choices: " + e.getMessage());
        }
        Reply reloaded = daemonReload();
        if (reloaded instanceof Reply.Error e) return e;
        return new Reply.Default(known, true);
    }

    Reply resetFailed(Request.ResetFailed req) throws InterruptedException {
        List<String> names = cx.expand(req.units());
        if (Context.matchedNothing(req.units(), names)) return new Reply.Empty();
        return cx.onLoop(() -> {
            cx.m().resetFailed(names);
            return new Reply.Empty();
        });
    }

    /** {@code adopt PID --unit NAME}: the process becomes NAME's main process, watched through a pidfd. */
    Reply adopt(Request.Adopt req) throws InterruptedException {
        String name = Context.canonical(List.of(req.unit())).get(0);
        int pid = (int) req.pid();
        if (pid == ProcessHandle.current().pid()) return new Reply.Error(ErrorKind.FAILED, "cannot adopt the manager itself");
        return cx.onLoop(() -> {
            String k = cx.known(name);
            if (k == null) return Context.noSuchUnit(name);
            for (String other : cx.m().unitNames()) {
                Integer main = cx.m().snapshot(other).mainPid();
                if (main != null && main == pid) return new Reply.Error(ErrorKind.FAILED, "process " + pid + " is already the main process of " + other);
            }
            if (!(cx.m().driver(k) instanceof dev.svcmgr.core.supervise.SupervisorDriver d)) {
                return new Reply.Error(ErrorKind.FAILED, k + " is not a service: only a service can adopt a process");
            }
            String why = d.supervisor().adopt(pid);
            return why == null ? new Reply.Empty() : new Reply.Error(ErrorKind.FAILED, "cannot adopt process " + pid + " as " + k + ": " + why);
        });
    }

    Reply kill(Request.Kill req) throws InterruptedException {
        List<String> names = cx.expand(req.units());
        if (Context.matchedNothing(req.units(), names)) return new Reply.Empty();
        int signal;
        try {
            signal = req.signal() == null ? 15 : Values.parseSignal(req.signal());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return cx.onLoop(() -> {
            List<String> none = new ArrayList<>();
            for (String n : names) {
                String k = cx.known(n);
                if (k == null) return Context.noSuchUnit(n);
                if (!cx.m().kill(k, signal)) none.add(k);
            }
            if (!none.isEmpty()) return new Reply.Error(ErrorKind.FAILED, "no process to signal in " + String.join(", ", none));
            return new Reply.Empty();
        });
    }

    /** Waits for the reload: the files are read off the loop, the new set swapped in on it. */
    Reply daemonReload() throws InterruptedException {
        List<Problem> problems;
        try {
            problems = cx.daemon.reloadUnits().get();
        } catch (ExecutionException e) {
            return new Reply.Error(ErrorKind.FAILED, "daemon-reload failed: " + e.getCause());
        }
        List<String> lines = new ArrayList<>();
        for (Problem p : problems) lines.add(p.format());
        return new Reply.Reloaded(lines);
    }

    /** Answers first (the reply must reach the client before the socket goes with the old image), then re-executes. */
    void reexec(ControlServer.ReplyStream out) throws IOException, InterruptedException {
        out.send(new Reply.Reexecuting(ProcessHandle.current().pid(), Queries.IMAGE));
        out.drain(2_000);
        String failed = cx.daemon.reexec("daemon-reexec requested");
        if (failed != null) out.send(new Reply.Error(ErrorKind.FAILED, "re-execution failed: " + failed));
    }

    /**
     * Fault injection for the fault tests, only when the daemon runs with {@code SVCMGR_FAULT_INJECTION=1}:
     * {@code what: loop-error} throws an OutOfMemoryError on the event loop, {@code thread-error} an
     * InternalError on a new thread; the daemon must recover as docs/DESIGN.md says.
     */
    Reply injectFault(Request.DebugFault req) {
        if (!"1".equals(System.getenv("SVCMGR_FAULT_INJECTION"))) {
            return new Reply.Error(ErrorKind.REFUSED, "fault injection is off (the daemon runs without SVCMGR_FAULT_INJECTION=1)");
        }
        if ("loop-error".equals(req.what())) {
            cx.loop().execute(() -> { throw new OutOfMemoryError("injected by debug-fault"); });
        } else if ("thread-error".equals(req.what())) {
            new Thread(() -> { throw new InternalError("injected by debug-fault"); }, "svcmgr-fault").start();
        } else {
            throw new BadRequest("what must be loop-error or thread-error");
        }
        return new Reply.Empty();
    }
}
