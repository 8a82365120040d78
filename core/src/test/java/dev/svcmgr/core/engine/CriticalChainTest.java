package dev.svcmgr.core.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CriticalChainTest {
    private static CriticalChain.Job job(String u, Long s, Long e, String... after) {
        return new CriticalChain.Job(u, s, e, List.of(after));
    }

    @Test
    void followsTheWaitThatEndedLastAtEachStep() {
        List<CriticalChain.Job> jobs = List.of(
                job("db", 0L, 4000L),
                job("cache", 0L, 500L),
                job("api", 4000L, 4300L, "cache", "db"),
                job("web", 4300L, 4400L, "api"),
                job("log", 0L, 100L));
        assertEquals("web", CriticalChain.last(jobs));
        assertEquals(List.of(new CriticalChain.Link("web", 4400, 100), new CriticalChain.Link("api", 4300, 300),
                new CriticalChain.Link("db", 4000, 4000)), CriticalChain.from("web", jobs));
        assertEquals(List.of(new CriticalChain.Link("cache", 500, 500)), CriticalChain.from("cache", jobs));
    }

    @Test
    void jobsThatNeverEndedAreNotFollowedAndUnknownUnitsGiveNothing() {
        List<CriticalChain.Job> jobs = List.of(job("db", 0L, null), job("api", null, 90_000L, "db"));
        assertEquals(List.of(new CriticalChain.Link("api", 90_000, 0)), CriticalChain.from("api", jobs));
        assertEquals(List.of(), CriticalChain.from("nope", jobs));
        assertNull(CriticalChain.last(List.of(job("db", 0L, null))));
    }
}
