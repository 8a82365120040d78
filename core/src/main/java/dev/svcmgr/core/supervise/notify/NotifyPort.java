package dev.svcmgr.core.supervise.notify;

import java.io.IOException;

/**
 * Where sd_notify datagrams come from: the manager's notify socket ({@link NotifyHub}) or a
 * simulation's. Services that take notify messages register a {@link Target}; each message is
 * handed, on the loop thread, to the one registered target that owns its sender, and dropped when
 * none does.
 */
public interface NotifyPort {
    /** A service that accepts notify messages. Called on the loop thread. */
    interface Target {
        /** True when the message's sender is (or was, on arrival) one of the service's processes. */
        boolean owns(NotifyMessage m);

        /** Handles a message from one of its processes. */
        void notified(NotifyMessage m);
    }

    /** What services get as {@code NOTIFY_SOCKET}. */
    String socketPath();

    /** Registers {@code t}, opening the socket with the first target (loop thread). */
    void register(Target t) throws IOException;

    /** Unregisters {@code t}; the socket closes with the last target (loop thread). */
    void unregister(Target t);
}
