package dev.svcmgr.units.load;

import static dev.svcmgr.units.load.LoaderTestSupport.load;
import static dev.svcmgr.units.load.LoaderTestSupport.messages;
import static dev.svcmgr.units.load.LoaderTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.svcmgr.units.DepKind;
import dev.svcmgr.units.Dependency;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.RestartPolicy;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence, drop-ins, templates and aliases over real directories and symlinks. */
class DirectoriesTest {
    @TempDir Path dir;
    @TempDir Path low;

    private static List<String> deps(Unit u, DepKind k) { return u.dependencies(k).stream().map(Dependency::to).toList(); }

    @Nested
    class Defaults {
        @Test
        void aUsersUnitDirectoryFollowsXdgConfigHomeElseHome() {
            assertEquals(Path.of("/x/cfg/svcmgr/units"),
                    UnitLoader.userDir(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/u")));
            assertEquals(Path.of("/home/u/.config/svcmgr/units"), UnitLoader.userDir(Map.of("HOME", "/home/u")));
            // a relative XDG value is ignored, as the XDG base directory specification says
            assertEquals(Path.of("/home/u/.config/svcmgr/units"),
                    UnitLoader.userDir(Map.of("XDG_CONFIG_HOME", "cfg", "HOME", "/home/u")));
            assertEquals(Path.of(System.getProperty("user.home"), ".config/svcmgr/units"), UnitLoader.userDir(Map.of()));
        }
    }

    @Nested
    class Precedence {
        @Test
        void theFirstDirectoryWithAFileOfThatNameWins() {
            write(dir, "a.service.yaml", "description: high\nexec: /bin/true\n");
            write(low, "a.service.yaml", "description: low\nexec: /bin/false\n");
            write(low, "b.service.yaml", "description: only low\nexec: /bin/true\n");
            UnitSet set = load(dir, low);
            assertEquals("high", set.lookup("a.service").description());
            assertEquals(dir.resolve("a.service.yaml").toString(), set.lookup("a.service").fragmentPath());
            assertEquals("only low", set.lookup("b.service").description());
        }

        @Test
        void aShadowedBadFileIsNotReadAtAll() {
            write(dir, "a.service.yaml", "exec: /bin/true\n");
            write(low, "a.service.yaml", "restat: broken\n");
            assertEquals(List.of(), messages(load(dir, low)));
        }

        @Test
        void missingDirectoriesAreSkipped() {
            write(low, "a.service.yaml", "exec: /bin/true\n");
            UnitSet set = load(dir.resolve("absent"), low);
            assertNotNull(set.lookup("a.service"));
            assertEquals(List.of(dir.resolve("absent").toString(), low.toString()), set.dirs());
        }
    }

    @Nested
    class DropIns {
        @Test
        void scalarsReplaceListsAppendAndMapsMergeKeyByKey() {
            write(dir, "a.service.yaml", """
                    exec: /bin/true
                    restart: always
                    after: [x.service]
                    environment: {A: "1", B: "2"}
                    limits: {memory: 1M}
                    """);
            write(dir, "a.service.d/10-more.yaml", """
                    restart: no
                    after: [y.service]
                    environment: {B: "20", C: "3"}
                    limits: {pids: 10}
                    """);
            UnitSet set = load(dir);
            Unit u = set.lookup("a.service");
            assertEquals(RestartPolicy.NO, u.service().restart());
            assertEquals(List.of("x.service", "y.service"), deps(u, DepKind.AFTER));
            assertEquals(Map.of("A", "1", "B", "20", "C", "3"), u.service().environment());
            assertEquals(1L << 20, u.service().limits().memory());
            assertEquals(10L, u.service().limits().pids());
            assertEquals(List.of(dir.resolve("a.service.d/10-more.yaml").toString()), u.dropIns());
        }

        @Test
        void anExplicitEmptyListResetsBeforeAppending() {
            write(dir, "a.service.yaml", "exec: /bin/true\nafter: [x.service, y.service]\n");
            write(dir, "a.service.d/10-reset.yaml", "after: []\n");
            write(dir, "a.service.d/20-add.yaml", "after: [z.service]\n");
            assertEquals(List.of("z.service"), deps(load(dir).lookup("a.service"), DepKind.AFTER));
        }

        @Test
        void dropInsMergeInByteOrderOfTheirNames() {
            write(dir, "a.service.yaml", "exec: /bin/true\n");
            write(dir, "a.service.d/9-x.yaml", "description: nine\n");
            write(dir, "a.service.d/30-y.yaml", "description: thirty\n");
            Unit u = load(dir).lookup("a.service");
            assertEquals("nine", u.description(), "30-y.yaml sorts before 9-x.yaml, so 9-x.yaml is merged last");
            assertEquals(List.of(dir.resolve("a.service.d/30-y.yaml").toString(), dir.resolve("a.service.d/9-x.yaml").toString()), u.dropIns());
        }

        @Test
        void theSameDropInNameInTwoDirectoriesTakesTheHigherPrecedenceOne() {
            write(low, "a.service.yaml", "exec: /bin/true\n");
            write(dir, "a.service.d/50-x.yaml", "description: high\n");
            write(low, "a.service.d/50-x.yaml", "description: low\n");
            write(low, "a.service.d/60-y.yaml", "timeout-stop: 3s\n");
            Unit u = load(dir, low).lookup("a.service");
            assertEquals("high", u.description());
            assertEquals(3, u.service().timeoutStop().toSeconds());
            assertEquals(List.of(dir.resolve("a.service.d/50-x.yaml").toString(), low.resolve("a.service.d/60-y.yaml").toString()), u.dropIns());
        }

        @Test
        void aBadDropInMakesTheUnitBadWithTheDropInsPosition() {
            write(dir, "a.service.yaml", "exec: /bin/true\n");
            write(dir, "a.service.d/10-bad.yaml", "\nrestart: sometimes\n");
            UnitSet set = load(dir);
            assertEquals(LoadState.BAD_SETTING, set.lookup("a.service").load());
            assertEquals(List.of(dir.resolve("a.service.d/10-bad.yaml") + ":2:10: error: restart: expected one of no, on-failure, on-abnormal, always, got 'sometimes'"),
                    messages(set));
        }

        @Test
        void aReplacedValueIsStillChecked() {
            write(dir, "a.service.yaml", "exec: /bin/true\nrestart: sometimes\n");
            write(dir, "a.service.d/10-fix.yaml", "restart: no\n");
            assertEquals(LoadState.BAD_SETTING, load(dir).lookup("a.service").load());
        }

        @Test
        void anEmptyScalarResetsToTheDefault() {
            write(dir, "a.service.yaml", "exec: /bin/true\ntimeout-stop: 3s\n");
            write(dir, "a.service.d/10-reset.yaml", "timeout-stop:\n");
            assertEquals(10, load(dir).lookup("a.service").service().timeoutStop().toSeconds());
        }

        @Test
        void dropInsOfAnAliasNameAreIgnoredWithAWarning() throws Exception {
            write(dir, "multi-user.target.yaml", "description: MU\n");
            Files.createSymbolicLink(dir.resolve("default.target.yaml"), Path.of("multi-user.target.yaml"));
            write(dir, "default.target.d/10-x.yaml", "description: changed\n");
            Files.createDirectories(dir.resolve("empty.service.d"));
            UnitSet set = load(dir);
            assertEquals(List.of(dir.resolve("default.target.d") + ": warning: drop-in directory for 'default.target', which is an alias of"
                    + " multi-user.target; ignored (put drop-ins in multi-user.target.d)"), messages(set));
            assertEquals("MU", set.lookup("default.target").description());
        }

        @Test
        void aDropInDirectoryWithoutAUnitIsAWarning() {
            write(dir, "ghost.service.d/10-x.yaml", "description: x\n");
            assertEquals(List.of(dir.resolve("ghost.service.d") + ": warning: drop-in directory for 'ghost.service', but no unit file ghost.service.yaml; ignored"),
                    messages(load(dir)));
        }
    }

    @Nested
    class Templates {
        @Test
        void specifiersExpandInInstancesReferencedAnywhere() {
            write(dir, "getty@.service.yaml", """
                    description: Getty on %i (%n, %N, 100%%)
                    exec: ["/sbin/agetty", "%i"]
                    after: [setup@%i.service]
                    """);
            write(dir, "setup@.service.yaml", "type: oneshot\nexec: /bin/echo %i\n");
            write(dir, "multi-user.target.yaml", "wants: [getty@tty1.service]\n");
            UnitSet set = load(dir);
            assertEquals(List.of(), messages(set));
            Unit g = set.units().get("getty@tty1.service");
            assertNotNull(g, "instances named by a relation are in the set");
            assertEquals("Getty on tty1 (getty@tty1.service, getty@tty1, 100%)", g.description());
            assertEquals(List.of("/sbin/agetty", "tty1"), g.service().exec());
            assertNotNull(set.units().get("setup@tty1.service"), "and so are the instances they name");
            assertEquals(List.of("/bin/echo", "tty1"), set.units().get("setup@tty1.service").service().exec());
            assertNull(set.units().get("getty@.service"), "the template itself is not a unit");
            assertEquals(dir.resolve("getty@.service.yaml").toString(), g.fragmentPath());
        }

        @Test
        void instancesAreMadeOnDemandByLookup() {
            write(dir, "getty@.service.yaml", "exec: /sbin/agetty %i\n");
            UnitSet set = load(dir);
            Unit u = set.lookup("getty@tty9.service");
            assertEquals(List.of("/sbin/agetty", "tty9"), u.service().exec());
            assertNull(set.lookup("nope@tty9.service"));
        }

        @Test
        void doublePercentIsALiteralPercent() {
            write(dir, "t@.service.yaml", "exec: /bin/echo %%i\n");
            assertEquals(List.of("/bin/echo", "%i"), load(dir).lookup("t@x.service").service().exec());
        }

        @Test
        void templateDropInsApplyToInstancesAndInstanceDropInsComeOnTop() {
            write(dir, "t@.service.yaml", "exec: /bin/true\ndescription: base\n");
            write(dir, "t@.service.d/10-a.yaml", "description: template drop-in %i\n");
            write(dir, "t@x.service.d/20-b.yaml", "timeout-stop: 2s\n");
            UnitSet set = load(dir);
            Unit x = set.lookup("t@x.service");
            assertEquals("template drop-in x", x.description());
            assertEquals(2, x.service().timeoutStop().toSeconds());
            assertEquals(10, set.lookup("t@y.service").service().timeoutStop().toSeconds());
        }

        @Test
        void anInstanceFileOverridesTheTemplate() {
            write(dir, "t@.service.yaml", "exec: /bin/true\ndescription: template\n");
            write(dir, "t@special.service.yaml", "exec: /bin/true\ndescription: special\n");
            UnitSet set = load(dir);
            assertEquals("special", set.lookup("t@special.service").description());
            assertEquals("template", set.lookup("t@other.service").description());
        }
    }

    @Nested
    class Aliases {
        @Test
        void aSymlinkIsAnotherNameOfTheUnit() throws Exception {
            write(dir, "multi-user.target.yaml", "description: MU\n");
            Files.createSymbolicLink(dir.resolve("default.target.yaml"), Path.of("multi-user.target.yaml"));
            UnitSet set = load(dir);
            assertEquals(List.of(), messages(set));
            assertEquals("multi-user.target", set.canonical("default.target"));
            assertEquals("MU", set.lookup("default.target").description());
            assertEquals(List.of("default.target"), set.lookup("multi-user.target").aliases());
            assertNull(set.units().get("default.target"), "an alias is not a second unit");
        }

        @Test
        void aSymlinkInAHigherDirectoryCanAliasAUnitOfALowerOne() throws Exception {
            write(low, "multi-user.target.yaml", "description: MU\n");
            Files.createSymbolicLink(dir.resolve("default.target.yaml"), low.resolve("multi-user.target.yaml"));
            assertEquals("multi-user.target", load(dir, low).canonical("default.target"));
        }

        @Test
        void theAliasesKeyAddsNames() {
            write(dir, "redis.service.yaml", "exec: /bin/true\naliases: [kv.service]\n");
            write(dir, "app.service.yaml", "exec: /bin/true\nrequires: [kv.service]\n");
            UnitSet set = load(dir);
            assertEquals(List.of(), messages(set));
            assertEquals("redis.service", set.canonical("kv.service"));
            assertEquals("redis.service", set.lookup("kv.service").name());
        }

        @Test
        void anAliasThatIsAlreadyAUnitIsAnError() {
            write(dir, "a.service.yaml", "exec: /bin/true\naliases: [b.service]\n");
            write(dir, "b.service.yaml", "exec: /bin/true\n");
            assertEquals(List.of(dir.resolve("a.service.yaml") + ":2:11: error: aliases: 'b.service' is already the name of a unit"),
                    messages(load(dir)));
        }

        @Test
        void anAliasOfAnotherTypeIsAnError() {
            write(dir, "a.service.yaml", "exec: /bin/true\naliases: [b.target]\n");
            assertEquals(List.of(dir.resolve("a.service.yaml") + ":2:11: error: aliases: an alias must have the same type as the unit (.service), got 'b.target'"),
                    messages(load(dir)));
        }

        @Test
        void aSymlinkToDevNullMasksTheName() throws Exception {
            write(low, "a.service.yaml", "exec: /bin/true\n");
            Files.createSymbolicLink(dir.resolve("a.service.yaml"), Path.of("/dev/null"));
            Unit u = load(dir, low).lookup("a.service");
            assertEquals(LoadState.MASKED, u.load());
            assertNull(u.service());
        }

        @Test
        void aBrokenSymlinkIsAnError() throws Exception {
            Files.createSymbolicLink(dir.resolve("a.service.yaml"), dir.resolve("nowhere.service.yaml"));
            assertEquals(List.of(dir.resolve("a.service.yaml") + ": error: broken symlink (no such file)"), messages(load(dir)));
        }

        @Test
        void aSymlinkLoopIsAnError() throws Exception {
            Files.createSymbolicLink(dir.resolve("a.service.yaml"), Path.of("b.service.yaml"));
            Files.createSymbolicLink(dir.resolve("b.service.yaml"), Path.of("a.service.yaml"));
            assertEquals(List.of(dir.resolve("a.service.yaml") + ": error: broken symlink (too many levels of symbolic links)",
                    dir.resolve("b.service.yaml") + ": error: broken symlink (too many levels of symbolic links)"), messages(load(dir)));
        }

        @Test
        void aProvidedNameThatIsAUnitNameIsIgnoredWithAWarning() {
            write(dir, "a.service.yaml", "exec: /bin/true\nprovides: [b.service]\n");
            write(dir, "b.service.yaml", "exec: /bin/true\n");
            UnitSet set = load(dir);
            assertEquals(List.of(dir.resolve("a.service.yaml") + ":2:12: warning: provides: 'b.service' is the name of a unit; the unit is used, not this provider"),
                    messages(set));
            assertEquals("b.service", set.canonical("b.service"));
        }

        @Test
        void providedNamesResolveToTheirProviders() {
            write(dir, "pg.service.yaml", "exec: /bin/true\nprovides: [sql-database]\n");
            write(dir, "app.service.yaml", "exec: /bin/true\nrequires: [sql-database]\n");
            UnitSet set = load(dir);
            assertEquals(List.of(), messages(set));
            assertEquals(Map.of("sql-database", List.of("pg.service")), set.providers());
            assertEquals("pg.service", set.lookup("sql-database").name());
        }
    }

    @Test
    void installEdgesInstantiateAndWarnWhenUnresolved() {
        write(dir, "a.service.yaml", "exec: /bin/true\ninstall:\n  wanted-by: [nowhere.target]\n");
        UnitSet set = load(dir);
        assertEquals(List.of(dir.resolve("a.service.yaml")
                + ":3:15: warning: install.wanted-by: unit 'nowhere.target' not found (no unit file defines it and no unit provides it); ignored"), messages(set));
        assertTrue(set.units().containsKey("nowhere.target"), "the set is closed over every name mentioned");
    }

    @Test
    void loadingIsDeterministic() {
        write(dir, "b.service.yaml", "exec: /bin/true\nrestat: x\nwants: [z.service, y.service]\n");
        write(dir, "a.service.yaml", "exec: /bin/true\nrequires: [q.service]\nprovides: [v]\n");
        write(dir, "c.service.yaml", "exec: /bin/true\nprovides: [v]\n");
        UnitSet one = load(dir, Path.of("../examples/units"));
        UnitSet two = load(dir, Path.of("../examples/units"));
        assertEquals(one.units(), two.units());
        assertEquals(one.problems(), two.problems());
        assertEquals(one.providers(), two.providers());
        assertEquals(List.of("a.service", "c.service"), one.providers().get("v"));
        assertEquals("a.service", one.canonical("v"), "ties are broken by name");
    }

    @Test
    void theExampleSystemLoadsWithoutErrorsOrWarnings() {
        UnitSet set = load(Path.of("../examples/units"));
        assertEquals(List.of(), messages(set));
        assertEquals("multi-user.target", set.canonical("default.target"));
        for (String t : List.of("sysinit", "basic", "network", "multi-user", "graphical", "rescue", "shutdown", "poweroff", "reboot", "halt"))
            assertEquals(LoadState.LOADED, set.lookup(t + ".target").load(), t);
        assertTrue(set.units().values().stream().filter(u -> u.service() != null).count() >= 10);
        UnitSet real = load(Path.of("../examples/units/real"));
        assertTrue(real.errors().isEmpty(), real.errors().toString());
        assertEquals(4, real.units().values().stream().filter(u -> u.service() != null).count());
    }
}
