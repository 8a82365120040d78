package dev.svcmgr.cli.client;

import java.io.PrintWriter;

/**
 * A command configured without picocli's model ({@code dev.svcmgr.cli.FastPath}: the fixed argument shapes of the
 * common verbs), run with the writers given. Inside the daemon ({@code render}, docs/protocol.md) the client says
 * whether its output would be coloured; elsewhere the command decides as it always does.
 */
public interface DirectCommand {
    int callDirect(PrintWriter out, PrintWriter err);

    /** Colours as the client asked (the daemon's own stdout says nothing about the client's terminal). */
    void colour(boolean on);
}
