package dev.svcmgr.core.log;

import dev.svcmgr.core.os.DescriptorLimit;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The log files held open, at most {@link #cap()} of them: the least recently written is closed
 * when one more opens (it opens again at its next record). Without a bound every service that ever
 * wrote a line held a descriptor of the manager's for its log, on top of its output FIFOs: 10,000
 * chatty services were 30,000 descriptors. The cap is an eighth of the manager's descriptor limit,
 * between 16 and 512 files, so the services that write most keep theirs.
 *
 * <p>Only this object's lock is taken here, always innermost: a log to close is handed back to the
 * caller, which closes it once its own lock is released.
 */
final class OpenLogs {
    static final OpenLogs SHARED = new OpenLogs(0);

    private final LinkedHashMap<LogFile, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);
    private int cap;

    /** {@code cap} 0: from the descriptor limit, the first time it is needed. */
    OpenLogs(int cap) { this.cap = cap; }

    synchronized int cap() {
        if (cap == 0) cap = Math.max(16, Math.min(512, DescriptorLimit.soft() / 8));
        return cap;
    }

    /** Sets the bound (tests). */
    synchronized void cap(int n) { cap = n; }

    /** {@code f} opened its file: the log to close now that one more is open, or null. */
    synchronized LogFile opened(LogFile f) {
        open.put(f, Boolean.TRUE);
        if (open.size() <= cap()) return null;
        Iterator<LogFile> it = open.keySet().iterator();
        LogFile eldest = it.next();
        if (eldest == f) return null;
        it.remove();
        return eldest;
    }

    /** {@code f} wrote: the last to be closed. */
    synchronized void written(LogFile f) { open.get(f); }

    /** {@code f} closed its file. */
    synchronized void closed(LogFile f) { open.remove(f); }

    synchronized int size() { return open.size(); }
}
