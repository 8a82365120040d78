package dev.svcmgr.units;

import java.util.List;

/**
 * A path unit's settings (units.md "Paths"): what it watches and what an event does to its service.
 * Each list may be empty, but a path unit watches at least one path.
 *
 * @param pathExists        activates while one of these exists
 * @param pathChanged       on a write that is closed, a rename onto it, its creation or removal
 * @param pathModified      as {@code pathChanged}, and on every write
 * @param directoryNotEmpty activates while one of these directories holds an entry
 * @param service           the unit an event acts on
 * @param action            what an event does to it
 */
public record PathConfig(List<String> pathExists, List<String> pathChanged, List<String> pathModified,
                         List<String> directoryNotEmpty, String service, Action action) {
    /** What an event does to the service. */
    public enum Action {
        /** Starts it (nothing when it runs). */
        START("start"),
        /** Restarts it when it runs, starts it when it does not. */
        RESTART("restart"),
        /** Reloads it when it runs, starts it when it does not. */
        RELOAD("reload");

        private final String word;

        Action(String word) { this.word = word; }

        public String word() { return word; }
    }

    public PathConfig {
        pathExists = List.copyOf(pathExists);
        pathChanged = List.copyOf(pathChanged);
        pathModified = List.copyOf(pathModified);
        directoryNotEmpty = List.copyOf(directoryNotEmpty);
    }
}
