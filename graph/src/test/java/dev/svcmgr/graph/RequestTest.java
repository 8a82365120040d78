package dev.svcmgr.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTest {
    @Test
    void aShortRequestIsToldWhole() {
        assertEquals("isolate rescue.target", Request.of(Request.Verb.ISOLATE, "rescue.target").describe());
        assertEquals("try-restart a.service b.service", Request.of(Request.Verb.TRY_RESTART, "a.service", "b.service").describe());
        List<String> eight = new ArrayList<>();
        for (int i = 1; i <= 8; i++) eight.add("s" + i + ".service");
        assertEquals("stop " + String.join(" ", eight), new Request(Request.Verb.STOP, eight, JobMode.REPLACE, false).describe());
        assertEquals("stop " + String.join(" ", eight), new Request(Request.Verb.STOP, eight, JobMode.REPLACE, false).abbreviated());
    }

    @Test
    void aLongRequestIsAbbreviatedToItsFirstUnitsAndACount() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) many.add("s" + i + ".service");
        Request r = new Request(Request.Verb.STOP, many, JobMode.REPLACE, true);
        assertEquals("stop s1.service s2.service s3.service s4.service s5.service s6.service s7.service s8.service and 992 more",
                r.abbreviated());
        assertEquals("stop " + String.join(" ", many), r.describe(), "plans and errors name every unit");
    }
}
