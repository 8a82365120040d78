package dev.svcmgr.core.daemon;

import dev.svcmgr.core.loop.ManualLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuietTrimTest {
    @Test
    @DisplayName("one trim 6 s after the last of several transactions, none while they keep coming, none when idle")
    void trimsOnceWhenQuiet() {
        ManualLoop loop = new ManualLoop();
        AtomicInteger trims = new AtomicInteger();
        QuietTrim q = new QuietTrim(loop, trims::incrementAndGet);
        loop.advance(Duration.ofSeconds(60));
        assertEquals(0, trims.get(), "no transaction, no trim");
        q.activity();
        loop.advance(Duration.ofSeconds(5));
        q.activity();                                   // postpones
        loop.advance(Duration.ofMillis(5999));
        assertEquals(0, trims.get());
        loop.advance(Duration.ofMillis(1));
        assertEquals(1, trims.get(), "6 s after the last transaction");
        loop.advance(Duration.ofMinutes(10));
        assertEquals(1, trims.get(), "once, not again while idle");
        q.activity();
        loop.advance(QuietTrim.QUIET);
        assertEquals(2, trims.get());
    }
}
