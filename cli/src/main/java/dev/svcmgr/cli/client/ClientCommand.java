package dev.svcmgr.cli.client;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base of the commands that talk to the daemon: finds it, turns a missing daemon,
 * a failed request or an internal error into one line on stderr and an exit code.
 */
public abstract class ClientCommand implements Callable<Integer>, DirectCommand {
    @Mixin
    public CommonOptions common;

    @Spec
    public CommandSpec spec;

    /** The command's work; returns the exit code. An error reply may be thrown: it is printed as {@link #fail} does. */
    protected abstract int run(Client client) throws NoDaemon, IOException, InterruptedException, DaemonError;

    @Override
    public final Integer call() {
        Client client;
        try {
            // inside the daemon (a rendering) no socket is used, and the daemon's own SVCMGR_TIMEOUT is not the client's
            client = Client.inDaemonNow() ? new Client(common.runtimeDir()) : new Client(common.runtimeDir(), common.timeout());
        } catch (picocli.CommandLine.ParameterException e) {
            err().println("svcmgr: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            return run(client);
        } catch (DaemonError e) {
            return fail(e.error());
        } catch (Client.NoAnswer e) {
            err().println("svcmgr: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (NoDaemon e) {
            err().println("svcmgr: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            err().println("svcmgr: lost the daemon: " + e.getMessage());
            if (common.debug) e.printStackTrace(err());
            return ExitCodes.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILURE;
        } catch (RuntimeException e) {
            err().println("svcmgr: internal error: " + e);
            if (common.debug) e.printStackTrace(err());
            return ExitCodes.FAILURE;
        }
    }

    private final Writers writers = new Writers();

    /** Whether to colour, when the client said so ({@link DirectCommand#colour}); null: {@link Render#colour()}. */
    private Boolean colourGiven;

    @Override
    public final void colour(boolean on) { colourGiven = on; }

    /** Whether this command's output is coloured. */
    protected boolean colour() { return colourGiven != null ? colourGiven : Render.colour(); }

    /** Runs this command, already configured, without a picocli model (the fast path of fixed argument shapes). */
    @Override
    public final int callDirect(PrintWriter out, PrintWriter err) {
        writers.given(out, err);
        return call();
    }

    public PrintWriter out() { return writers.out(spec); }

    public PrintWriter err() { return writers.err(spec); }

    /**
     * Prints an error reply as one line on stderr and returns the exit code for its kind; with
     * --json its object ({@code {"error"}}, and {@code "cycle"} for a refused transaction) goes to
     * stdout too.
     */
    protected int fail(Reply.Error e) {
        err().println("svcmgr: " + e.message());
        if (common.json) out().println(Json.write(errorJson(e)));
        return ExitCodes.of(e.kind());
    }

    /** What --json prints for an error reply: {@code {"error"}}, with {@code "cycle"} for a refused transaction. */
    protected static Map<String, Object> errorJson(Reply.Error e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.message());
        if (e.kind() == ErrorKind.REJECTED) m.put("cycle", e.cycle());
        return m;
    }

    /** Prints a value as JSON on stdout. */
    protected void printJson(Object value) {
        out().println(Json.write(value));
        out().flush();
    }

    /** {@code redis} means {@code redis.service}. */
    protected static List<String> unitNames(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) out.add(UnitNames.fromUser(a));
        return out;
    }

    protected static String str(Object o) { return o == null ? "" : o.toString(); }
}
