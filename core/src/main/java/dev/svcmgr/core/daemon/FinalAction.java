package dev.svcmgr.core.daemon;

import dev.svcmgr.core.os.Reboot;

import java.io.PrintStream;
import java.util.Locale;

/** The last step of a shutdown as PID 1: poweroff, reboot or halt through reboot(2). */
final class FinalAction {
    private FinalAction() {}

    /** Performs {@code action}; as PID 1 this never returns unless the kernel refuses. */
    static void perform(String action, PrintStream err) {
        Reboot.Action a = Reboot.Action.valueOf(action.toUpperCase(Locale.ROOT));
        err.println("svcmgr: " + action + " now");
        err.flush();
        String why = Reboot.perform(a);
        if (why != null) err.println("svcmgr: " + action + " failed: " + why);
    }
}
