package dev.svcmgr.cli.client;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * Where a {@link DirectCommand} writes: the writers the fast path gave it ({@link #given(PrintWriter, PrintWriter)}),
 * else its picocli command line's.
 */
public final class Writers {
    private PrintWriter out, err;

    /** The fast path's writers (no picocli model). */
    public void given(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** True when the command runs on the fast path, without a picocli model. */
    public boolean given() { return out != null; }

    public PrintWriter out(CommandSpec spec) { return out != null ? out : spec.commandLine().getOut(); }

    public PrintWriter err(CommandSpec spec) { return err != null ? err : spec.commandLine().getErr(); }
}
