package dev.svcmgr.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    @Test
    void durationsAcceptUnitsCombinationsBareSecondsAndInfinity() {
        assertEquals(Duration.ofMillis(100), Values.parseDuration("100ms"));
        assertEquals(Duration.ofSeconds(90), Values.parseDuration("1min 30s"));
        assertEquals(Duration.ofSeconds(90), Values.parseDuration("1min30s"));
        assertEquals(Duration.ofMinutes(2), Values.parseDuration("2m"));
        assertEquals(Duration.ofHours(1), Values.parseDuration("1h"));
        assertEquals(Duration.ofSeconds(10), Values.parseDuration("10"));
        assertEquals(Duration.ofMillis(1500), Values.parseDuration("1.5s"));
        assertEquals(Duration.ZERO, Values.parseDuration("0"));
        assertEquals(Durations.INFINITY, Values.parseDuration("infinity"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "10 parsecs", "-1s", "1s 2", "1e3s", "99999999999999999h"})
    void badDurationsSayWhatWasExpected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.parseDuration(text));
        assertEquals(false, e.getMessage().contains("\n"));
    }

    @Test
    void durationErrorMessageIsOneClearLine() {
        assertEquals("expected a duration like 100ms, 90s, 1min 30s or infinity, got '10 parsecs'",
                assertThrows(IllegalArgumentException.class, () -> Values.parseDuration("10 parsecs")).getMessage());
    }

    @Test
    void sizesAre1024Based() {
        assertEquals(512L << 20, Values.parseSize("512M"));
        assertEquals(512L << 20, Values.parseSize("512MiB"));
        assertEquals(10L << 10, Values.parseSize("10K"));
        assertEquals(1L << 30, Values.parseSize("1G"));
        assertEquals(1L << 40, Values.parseSize("1T"));
        assertEquals(4096, Values.parseSize("4096"));
        assertEquals(0, Values.parseSize("0"));
        assertEquals("expected a size like 512M, 10K, 1G or a number of bytes, got '5X'",
                assertThrows(IllegalArgumentException.class, () -> Values.parseSize("5X")).getMessage());
        assertEquals("size '99999999999T' is too large",
                assertThrows(IllegalArgumentException.class, () -> Values.parseSize("99999999999T")).getMessage());
    }

    @Test
    void signalsByNameShortNameOrNumber() {
        assertEquals(12, Values.parseSignal("SIGUSR2"));
        assertEquals(12, Values.parseSignal("USR2"));
        assertEquals(12, Values.parseSignal("12"));
        assertEquals(15, Values.parseSignal("sigterm"));
        assertEquals(34, Values.parseSignal("SIGRTMIN"));
        assertEquals(37, Values.parseSignal("SIGRTMIN+3"));
        assertEquals("SIGTERM", Values.signalName(15));
        assertEquals("SIGKILL", Values.signalName(9));
        assertEquals("SIGRTMIN+3", Values.signalName(37));
        for (int s = 1; s <= 31; s++) assertEquals(s, Values.parseSignal(Values.signalName(s)));
        assertEquals("expected a signal name like SIGTERM or USR2, or a number from 1 to 64, got 'SIGFOO'",
                assertThrows(IllegalArgumentException.class, () -> Values.parseSignal("SIGFOO")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Values.parseSignal("0"));
        assertThrows(IllegalArgumentException.class, () -> Values.parseSignal("65"));
        assertThrows(IllegalArgumentException.class, () -> Values.parseSignal("32"));
    }

    @Test
    void percentages() {
        assertEquals(50, Values.parsePercent("50%"));
        assertEquals(150, Values.parsePercent("150%"));
        assertEquals("expected a percentage like 50%, got '50'",
                assertThrows(IllegalArgumentException.class, () -> Values.parsePercent("50")).getMessage());
    }

    @Test
    void commandsSplitLikeAShellWithoutExpansion() {
        assertEquals(List.of("/bin/echo", "a b", "c", "$HOME", "it's", "x\"y", "z"),
                Values.splitCommand("/bin/echo 'a b'  c $HOME \"it's\" \"x\\\"y\" z"));
        assertEquals(List.of("a b"), Values.splitCommand("a\\ b"));
        assertEquals(List.of("", "x"), Values.splitCommand("'' x"));
        assertEquals(List.of("ab"), Values.splitCommand("a'b'"));
        assertEquals(List.of(), Values.splitCommand("   "));
        assertEquals("unterminated double quote at character 6 of the command",
                assertThrows(IllegalArgumentException.class, () -> Values.splitCommand("echo \"x")).getMessage());
        assertEquals("trailing backslash in the command",
                assertThrows(IllegalArgumentException.class, () -> Values.splitCommand("echo \\")).getMessage());
    }
}
