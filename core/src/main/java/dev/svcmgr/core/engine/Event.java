package dev.svcmgr.core.engine;

import java.time.Instant;

/**
 * One state change, numbered. Sequence numbers are consecutive from 1.
 *
 * @param seq    sequence number
 * @param time   when it happened
 * @param unit   the unit
 * @param active new active state word
 * @param sub    new sub state word
 * @param result result word or null
 */
public record Event(long seq, Instant time, String unit, String active, String sub, String result) {}
