package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.LoaderTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.svcmgr.units.*;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir Path dir;

    @Test
    void aServiceAndATargetLoadWithTheirRelations() {
        write(dir, "db.service.yaml", "description: DB\nexec: sleep 100\nrestart: no\numask: 0027\nwanted-by: []\n");
        write(dir, "multi-user.target.yaml", "description: MU\nwants: [db.service, missing.service]\nrequires: [gone.service]\n");
        UnitSet set = load(dir);
        set.problems().forEach(System.out::println);
        Unit db = set.lookup("db.service");
        assertNotNull(db);
    }
}
