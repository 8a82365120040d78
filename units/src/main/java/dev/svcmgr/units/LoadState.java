package dev.svcmgr.units;

/** The {@code load} column: how the unit's definition was obtained. */
public enum LoadState {
    LOADED("loaded"), NOT_FOUND("not-found"), BAD_SETTING("bad-setting"), MASKED("masked");

    private final String word;

    LoadState(String word) { this.word = word; }

    public String word() { return word; }
}
