package dev.svcmgr.core.daemon;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocationsTest {
    static final Map<String, String> HOME_ONLY = Map.of("HOME", "/home/u");
    static final Map<String, String> XDG = Map.of("HOME", "/home/u", "XDG_STATE_HOME", "/x/state",
            "XDG_RUNTIME_DIR", "/run/user/1000");

    @Test
    void aUsersLogAndStateLiveUnderHomeWhenNoXdgVariableIsSet() {
        assertEquals(Path.of("/home/u/.local/state/svcmgr/log"), Locations.userLogDir(HOME_ONLY));
        assertEquals(Path.of("/home/u/.local/state/svcmgr"), Locations.userStateDir(HOME_ONLY));
    }

    @Test
    void xdgStateHomeAndRuntimeDirWinOverHome() {
        assertEquals(Path.of("/x/state/svcmgr/log"), Locations.userLogDir(XDG));
        assertEquals(Path.of("/x/state/svcmgr"), Locations.userStateDir(XDG));
        assertEquals(Path.of("/run/user/1000/svcmgr"), Locations.userRuntimeDir(XDG));
    }

    @Test
    void relativeOrEmptyValuesAreIgnored() {
        Map<String, String> env = Map.of("HOME", "/home/u", "XDG_STATE_HOME", "state", "XDG_RUNTIME_DIR", "");
        assertEquals(Path.of("/home/u/.local/state/svcmgr/log"), Locations.userLogDir(env));
        assertEquals(Path.of("/tmp/svcmgr-" + new UnixSystem().getUid()), Locations.userRuntimeDir(env));
        assertEquals(Path.of(System.getProperty("user.home")), Locations.home(Map.of("HOME", "")));
    }

    @Test
    void rootIsDecidedByTheNumericUid() {
        boolean root = new UnixSystem().getUid() == 0;
        assertEquals(root, Locations.isRoot());
        assertEquals(root ? Path.of("/var/log/svcmgr") : Path.of("/x/state/svcmgr/log"), Locations.logDir(XDG));
        assertEquals(root ? Path.of("/var/lib/svcmgr") : Path.of("/x/state/svcmgr"), Locations.stateDir(XDG));
        assertEquals(root ? Path.of("/run/svcmgr") : Path.of("/run/user/1000/svcmgr"), Locations.runtimeDir(XDG));
        assertEquals(Path.of("/elsewhere"), Locations.runtimeDir(Map.of("SVCMGR_RUNTIME_DIR", "/elsewhere")));
    }
}
