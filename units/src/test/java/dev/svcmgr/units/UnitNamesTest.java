package dev.svcmgr.units;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitNamesTest {
    @Test
    @DisplayName("a glob pattern is kept as typed (no .service added); names and patterns are told apart")
    void globsAreKeptAsTyped() {
        assertEquals("redis.service", UnitNames.fromUser("redis"));
        assertEquals("worker@*", UnitNames.fromUser("worker@*"));
        assertEquals("web*.service", UnitNames.fromUser("web*.service"));
        assertTrue(UnitNames.isGlob("worker@*"));
        assertTrue(UnitNames.isGlob("a?.service"));
        assertTrue(UnitNames.isGlob("[ab].target"));
        assertFalse(UnitNames.isGlob("redis.service"));
        assertFalse(UnitNames.isGlob("../*"), "a slash is never part of a pattern");
        assertFalse(UnitNames.isGlob(".*"), "nor a leading dot");
        assertFalse(UnitNames.isGlob("a b*"));
    }

    @Test
    @DisplayName("matching: *, ?, [..] with ranges and negation, as fnmatch")
    void matching() {
        assertTrue(UnitNames.matches("worker@*", "worker@1.service"));
        assertTrue(UnitNames.matches("worker@*", "worker@.timer"));
        assertFalse(UnitNames.matches("worker@*", "web.service"));
        assertTrue(UnitNames.matches("*", "x.service"));
        assertTrue(UnitNames.matches("a*b*c.service", "axxbyyc.service"));
        assertFalse(UnitNames.matches("a*b*c.service", "axxbyy.service"));
        assertTrue(UnitNames.matches("w?.service", "w1.service"));
        assertFalse(UnitNames.matches("w?.service", "w12.service"));
        assertTrue(UnitNames.matches("w[0-9].service", "w7.service"));
        assertFalse(UnitNames.matches("w[0-9].service", "wa.service"));
        assertTrue(UnitNames.matches("w[!0-9].service", "wa.service"));
        assertFalse(UnitNames.matches("w[^0-9].service", "w3.service"));
        assertTrue(UnitNames.matches("w[ab].service", "wb.service"));
        assertTrue(UnitNames.matches("w[.service", "w[.service"), "an unclosed bracket is literal");
        assertTrue(UnitNames.matches("**.service", "x.service"));
    }
}
