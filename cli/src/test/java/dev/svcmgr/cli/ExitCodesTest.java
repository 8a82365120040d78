package dev.svcmgr.cli;

import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.core.protocol.ErrorKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exit codes of cli.md, decided in the CLI alone: the table of error kinds and what every --help says. */
class ExitCodesTest {
    @Test
    @DisplayName("a missing unit is 4, every other kind of error 1")
    void everyErrorKindHasItsCode() {
        for (ErrorKind k : ErrorKind.values()) {
            assertEquals(k == ErrorKind.NOT_FOUND ? 4 : 1, ExitCodes.of(k), k.word());
        }
        assertEquals(List.of(0, 1, 2, 3, 4), List.of(ExitCodes.OK, ExitCodes.FAILURE, ExitCodes.USAGE, ExitCodes.NOT_ACTIVE,
                ExitCodes.NO_SUCH_UNIT));
    }

    @Test
    @DisplayName("every command's --help lists only the codes of the table, each with its meaning")
    void helpListsTheTablesCodes() {
        Map<String, String> meaning = Map.of("2", "usage error", "3", "not active", "4", "no such unit");
        Set<String> known = Set.of("0", "1", "2", "3", "4", "N");
        List<String> wrong = new ArrayList<>();
        ArrayDeque<CommandLine> work = new ArrayDeque<>(List.of(Main.commandLine()));
        int seen = 0;
        while (!work.isEmpty()) {
            CommandLine c = work.pop();
            work.addAll(c.getSubcommands().values());
            Map<String, String> list = c.getCommandSpec().usageMessage().exitCodeList();
            if (list.isEmpty()) continue;
            seen++;
            for (Map.Entry<String, String> e : list.entrySet()) {
                String code = e.getKey().trim();
                if (!known.contains(code)) wrong.add(c.getCommandSpec().qualifiedName() + ": code " + code);
                String must = meaning.get(code);
                if (must != null && !e.getValue().contains(must)) {
                    wrong.add(c.getCommandSpec().qualifiedName() + ": " + code + " is \"" + e.getValue() + "\", not " + must);
                }
            }
        }
        assertTrue(seen > 30, "commands with an exit code list: " + seen);
        assertEquals(List.of(), wrong);
    }
}
