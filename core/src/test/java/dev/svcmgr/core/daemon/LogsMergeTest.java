package dev.svcmgr.core.daemon;

import dev.svcmgr.core.protocol.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogsMergeTest {
    private static List<String> merged(List<String> units, List<List<String>> records) {
        return Logs.merge(units, records).stream().map(l -> l.unit() + " " + l.line()).toList();
    }

    @Test
    @DisplayName("merged by time; each unit's records keep their order; a tie goes to the unit named first; an untimed line keeps its predecessor's time")
    void merge() {
        List<String> a = List.of("2026-12-02T10:00:01.000Z stdout a1", "untimed", "2026-12-02T10:00:03.000Z stdout a3");
        List<String> b = List.of("2026-12-02T10:00:00.500Z stdout b0", "2026-12-02T10:00:01.000Z stdout b1",
                "2026-12-02T10:00:02.000Z stdout b2");
        assertEquals(List.of(
                "b.service 2026-12-02T10:00:00.500Z stdout b0",
                "a.service 2026-12-02T10:00:01.000Z stdout a1",
                "a.service untimed",
                "b.service 2026-12-02T10:00:01.000Z stdout b1",
                "b.service 2026-12-02T10:00:02.000Z stdout b2",
                "a.service 2026-12-02T10:00:03.000Z stdout a3"), merged(List.of("a.service", "b.service"), List.of(a, b)));
        assertEquals(List.of(), merged(List.of("a.service"), List.of(List.of())));
        assertEquals(new Reply.LogLine("x", "a.service"), Logs.merge(List.of("a.service"), List.of(List.of("x"))).get(0));
    }
}
