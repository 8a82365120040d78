package dev.svcmgr.units;

import java.util.List;

/** All must hold at start time, else the unit is skipped (inactive, result {@code condition}). */
public record Conditions(List<String> pathExists, List<String> pathExistsNot, List<String> fileNotEmpty, List<String> env) {
    public static final Conditions NONE = new Conditions(List.of(), List.of(), List.of(), List.of());

    public boolean isEmpty() {
        return pathExists.isEmpty() && pathExistsNot.isEmpty() && fileNotEmpty.isEmpty() && env.isEmpty();
    }
}
