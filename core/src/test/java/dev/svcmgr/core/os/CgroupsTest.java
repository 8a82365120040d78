package dev.svcmgr.core.os;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CgroupsTest {
    static final List<String> HYBRID = List.of(
            "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    static final List<String> PURE = List.of(
            "25 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate");

    @Test
    void theHybridLayoutFindsV2UnderUnifiedAndTheV1PidsHierarchy() {
        var self = List.of("8:pids:/", "4:memory:/x", "0::/");
        assertEquals(Path.of("/sys/fs/cgroup/unified"), Cgroups.v2(HYBRID, self).own());
        assertEquals(Path.of("/sys/fs/cgroup/pids"), Cgroups.v1(HYBRID, self, "pids").own());
    }

    @Test
    void thePureV2LayoutFindsTheManagersOwnCgroup() {
        var self = List.of("0::/system.slice/svcmgr.service");
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/svcmgr.service"), Cgroups.v2(PURE, self).own());
        assertNull(Cgroups.v1(PURE, self, "pids"));
    }

    @Test
    void noV2MountMeansNoV2Hierarchy() {
        assertNull(Cgroups.v2(List.of(HYBRID.get(0), HYBRID.get(1)), List.of("0::/")));
        assertNull(Cgroups.v2(HYBRID, List.of("8:pids:/")));
    }
}
