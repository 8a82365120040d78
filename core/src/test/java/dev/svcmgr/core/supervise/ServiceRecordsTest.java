package dev.svcmgr.core.supervise;

import dev.svcmgr.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The records journal on real files: replay, removal, compaction, the files of earlier versions, torn lines, a swapped journal. */
class ServiceRecordsTest {
    private Path base;
    private Path dir;
    private final List<String> problems = new ArrayList<>();
    private ServiceRecords records;

    @BeforeEach
    void setUp() throws Exception {
        base = Files.createTempDirectory("svcmgr-records");
        dir = base.resolve("services");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (records != null) records.close();
        try (var s = Files.walk(base)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static ServiceRecords.Rec rec(String unit, String state, int restarts) {
        return new ServiceRecords.Rec(unit, state, "success", null, null, -1, null, Instant.ofEpochMilli(1_000), restarts, 0, false,
                null, List.of());
    }

    private ServiceRecords open(Map<String, ServiceRecords.Rec> existing) {
        records = new ServiceRecords(dir, existing, pid -> -1, problems::add);
        return records;
    }

    private Path journal() { return dir.resolve(ServiceRecords.JOURNAL); }

    @Test
    void aRecordsLineIsTheJsonOfItsMapAndReadsBackTheSame() {
        List<ServiceRecords.Rec> recs = List.of(
                rec("a.service", "RUNNING", 0),
                new ServiceRecords.Rec("b\"\\\n\u00e9\u2028.service", "AUTO_RESTART", "exit-code", "exited with status 3 \"x\"\t",
                        4242, 123456789L, 77, Instant.ofEpochMilli(1_700_000_000_123L), 5, 2, true, "STATUS=\u0001 ok",
                        List.of(new Failure(Instant.ofEpochMilli(1), dev.svcmgr.core.engine.Result.EXIT_CODE, "exited with status 1"),
                                new Failure(Instant.ofEpochMilli(2), dev.svcmgr.core.engine.Result.SIGNAL, "killed by signal SIGKILL"))));
        for (ServiceRecords.Rec r : recs) {
            StringBuilder b = new StringBuilder();
            r.appendJson(b);
            assertEquals(Json.parseObject(Json.write(r.toJson())), Json.parseObject(b.toString()), b.toString());
            assertEquals(r, ServiceRecords.Rec.fromJson(Json.parseObject(b.toString())).withMainStart(r.mainStart()));
        }
    }

    @Test
    void recordsAreReplayedTheLastOfAUnitWinningAndRemovalsForget() throws Exception {
        ServiceRecords r = open(Map.of());
        r.put(rec("a.service", "RUNNING", 0));
        r.put(rec("b.service", "RUNNING", 0));
        r.flush(5000);
        r.put(rec("a.service", "FAILED", 3));
        r.flush(5000);
        r.remove("b.service");
        r.flush(5000);
        Map<String, ServiceRecords.Rec> read = ServiceRecords.read(dir);
        assertEquals(Map.of("a.service", rec("a.service", "FAILED", 3)), read);
        List<String> lines = Files.readAllLines(journal());
        assertEquals("{\"unit\":\"b.service\",\"removed\":true}", lines.get(lines.size() - 1), "the removal is appended, not rewritten: " + lines);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void theJournalIsCompactedSoItsSizeStaysBounded() throws Exception {
        ServiceRecords r = open(Map.of());
        for (int i = 0; i < 3000; i++) {
            r.put(rec("u" + (i % 10) + ".service", i % 2 == 0 ? "RUNNING" : "STOPPING", i));
            if (i % 7 == 0) r.flush(5000);
        }
        r.flush(5000);
        long size = Files.size(journal());
        assertTrue(size < 3 * ServiceRecords.COMPACT_AT_LEAST, "the journal holds " + size + " bytes for 10 live records");
        Map<String, ServiceRecords.Rec> read = ServiceRecords.read(dir);
        assertEquals(10, read.size());
        assertEquals(rec("u9.service", "STOPPING", 2999), read.get("u9.service"));
    }

    @Test
    void theFilesOfEarlierVersionsAreReadThenFoldedIntoTheJournal() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("old.service.json"), Json.write(rec("old.service", "RUNNING", 2).toJson()));
        Files.writeString(dir.resolve("gone.service.json"), Json.write(rec("gone.service", "RUNNING", 0).toJson()));
        Map<String, ServiceRecords.Rec> before = ServiceRecords.read(dir);
        assertEquals(2, before.size());
        ServiceRecords r = open(before);
        r.put(rec("new.service", "RUNNING", 0));
        r.flush(5000);
        assertFalse(Files.exists(dir.resolve("old.service.json")));
        assertEquals(Map.of("old.service", rec("old.service", "RUNNING", 2), "gone.service", rec("gone.service", "RUNNING", 0),
                "new.service", rec("new.service", "RUNNING", 0)), ServiceRecords.read(dir), "records nobody claimed are kept");
    }

    @Test
    void aTornLastLineIsSkipped() throws Exception {
        ServiceRecords r = open(Map.of());
        r.put(rec("a.service", "RUNNING", 0));
        r.flush(5000);
        r.close();
        records = null;
        Files.writeString(journal(), "{\"unit\":\"a.service\",\"state\":\"DE", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Map.of("a.service", rec("a.service", "RUNNING", 0)), ServiceRecords.read(dir));
    }

    @Test
    void aJournalSwappedForASymlinkIsReplacedNeverWrittenThrough() throws Exception {
        ServiceRecords r = open(Map.of());
        r.put(rec("a.service", "RUNNING", 0));
        r.flush(5000);
        r.put(rec("a.service", "RUNNING", 1));
        r.flush(5000); // an append: the journal is open
        Path victim = Files.writeString(base.resolve("victim"), "untouched\n");
        Files.delete(journal());
        Files.createSymbolicLink(journal(), victim);
        r.put(rec("a.service", "RUNNING", 2));
        r.flush(5000);
        assertEquals("untouched\n", Files.readString(victim));
        assertTrue(Files.isRegularFile(journal(), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Map.of("a.service", rec("a.service", "RUNNING", 2)), ServiceRecords.read(dir));
    }
}
