package dev.svcmgr.core.supervise;

import dev.svcmgr.core.engine.Result;

import java.time.Instant;

/**
 * One failure of a service, kept for {@code status}.
 *
 * @param time   when it happened
 * @param result the result word
 * @param detail e.g. {@code exited with status 1}
 */
public record Failure(Instant time, Result result, String detail) {}
