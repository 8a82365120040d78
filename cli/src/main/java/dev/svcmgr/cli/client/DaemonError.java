package dev.svcmgr.cli.client;

import dev.svcmgr.core.protocol.Reply;

/** The daemon answered with an error reply; {@link ClientCommand} prints it and exits with the code for its kind. */
public final class DaemonError extends Exception {
    private final Reply.Error error;

    public DaemonError(Reply.Error error) {
        super(error.message());
        this.error = error;
    }

    public Reply.Error error() { return error; }
}
