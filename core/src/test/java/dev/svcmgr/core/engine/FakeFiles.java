package dev.svcmgr.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A file system for conditions made of a map: path to size in bytes, a directory as -1. Empty at first. */
final class FakeFiles implements FileProbe {
    private final Map<String, Long> entries = new ConcurrentHashMap<>();

    /** A regular file of {@code size} bytes at {@code path}. */
    FakeFiles file(String path, long size) {
        entries.put(path, size);
        return this;
    }

    /** A directory at {@code path}. */
    FakeFiles directory(String path) {
        entries.put(path, -1L);
        return this;
    }

    void remove(String path) { entries.remove(path); }

    @Override
    public boolean exists(String path) { return entries.containsKey(path); }

    @Override
    public boolean isNonEmptyFile(String path) { return entries.getOrDefault(path, 0L) > 0; }

    @Override
    public boolean isNonEmptyDirectory(String path) {
        if (entries.getOrDefault(path, 0L) != -1L) return false;
        String prefix = path.endsWith("/") ? path : path + "/";
        return entries.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }
}
