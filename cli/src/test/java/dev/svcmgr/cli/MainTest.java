package dev.svcmgr.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    @Test
    void everyRegisteredNameIsItsCommandsOwnName() {
        for (String name : Main.commandNames()) {
            CommandLine sub = Main.commandLine(name).getSubcommands().get(name);
            assertEquals(name, sub.getCommandSpec().userObject().getClass().getAnnotation(CommandLine.Command.class).name());
        }
        assertEquals(Main.commandNames().size() + 1, Main.commandLine().getSubcommands().size());
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "status", "--bogus");
        assertEquals(2, code);
        assertEquals("svcmgr: Unknown option: '--bogus' (see 'svcmgr status --help')\n", err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "frobnicate"));
        assertEquals(1, err2.toString().lines().count(), err2.toString());
    }

    @Test
    void globalOptionsMayStandBeforeTheCommand() {
        assertEquals(java.util.List.of("status", "--runtime-dir", "D", "--json", "foo"),
                java.util.List.of(Main.reorder(new String[] {"--runtime-dir", "D", "status", "--json", "foo"})));
        assertEquals(java.util.List.of("verify", "--units=x"), java.util.List.of(Main.reorder(new String[] {"--units=x", "verify"})));
    }
}
