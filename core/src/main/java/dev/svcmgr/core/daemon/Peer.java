package dev.svcmgr.core.daemon;

/**
 * The client at the other end of a control connection, from the kernel's SO_PEERCRED.
 *
 * @param uid        the peer's numeric uid, or -1 when the kernel's answer could not be read
 *                   (then the peer is never privileged)
 * @param user       how messages name the peer: {@code uid N}
 * @param privileged uid 0 or the daemon's own uid, decided by number only: may do anything;
 *                   others may only read
 */
public record Peer(int uid, String user, boolean privileged) {
    /** A peer whose uid is {@code uid}; privileged when it is 0 or {@code daemonUid}. */
    static Peer of(int uid, int daemonUid) {
        return new Peer(uid, uid < 0 ? "an unknown user" : "uid " + uid, uid >= 0 && (uid == 0 || uid == daemonUid));
    }
}
