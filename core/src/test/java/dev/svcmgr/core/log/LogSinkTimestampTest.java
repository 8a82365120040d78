package dev.svcmgr.core.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-made record timestamp says what DateTimeFormatter says, to the millisecond. */
class LogSinkTimestampTest {
    @Test
    void theTimestampIsTheFormattersForEdgesAndAHundredThousandInstants() {
        Instant[] edges = {
                Instant.EPOCH, Instant.EPOCH.minusNanos(1), Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.parse("2024-02-29T12:00:00.5Z"), Instant.parse("2026-12-03T03:05:25.661999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("2100-03-01T00:00:00Z"), Instant.parse("2000-02-29T23:59:59.001Z"),
        };
        for (Instant t : edges) assertEquals(LogSink.timestampByFormatter(t), LogSink.timestamp(t), t.toString());
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-62_167_219_200L, 253_402_300_800L), r.nextInt(1_000_000_000));
            assertEquals(LogSink.timestampByFormatter(t), LogSink.timestamp(t), t.toString());
        }
    }
}
