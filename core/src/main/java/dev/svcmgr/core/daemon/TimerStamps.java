package dev.svcmgr.core.daemon;

import dev.svcmgr.core.engine.TimerStore;
import dev.svcmgr.core.os.SecureFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * The timers' last trigger times in the state directory, one file per timer ({@code timers/<unit>},
 * holding an ISO instant; systemd keeps {@code stamp-<unit>} files for the same purpose), so that
 * {@code persistent: true} survives a manager restart and a reboot. A file that cannot be read
 * counts as no trigger; one that cannot be written is said once, and the timer goes on.
 */
final class TimerStamps implements TimerStore {
    private final Path dir;
    private final Consumer<String> problems;
    private boolean said;

    TimerStamps(Path dir, Consumer<String> problems) {
        this.dir = dir;
        this.problems = problems;
    }

    @Override
    public Instant last(String timer) {
        try {
            return Instant.parse(Files.readString(dir.resolve(timer), StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void save(String timer, Instant at) {
        try {
            SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
            SecureFiles.writeAtomically(dir.resolve(timer), (at + "\n").getBytes(StandardCharsets.UTF_8),
                    SecureFiles.PRIVATE_FILE, false);
            said = false;
        } catch (IOException | RuntimeException e) {
            if (!said) problems.accept("cannot keep the last trigger of " + timer + " in " + dir + ": " + e.getMessage()
                    + " (persistent: an elapse missed while the manager is down may not run)");
            said = true;
        }
    }
}
