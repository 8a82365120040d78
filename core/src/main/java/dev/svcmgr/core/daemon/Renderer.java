package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;

/**
 * Makes the output of a read command inside the daemon ({@code render}, docs/protocol.md): the command-line
 * program installs one ({@link Daemon#renderer}), since the commands are its code; the daemon alone renders
 * nothing. {@code calls} makes the command's requests in the daemon, for the client that asked.
 */
@FunctionalInterface
public interface Renderer {
    /** Renders nothing: every client runs its commands itself. */
    Renderer NONE = (req, calls) -> Reply.Rendered.notTaken();

    Reply.Rendered render(Request.Render req, InProcess calls);
}
