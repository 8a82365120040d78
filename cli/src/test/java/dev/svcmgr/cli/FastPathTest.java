package dev.svcmgr.cli;

import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.commands.IsActiveCommand;
import dev.svcmgr.cli.commands.IsFailedCommand;
import dev.svcmgr.cli.commands.TransactionCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picocli-free path takes exactly the fixed shapes, and makes of them what picocli makes. */
class FastPathTest {
    @Test
    void theFixedShapesParseAsPicocliParsesThem() throws Exception {
        for (String line : List.of("is-active web", "is-active web api.service --runtime-dir /tmp/x",
                "is-active --runtime-dir=/tmp/x web", "is-failed a b c", "is-system-running",
                "is-system-running --runtime-dir /run/x", "start web", "stop a b --no-block", "restart --runtime-dir /r web",
                "try-restart web", "reload web", "isolate rescue.target", "isolate idle.target --runtime-dir=/r --no-block",
                "is-active -q web", "is-failed --quiet a --no-pager", "stop -l worker@* --no-pager", "status", "status web api.service",
                "status --runtime-dir /r web -l", "list-units", "list-units worker@* --runtime-dir=/r", "why web", "why --runtime-dir /r web.service")) {
            String[] args = line.split(" ");
            ClientCommand fast = FastPath.parse(args);
            assertNotNull(fast, line);
            CommandLine cl = Main.commandLine(args[0]);
            CommandLine.ParseResult pr = cl.parseArgs(args);
            ClientCommand slow = (ClientCommand) pr.subcommand().commandSpec().userObject();
            assertEquals(slow.getClass(), fast.getClass(), line);
            assertEquals(slow.common.runtimeDir, fast.common.runtimeDir, line);
            assertEquals(slow.common.json, fast.common.json, line);
            assertEquals(slow.common.timeout, fast.common.timeout, line);
            if (slow instanceof IsActiveCommand a) assertEquals(a.units(), ((IsActiveCommand) fast).units(), line);
            if (slow instanceof IsFailedCommand a) assertEquals(a.units(), ((IsFailedCommand) fast).units(), line);
            if (slow instanceof TransactionCommand t) assertEquals(t.parsed(), ((TransactionCommand) fast).parsed(), line);
            // every option and parameter field of the command itself, as picocli set it
            for (java.lang.reflect.Field f : slow.getClass().getDeclaredFields()) {
                if (!f.isAnnotationPresent(CommandLine.Option.class) && !f.isAnnotationPresent(CommandLine.Parameters.class)) continue;
                f.setAccessible(true);
                assertEquals(f.get(slow), f.get(fast), line + ": " + f.getName());
            }
        }
    }

    @Test
    void everyOtherShapeGoesToPicocli() {
        for (String line : List.of("is-active", "is-active --help", "is-active -h web", "is-active web --json",
                "is-active web --timeout 5s", "is-active web --runtime-dir", "is-active -x", "is-active @file",
                "is-system-running --wait", "is-system-running extra", "is-active web --runtime-dir a --runtime-dir b",
                "is-enabled web", "status web --json", "is-active web --debug", "why", "why a b", "list-units --all", "list-units -a x",
                "status --runtime-dir", "why web --reverse", "start", "start web --job-mode fail",
                "stop web --json", "isolate web --no-block --no-block", "is-active web --no-block", "enable web")) {
            assertNull(FastPath.parse(line.split(" ")), line);
        }
    }

    @Test
    void withoutADaemonBothPathsSayTheSameAndExitAlike() throws Exception {
        Path none = Files.createTempDirectory("svcmgr-fast");
        for (String line : List.of("is-active web --runtime-dir " + none, "is-system-running --runtime-dir " + none,
                "is-failed web --runtime-dir " + none, "start web --runtime-dir " + none,
                "isolate idle.target --no-block --runtime-dir " + none)) {
            String[] args = line.split(" ");
            StringWriter fo = new StringWriter(), fe = new StringWriter(), so = new StringWriter(), se = new StringWriter();
            Integer fast = FastPath.run(new PrintWriter(fo, true), new PrintWriter(fe, true), args);
            CommandLine cl = Main.commandLine(args[0]);
            cl.setOut(new PrintWriter(so, true));
            cl.setErr(new PrintWriter(se, true));
            int slow = cl.execute(args);
            assertEquals(slow, fast, line);
            assertEquals(so.toString(), fo.toString(), line);
            assertEquals(se.toString(), fe.toString(), line);
            assertEquals(1, slow, line + ": " + se);
        }
    }

