package dev.svcmgr.core.daemon;

import java.util.function.Consumer;

/**
 * The daemon's signal handling: SIGTERM and SIGINT start an orderly shutdown; as
 * PID 1 SIGPWR too (sysvinit's meanings: TERM reboot, INT Ctrl-Alt-Del = reboot,
 * PWR poweroff). Uses the JDK's {@code sun.misc.Signal} (module jdk.unsupported).
 */
final class Signals {
    private Signals() {}

    /** Calls {@code onSignal} with the signal name (TERM, INT, PWR) on a JVM signal thread. */
    static void onTerminate(Consumer<String> onSignal) {
        for (String name : new String[] {"TERM", "INT", "PWR"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal.accept(s.getName()));
            } catch (IllegalArgumentException e) {
                // a signal the JVM reserves or the platform lacks: keep its default
            }
        }
    }
}
