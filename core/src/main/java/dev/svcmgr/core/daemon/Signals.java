package dev.svcmgr.core.daemon;

import java.util.function.Consumer;

/**
 * The daemon's signal handling: SIGTERM and SIGINT start an orderly shutdown; as
 * PID 1 SIGPWR too (sysvinit's meanings: TERM reboot, INT Ctrl-Alt-Del = reboot,
 * PWR poweroff). Uses the JDK's {@code sun.misc.Signal} (module jdk.unsupported).
 */
final class Signals {
    private Signals() {}

    /**
     * Asynchronous signals other than TERM, INT, PWR and HUP: none of them may end the daemon
     * (cli.md "The daemon"). QUIT stays the JVM's (a thread dump on stdout); SEGV, BUS, FPE and ILL
     * are the JVM's own; KILL and STOP cannot be caught. PIPE is ignored by the JVM itself (a client that
     * goes away must not print a line each time). CHLD, CONT, WINCH and URG keep their harmless defaults.
     */
    static final String[] IGNORED = {"USR1", "USR2", "ALRM", "VTALRM", "PROF", "XCPU", "XFSZ", "TTIN", "TTOU",
            "TSTP", "STKFLT", "IO", "SYS", "TRAP"};

    /** SIGHUP: {@code onHup} runs on a JVM signal thread (the daemon reloads its unit files). */
    static void onReload(Runnable onHup) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> onHup.run());
        } catch (IllegalArgumentException e) {
            // HUP ignored by the parent (nohup): it stays ignored
        }
    }

    /** Every signal of {@link #IGNORED} is caught and reported to {@code told} instead of ending the process. */
    static void ignoreOthers(Consumer<String> told) {
        for (String name : IGNORED) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> told.accept(s.getName()));
            } catch (IllegalArgumentException e) {
                // a signal this platform lacks
            }
        }
    }

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