    @Test
    void theDaemonsUsualCommandLinesParseAsPicocliParsesThem() throws Exception {
        for (String line : List.of("daemon", "daemon --units /u --runtime-dir /r --log-dir /l --state-dir /s --target all.target",
                "daemon --units=/a --units /b --no-boot --watch-units", "daemon --console-output --debug --target=x.target",
                "daemon --runtime-dir=/r --state-dir=/s --log-dir=/l")) {
            String[] args = line.split(" ");
            dev.svcmgr.cli.commands.DaemonCommand fast = FastPath.parseDaemon(args);
            assertNotNull(fast, line);
            CommandLine.ParseResult pr = Main.commandLine(args[0]).parseArgs(args);
            Object slow = pr.subcommand().commandSpec().userObject();
            int compared = 0;
            for (java.lang.reflect.Field f : dev.svcmgr.cli.commands.DaemonCommand.class.getDeclaredFields()) {
                if (!f.isAnnotationPresent(CommandLine.Option.class)) continue;
                f.setAccessible(true);
                assertEquals(f.get(slow), f.get(fast), line + ": " + f.getName());
                compared++;
            }
            assertEquals(13, compared, "every option of daemon is compared");
        }
        for (String line : List.of("daemon --help", "daemon --http 127.0.0.1:8080", "daemon --target a --no-boot", "daemon --units",
                "daemon --runtime-dir /a --runtime-dir /b", "daemon --no-boot --no-boot", "daemon --container", "daemon --log-group adm",
                "daemon --units -x", "daemon -q", "daemon extra", "status")) {
            assertNull(FastPath.parseDaemon(line.split(" ")), line);
        }
    }

    @Test
    void showAndListDependenciesParseAsPicocliParsesThem() throws Exception {
        for (String line : List.of("show web", "show web api.service --runtime-dir /r", "show --runtime-dir=/r -l web", "list-dependencies",
                "list-dependencies web", "list-dependencies web --reverse --all", "list-dependencies --all --runtime-dir /r",
                "list-dependencies -q multi-user.target --no-pager")) {
            String[] args = line.split(" ");
            dev.svcmgr.cli.client.DirectCommand fast = FastPath.parseUnitViews(args);
            assertNotNull(fast, line);
            assertEquals(fast.getClass(), FastPath.direct(args).getClass(), line);
            Object slow = Main.commandLine(args[0]).parseArgs(args).subcommand().commandSpec().userObject();
            assertEquals(slow.getClass(), fast.getClass(), line);
            int compared = 0;
            for (java.lang.reflect.Field f : slow.getClass().getDeclaredFields()) {
                if (!f.isAnnotationPresent(CommandLine.Option.class) && !f.isAnnotationPresent(CommandLine.Parameters.class)
                        && !f.isAnnotationPresent(CommandLine.Mixin.class)) continue;
                f.setAccessible(true);
                Object a = f.get(slow), b = f.get(fast);
                if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    // the mixin's own options (--runtime-dir, --json, --units, --debug, ...)
                    for (java.lang.reflect.Field g : a.getClass().getDeclaredFields()) {
                        if (!g.isAnnotationPresent(CommandLine.Option.class)) continue;
                        g.setAccessible(true);
                        assertEquals(g.get(a), g.get(b), line + ": " + f.getName() + "." + g.getName());
                        compared++;
                    }
                } else {
                    assertEquals(a, b, line + ": " + f.getName());
                    compared++;
                }
            }
            assertTrue(compared >= 5, line + ": " + compared + " fields compared");
        }
        for (String line : List.of("show", "show web --json", "show web -p MainPID", "show web --value", "show web --units /u",
                "show --help", "show web --runtime-dir", "show @x", "list-dependencies a b", "list-dependencies --json",
                "list-dependencies --plain", "list-dependencies --reverse --reverse", "list-dependencies --units /u", "list-dependencies --debug",
                "status web", "cat web")) {
            assertNull(FastPath.parseUnitViews(line.split(" ")), line);
        }
    }
}
