package dev.svcmgr.core.daemon;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.core.os.SecureFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The persistent choices of {@code enable}/{@code disable}/{@code mask}/{@code unmask},
 * kept in {@code <state-dir>/choices.json} (mode 0600) and rewritten atomically (write, fsync, rename).
 * A unit with an {@code install} section is enabled unless disabled.
 */
public final class Choices {
    private final Path file;
    private final TreeSet<String> disabled = new TreeSet<>();
    private final TreeSet<String> masked = new TreeSet<>();
    /** The boot target chosen with {@code set-default}, or null. */
    private volatile String defaultTarget;

    private Choices(Path file) { this.file = file; }

    /** Loads the choices (none when the file is missing); a damaged file is an IOException naming it. */
    public static Choices load(Path stateDir) throws IOException {
        Choices c = new Choices(stateDir.resolve("choices.json"));
        if (Files.exists(c.file)) {
            try {
                Map<String, Object> m = Json.parseObject(Files.readString(c.file, StandardCharsets.UTF_8));
                c.disabled.addAll(strings(m.get("disabled")));
                c.masked.addAll(strings(m.get("masked")));
                if (m.get("default") instanceof String t && !t.isEmpty()) c.defaultTarget = t;
            } catch (IllegalArgumentException e) {
                throw new IOException(c.file + ": " + e.getMessage());
            }
        }
        return c;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) if (x instanceof String s) out.add(s);
        return out;
    }

    public Set<String> disabled() { return Set.copyOf(disabled); }

    public Set<String> masked() { return Set.copyOf(masked); }

    public boolean isMasked(String unit) { return masked.contains(unit); }

    public boolean isDisabled(String unit) { return disabled.contains(unit); }

    /** Returns true when something changed. */
    public boolean setDisabled(String unit, boolean on) throws IOException {
        boolean changed = on ? disabled.add(unit) : disabled.remove(unit);
        if (changed) save();
        return changed;
    }

    public boolean setMasked(String unit, boolean on) throws IOException {
        boolean changed = on ? masked.add(unit) : masked.remove(unit);
        if (changed) save();
        return changed;
    }

    /** The target chosen with {@code set-default}, or null when none was. */
    public String defaultTarget() { return defaultTarget; }

    /** Returns true when something changed. */
    public boolean setDefaultTarget(String target) throws IOException {
        if (java.util.Objects.equals(target, defaultTarget)) return false;
        defaultTarget = target;
        save();
        return true;
    }

    private void save() throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("disabled", List.copyOf(disabled));
        m.put("masked", List.copyOf(masked));
        if (defaultTarget != null) m.put("default", defaultTarget);
        writeAtomically(file, Json.pretty(m) + "\n");
    }

    /**
     * Writes {@code text} to a new temporary file beside {@code target} (unpredictable name, created
     * exclusively, mode 0600 whatever the umask), syncs it, and renames it over the target
     * ({@link SecureFiles#writeAtomically}). A missing parent directory is made with mode 0700.
     */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            SecureFiles.privateSubdir(dir, SecureFiles.PRIVATE_DIR);
        }
        SecureFiles.writeAtomically(target, text.getBytes(StandardCharsets.UTF_8), SecureFiles.PRIVATE_FILE, true);
    }
}
