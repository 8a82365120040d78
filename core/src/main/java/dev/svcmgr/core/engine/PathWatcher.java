package dev.svcmgr.core.engine;

/**
 * The engine's port to file-system events, for path units (units.md "Paths"). The daemon's is
 * inotify (core.os {@code PathWatch}); engine tests fire events by hand.
 */
public interface PathWatcher {
    /** Reports of one watched path: {@code write} is true for a plain write (not closed, not a rename). Any thread. */
    @FunctionalInterface
    interface Listener {
        void changed(boolean write);
    }

    /** A watch; closing it stops its reports. */
    interface Handle {
        void close();
    }

    /** Watches {@code path} (absolute; a directory when it ends in '/' or names one): its creation, writes, replacement, removal. */
    Handle watch(String path, Listener listener);

    /** Watches nothing (a manager without a watcher: path units then only look at their paths when started). */
    PathWatcher NONE = (path, l) -> () -> { };
}
