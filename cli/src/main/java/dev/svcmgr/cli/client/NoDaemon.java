package dev.svcmgr.cli.client;

/** No daemon answers at the control socket. */
public final class NoDaemon extends Exception {
    public NoDaemon(String message) { super(message); }
}
