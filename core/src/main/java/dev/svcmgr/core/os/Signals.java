package dev.svcmgr.core.os;

import java.util.Locale;

/** Linux signal numbers and names ({@code SIGTERM} = 15). */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGPIPE = 13, SIGTERM = 15, SIGCONT = 18;

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private Signals() {}

    /** {@code SIGKILL} for 9; {@code SIGRTMIN+n} for real-time signals. */
    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) return "SIG" + NAMES[sig];
        if (sig >= 34 && sig <= 64) return "SIGRTMIN+" + (sig - 34);
        return "signal " + sig;
    }

    /** Parses {@code SIGUSR2}, {@code USR2} or {@code 12}; -1 when unknown. */
    public static int parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(t);
                return n >= 1 && n <= 64 ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        if (t.startsWith("SIG")) t = t.substring(3);
        for (int i = 1; i < NAMES.length; i++) if (NAMES[i].equals(t)) return i;
        return -1;
    }
}
