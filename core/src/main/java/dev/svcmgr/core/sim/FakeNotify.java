package dev.svcmgr.core.sim;

import dev.svcmgr.core.supervise.notify.NotifyMessage;
import dev.svcmgr.core.supervise.notify.NotifyPort;

import java.util.ArrayList;
import java.util.List;

/**
 * The sd_notify socket of a {@link FakeProcessRuntime}: what its processes send ({@link
 * Behaviour#notifies}, {@code READY=1} when they become ready, {@code WATCHDOG=1} pings) is posted to
 * the loop and handed to the registered service that owns the sender, as the real socket does.
 */
public final class FakeNotify implements NotifyPort {
    /** What services get as {@code NOTIFY_SOCKET} (no such file exists). */
    public static final String PATH = "/run/svcmgr-simulated/notify.sock";

    private final FakeProcessRuntime os;
    private final List<Target> targets = new ArrayList<>();
    private long dropped;

    FakeNotify(FakeProcessRuntime os) {
        this.os = os;
        os.notifySink = s -> os.loop.execute(() -> deliver(new NotifyMessage(s.pid(), NotifyMessage.parse(s.text()), s.lineage(), null)));
    }

    @Override
    public String socketPath() { return PATH; }

    @Override
    public void register(Target t) {
        if (!targets.contains(t)) targets.add(t);
    }

    @Override
    public void unregister(Target t) { targets.remove(t); }

    /** Messages no registered service owned. */
    public long dropped() { return dropped; }

    private void deliver(NotifyMessage m) {
        for (Target t : List.copyOf(targets)) {
            if (t.owns(m)) {
                t.notified(m);
                return;
            }
        }
        dropped++;
    }
}
