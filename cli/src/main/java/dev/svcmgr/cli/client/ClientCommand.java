package dev.svcmgr.cli.client;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.protocol.ErrorKind;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base of the commands that talk to the daemon: finds it, turns a missing daemon,
 * a failed request or an internal error into one line on stderr and an exit code.
 */
public abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    public CommonOptions common;

    @Spec
    public CommandSpec spec;

    /** The command's work; returns the exit code. */
    protected abstract int run(Client client) throws NoDaemon, IOException, InterruptedException;

    @Override
    public final Integer call() {
        Client client;
        try {
            client = new Client(common.runtimeDir(), common.timeout());
        } catch (picocli.CommandLine.ParameterException e) {
            err().println("svcmgr: " + e.getMessage());
            return 2;
        }
        try {
            return run(client);
        } catch (Client.NoAnswer e) {
            err().println("svcmgr: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (NoDaemon e) {
            err().println("svcmgr: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            err().println("svcmgr: lost the daemon: " + e.getMessage());
            if (common.debug) e.printStackTrace(err());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err().println("svcmgr: internal error: " + e);
            if (common.debug) e.printStackTrace(err());
            return 1;
        }
    }

    protected PrintWriter out() { return spec.commandLine().getOut(); }

    protected PrintWriter err() { return spec.commandLine().getErr(); }

    /** True when the reply says ok. */
    protected static boolean ok(Map<String, Object> reply) { return Boolean.TRUE.equals(reply.get("ok")); }

    /** The exit code for a reply: 0 when ok, else the one for its error kind ({@link ExitCodes}). */
    protected static int exit(Map<String, Object> reply) {
        if (ok(reply)) return ExitCodes.OK;
        Object kind = reply.get("error-kind");
        return ExitCodes.of(ErrorKind.of(kind instanceof String s ? s : null));
    }

    /** Prints the reply's error as one line and returns its exit code; with --json the error object goes to stdout too. */
    protected int fail(Map<String, Object> reply) {
        err().println("svcmgr: " + reply.getOrDefault("error", "request failed"));
        if (common.json) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(reply);
            copy.remove("ok");
            copy.remove("exit");
            copy.remove("error-kind");
            out().println(Json.write(copy));
        }
        return exit(reply);
    }

    /** Prints a value as JSON on stdout. */
    protected void printJson(Object value) {
        out().println(Json.write(value));
        out().flush();
    }

    /** {@code redis} means {@code redis.service}. */
    protected static List<Object> unitNames(List<String> args) {
        List<Object> out = new ArrayList<>();
        for (String a : args) out.add(UnitNames.fromUser(a));
        return out;
    }

    @SuppressWarnings("unchecked")
    protected static List<Map<String, Object>> maps(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) if (x instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        return out;
    }

    protected static String str(Object o) { return o == null ? "" : o.toString(); }
}
