package dev.svcmgr.units;

/** systemd's meanings: on-failure = unclean exit code, signal, timeout, watchdog; on-abnormal = signal, timeout, watchdog. */
public enum RestartPolicy {
    NO("no"), ON_FAILURE("on-failure"), ON_ABNORMAL("on-abnormal"), ALWAYS("always");

    private final String word;

    RestartPolicy(String word) { this.word = word; }

    public String word() { return word; }

    public static RestartPolicy ofWord(String w) {
        for (RestartPolicy p : values()) if (p.word.equals(w)) return p;
        return null;
    }
}
