package dev.svcmgr.core.daemon;

/**
 * The client at the other end of a control connection, from SO_PEERCRED.
 *
 * @param user       the peer's user name (numeric when it has no name)
 * @param privileged root or the daemon's own user: may do anything; others may only read
 */
public record Peer(String user, boolean privileged) {}
