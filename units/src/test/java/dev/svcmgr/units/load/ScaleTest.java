package dev.svcmgr.units.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.UnitSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading is linear enough for large systems and never recursive over units (STYLE habit 7). */
class ScaleTest {
    static final int UNITS = 5_000;

    @TempDir Path dir;

    @Test
    void aLongChainOfUnitsAndTemplateInstancesLoadsQuickly() throws IOException {
        for (int i = 0; i < UNITS; i++) {
            String body = "description: unit " + i + "\nexec: [/bin/sleep, \"60\"]\n"
                    + (i > 0 ? "requires: [u" + (i - 1) + ".service]\n" : "")
                    + "wants: [w@" + i + ".service]\n";
            Files.writeString(dir.resolve("u" + i + ".service.yaml"), body);
        }
        Files.writeString(dir.resolve("w@.service.yaml"), "exec: /bin/echo %i\n");
        long t0 = System.nanoTime();
        UnitSet set = UnitLoader.load(List.of(dir));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("scale: %d unit files + %d instances loaded in %d ms%n", UNITS, UNITS, ms);
        assertEquals(List.of(), set.problems());
        assertEquals(2 * UNITS, set.units().size());
        assertEquals(List.of("/bin/echo", "4999"), set.lookup("w@4999.service").service().exec());
        assertEquals("u4998.service", set.lookup("u4999.service").dependencies(DepKind.REQUIRES).get(0).to());
        assertTrue(ms < 30_000, "took " + ms + " ms");
    }
}
