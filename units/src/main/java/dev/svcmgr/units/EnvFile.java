package dev.svcmgr.units;

/** An {@code environment-file}: KEY=value lines; {@code optional} for a leading {@code -}. */
public record EnvFile(String path, boolean optional) {}
