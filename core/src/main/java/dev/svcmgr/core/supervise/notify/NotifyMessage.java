package dev.svcmgr.core.supervise.notify;

import java.util.List;
import java.util.Map;

/**
 * One sd_notify datagram as a supervisor sees it.
 *
 * @param pid     the sender's PID (kernel-checked on a real socket)
 * @param fields  its {@code KEY=value} lines (a later key replaces an earlier one)
 * @param lineage the sender's PID, its parent's, and so on, as read on arrival
 * @param cgroup  the sender's cgroup v2 path on arrival, or null
 */
public record NotifyMessage(int pid, Map<String, String> fields, List<Integer> lineage, String cgroup) {
    /** {@code KEY=value} lines, in order (a later key replaces an earlier one; lines without {@code =} are skipped). */
    public static Map<String, String> parse(String text) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        for (String l : text.split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) f.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return f;
    }
}
